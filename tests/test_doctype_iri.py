"""Document-type concepts: one concept per type, no two types on one IRI.

Codes that differ only by Đ name different types (Decree 30/2020/NĐ-CP, Appendix III: HD
Hướng dẫn / HĐ Hợp đồng, DA Dự án / ĐA Đề án), and one code can name two types (TT: Thông tư of
the state, Thông tri of the Party, Hướng dẫn 36-HD/VPTW). Before, the IRIs were minted from the
code with its accents stripped, so ``doctype/hd`` was both Hướng dẫn and Hợp đồng, and a Party
Thông tri was typed as a Thông tư.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib.namespace import RDF, SKOS

from graph.build import build_graph
from graph.meta import doctype_key, meta_graph
from graph.models import SourceText
from graph.pipeline import default_registry, extract
from graph.vocab import DOCTYPE, ELI, PLG, doctype_iri, doctype_slug


@pytest.mark.parametrize("key, local", [
    ("KH", "kh"), ("CTr", "ctr"), ("QĐ", "qdd"), ("NĐ", "ndd"), ("HD", "hd"), ("HĐ", "hdd"),
    ("DA", "da"), ("ĐA", "dda"), ("QĐi", "qddi"), ("QyĐ", "qydd"), ("KHHĐ", "khhdd"),
    ("Luật", "luat"), ("Công văn", "cong-van"), ("Điều lệ", "dieu-le"), ("TT Thông tri", "tt-thong-tri"),
])
def test_doctype_slug(key, local):
    assert doctype_slug(key) == local
    assert doctype_iri(key) == DOCTYPE[local]


@pytest.mark.parametrize("code, name, key", [
    ("QĐ", None, "QĐ"), ("QD", "Quyết định", "QĐ"), ("qd", None, "QĐ"),   # ASCII spelling of QĐ
    ("HD", "Hướng dẫn", "HD"), ("HĐ", "Hợp đồng", "HĐ"), ("hđ", None, "HĐ"),
    ("DA", "Dự án", "DA"), ("ĐA", "Đề án", "ĐA"),
    ("ND", None, "NĐ"), ("CTR", None, "CTr"),
    ("TT", "Thông tư", "TT"), ("TT", None, "TT"), ("TT", "Thông tri", "TT Thông tri"),
    ("TT", "THÔNG TRI", "TT Thông tri"),
    ("Luật", "Luật", "Luật"), ("XYZ", None, "XYZ"), (None, "Kế hoạch", None), ("", None, None),
])
def test_doctype_key(code, name, key):
    assert doctype_key(code, name) == key


@pytest.mark.parametrize("code, party, name", [
    ("HĐ", None, "Hợp đồng"), ("HD", None, "Hướng dẫn"), ("DA", None, "Dự án"), ("ĐA", None, "Đề án"),
    ("QD", None, "Quyết định"), ("TT", True, "Thông tri"), ("TT", False, "Thông tư"),
])
def test_registry_doc_type_keeps_d_stroke_apart(code, party, name):
    assert default_registry().doc_type(code, party).name_vi == name


def test_meta_graph_one_concept_per_type():
    """Every type of ``doc_types.tsv`` has a concept with exactly one Vietnamese prefLabel, and
    types with different names never share a concept."""
    g = meta_graph()
    labels = defaultdict(set)
    for c in g.subjects(RDF.type, PLG.DocumentType):
        for lab in g.objects(c, SKOS.prefLabel):
            if lab.language == "vi":
                labels[c].add(str(lab))
    assert all(len(v) == 1 for v in labels.values()), {c: v for c, v in labels.items() if len(v) > 1}
    reg = default_registry()
    for t in reg.doc_types:
        key = doctype_key(t.code, t.name_vi, reg) if t.code else t.name_vi
        assert labels[doctype_iri(key)] == {t.name_vi}, (t.code, t.name_vi)


def test_party_thong_tri_reference_is_typed_thong_tri():
    """Real fragment (bulk 31fb08f34535fce3, Hồ Chí Minh City): a Party Thông tri cited by number."""
    text = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\n\nSố: 174/KH-UBND\n\nKẾ HOẠCH\n"
            "Triển khai thực hiện Thông tri của Thành ủy\n\n"
            "Thực hiện Thông tri số 02-TT/TU ngày 03 tháng 10 năm 2025 của Thành ủy Thành phố "
            "Hồ Chí Minh về lãnh đạo công tác phòng, chống thiên tai.\n")
    ex = extract(SourceText(path="fixture/174.txt", text=text, format="txt"))
    refs = [r for r in ex.references if r.document_number == "02-TT/TU"]
    assert refs and refs[0].document_type == "Thông tri"
    g = build_graph(ex)
    typed = {t for s in g.subjects(ELI.id_local, None) if str(g.value(s, ELI.id_local)) == "02-TT/TU"
             for t in g.objects(s, ELI.type_document)}
    assert typed == {DOCTYPE["tt-thong-tri"]}
    assert str(meta_graph().value(DOCTYPE["tt-thong-tri"], SKOS.prefLabel)) in {"Thông tri", "Party circular"}


def test_meta_graph_conforms_to_document_type_shape():
    """``plgsh:DocumentTypeShape`` (one prefLabel per language): the scheme minted with the
    accents stripped failed it on doctype/da and doctype/hd."""
    from graph.validate import validate_graph

    ok, violations, _ = validate_graph(meta_graph())
    assert ok, violations
