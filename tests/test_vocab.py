"""Every plg: term the code uses is declared in ontology/policy.ttl, with labels in vi and en."""

import re
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from graph.vocab import PLG, instrument_iri, slug

ROOT = Path(__file__).resolve().parents[1]
ONTO = Graph().parse(ROOT / "ontology" / "policy.ttl")


def _declared() -> set[str]:
    return {str(s) for s in ONTO.subjects(RDF.type, None) if str(s).startswith(str(PLG))}


def test_every_plg_term_used_in_code_is_declared():
    used = set()
    for f in (ROOT / "graph").rglob("*.py"):
        used |= {str(PLG) + m for m in re.findall(r"\bPLG\.(\w+)", f.read_text(encoding="utf-8"))}
        used |= {str(PLG) + m for m in re.findall(r"\bplg:(\w+)", f.read_text(encoding="utf-8"))}
    for q in (ROOT / "ontology" / "queries").glob("*.rq"):
        used |= {str(PLG) + m for m in re.findall(r"\bplg:(\w+)", q.read_text(encoding="utf-8"))}
    missing = sorted(used - _declared())
    assert not missing, f"used but not declared in ontology/policy.ttl: {missing}"


def test_classes_and_properties_have_vi_and_en_labels():
    for s in _declared():
        kinds = set(ONTO.objects(URIRef(s), RDF.type))
        if kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}:
            langs = {lbl.language for lbl in ONTO.objects(URIRef(s), RDFS.label)}
            assert "en" in langs, f"{s} has no English label"
            if s.rsplit("#", 1)[1] not in {"contentHash", "sourceFormat", "deadlineText", "eid", "start", "end"}:
                assert "vi" in langs, f"{s} has no Vietnamese label"


def test_slug_and_iri_minting():
    assert slug("Ủy ban nhân dân tỉnh Đắk Nông") == "uy-ban-nhan-dan-tinh-dak-nong"
    a = instrument_iri(number="76-CTr/TU", type_code="CTr", year="2024", jurisdiction="Đắk Nông")
    assert a == "https://w3id.org/plg/eli/vn/dak-nong/ctr/2024/76-ctr-tu"
    assert instrument_iri(number="28-CT/TW", type_code="CT", year="2023", jurisdiction=None) == \
        "https://w3id.org/plg/eli/vn/ct/2023/28-ct-tw"
    assert instrument_iri(number=None, type_code=None, year=None, jurisdiction=None, name="Luật Trẻ em") == \
        "https://w3id.org/plg/name/luat-tre-em"
