"""A small hand-made store for app, viz and network tests (and demos), following the RDF model of
``graph/build.py`` / ``ontology/policy.ttl`` without running the extraction pipeline.

- :func:`fixture_graphs` → ``{named graph IRI: rdflib.Graph}``: five source documents (a
  provincial programme, a plan implementing it, a district plan implementing the plan, a decision
  of another province, an orphan official letter), the instruments they refer to, agencies (one
  whose label is ``XSS_LABEL``), an agency group, tasks with lead/coordinate/responsible roles,
  provisions and ``plg:Evidence`` with character offsets into each document's ``plg:content``.
- :func:`make_store` writes them (plus the document-type scheme) into a :class:`GraphStore`.
- :func:`synthetic_graphs` → a larger random corpus of the same shape (benchmarks, 1,000+ nodes).

Usable from anywhere: ``sys.path.insert(0, "tests"); from fixture_graph import make_store``.
"""

from __future__ import annotations

import hashlib
import random

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from graph.meta import MODEL_VERSION
from graph.vocab import (
    ELI,
    META_GRAPH,
    OA,
    ORG,
    PLG,
    PREFIXES,
    doctype_iri,
    graph_iri,
    group_iri,
    instrument_iri,
    org_iri,
    person_iri,
    source_iri,
)

XSS_LABEL = "<script>alert(1)</script> Sở KH&ĐT"
"""An agency label that must render as written and execute nothing."""

DOCTYPES = [
    ("KH", "Kế hoạch", "Plan"), ("CTr", "Chương trình", "Programme"), ("CT", "Chỉ thị", "Directive"),
    ("QĐ", "Quyết định", "Decision"), ("CV", "Công văn", "Official letter"), ("Luật", "Luật", "Law"),
    ("NQ", "Nghị quyết", "Resolution"),
]
_TYPE_NAME = {code: (vi, en) for code, vi, en in DOCTYPES}

RELATIONS = {
    "implements": ELI.ensures_implementation_of, "based_on": ELI.based_on, "cites": ELI.cites,
    "amends": ELI.amends, "repeals": ELI.repeals, "replaces": PLG.replaces,
}
ROLES = {"lead": PLG.leadAgency, "coordinate": PLG.coordinatingAgency, "responsible": PLG.responsibleAgency}


def _new_graph() -> Graph:
    g = Graph()
    for k, v in PREFIXES.items():
        g.bind(k, v)
    return g


class DocBuilder:
    """Builds one document's named graph. Spans are found in ``content`` by ``str.index`` of the
    surface (``nth`` occurrence), so offsets are exact character offsets."""

    def __init__(self, *, number: str, type_code: str, year: str, date: str, title: str, issuer: str,
                 content: str, path: str, locality: str | None = None, signer: str | None = None,
                 issuer_en: str | None = None):
        self.g = _new_graph()
        self.content = content
        self.number = number
        self.doc = URIRef(instrument_iri(number=number, type_code=type_code, year=year, jurisdiction=locality))
        self.graph_iri = graph_iri(str(self.doc))
        sha = hashlib.sha256(content.encode("utf-8")).hexdigest()
        self.src = URIRef(source_iri(sha))
        g, d = self.g, self.doc
        g.add((d, RDF.type, ELI.LegalResource))
        g.add((d, PLG.sourceFile, self.src))
        g.add((self.src, RDF.type, PLG.SourceFile))
        g.add((self.src, PLG.contentHash, Literal(sha)))
        g.add((self.src, PLG.sourcePath, Literal(path)))
        g.add((self.src, PLG.sourceFormat, Literal("txt")))
        g.add((self.src, PLG.content, Literal(content)))
        g.add((self.src, PLG.modelVersion, Literal(MODEL_VERSION)))
        self.add(d, ELI.id_local, Literal(number), number)
        t = self.doctype(type_code)
        self.add(d, ELI.type_document, t, None)
        self.add(d, ELI.date_document, Literal(date, datatype=XSD.date), _date_surface(date))
        o = self.org(issuer, english=issuer_en)
        self.add(d, ELI.passed_by, o, None)
        g.add((d, ELI.title, Literal(title, lang="vi")))
        if signer:
            p = URIRef(person_iri(signer))
            g.add((p, RDF.type, FOAF.Person))
            g.add((p, FOAF.name, Literal(signer)))
            self.add(d, PLG.signedBy, p, signer)
        if locality:
            g.add((d, PLG.locality, Literal(locality)))

    # -- helpers ---------------------------------------------------------------------------
    def span(self, surface: str | None, nth: int = 0) -> tuple[int, int] | None:
        """``(start, end)`` of the ``nth`` occurrence of ``surface`` in the content."""
        if not surface:
            return None
        i = -1
        for _ in range(nth + 1):
            i = self.content.find(surface, i + 1)
            if i < 0:
                return None
        return i, i + len(surface)

    def sentence(self, start: int) -> str:
        """The line around ``start`` (a stand-in for the sentence)."""
        a = self.content.rfind("\n", 0, start) + 1
        b = self.content.find("\n", start)
        return self.content[a: b if b >= 0 else len(self.content)].strip()

    def add(self, s, p, o, surface: str | None, *, nth: int = 0, cue: str | None = None,
            quote: str | None = None, surface_lit: str | None = None) -> None:
        """Add (s, p, o) and, when ``surface`` is found, its ``plg:Evidence``."""
        g = self.g
        g.add((s, p, o))
        sp = self.span(surface, nth) if surface else None
        if sp is None and not quote:
            return
        key = f"{s}|{p}|{o}|{sp}"
        ev = URIRef(f"{self.doc}/evidence/{hashlib.sha1(key.encode()).hexdigest()[:16]}")
        g.add((ev, RDF.type, PLG.Evidence))
        g.add((ev, RDF.subject, s))
        g.add((ev, RDF.predicate, p))
        g.add((ev, RDF.object, o))
        g.add((ev, PROV.wasDerivedFrom, self.src))
        if sp:
            sel = URIRef(f"{ev}/selector")
            g.add((ev, OA.hasSelector, sel))
            g.add((sel, RDF.type, OA.TextPositionSelector))
            g.add((sel, OA.start, Literal(sp[0], datatype=XSD.nonNegativeInteger)))
            g.add((sel, OA.end, Literal(sp[1], datatype=XSD.nonNegativeInteger)))
        g.add((ev, PLG.quote, Literal(quote or (self.sentence(sp[0]) if sp else ""))))
        if cue:
            g.add((ev, PLG.cue, Literal(cue)))
        if surface_lit or surface:
            g.add((ev, PLG.surface, Literal(surface_lit or surface)))

    def doctype(self, code: str) -> URIRef:
        """The ``plg:DocumentType`` concept of ``code`` (e.g. "KH"), labelled in Vietnamese."""
        t = doctype_iri(code)
        self.g.add((t, RDF.type, PLG.DocumentType))
        self.g.add((t, SKOS.notation, Literal(code)))
        self.g.add((t, SKOS.prefLabel, Literal(_TYPE_NAME[code][0], lang="vi")))
        return t

    def org(self, name: str, *, english: str | None = None, alt: list[str] | None = None,
            parent: str | None = None) -> URIRef:
        """An ``org:Organization`` (prefLabel vi/en, altLabels, parent body)."""
        o = URIRef(org_iri(name))
        self.g.add((o, RDF.type, ORG.Organization))
        self.g.add((o, SKOS.prefLabel, Literal(name, lang="vi")))
        if english:
            self.g.add((o, SKOS.prefLabel, Literal(english, lang="en")))
        for a in alt or []:
            self.g.add((o, SKOS.altLabel, Literal(a, lang="vi")))
        if parent:
            self.g.add((o, ORG.subOrganizationOf, self.org(parent)))
        return o

    def mention(self, agency: URIRef, surface: str, nth: int = 0) -> None:
        """An agency mention (``plg:mentionedIn`` evidence)."""
        self.add(agency, PLG.mentionedIn, self.doc, surface, nth=nth, surface_lit=surface)

    def group(self, label: str, members: list[URIRef], locality: str | None) -> URIRef:
        """A ``plg:AgencyGroup`` with its known members."""
        node = URIRef(group_iri(label, locality))
        self.g.add((node, RDF.type, PLG.AgencyGroup))
        self.g.add((node, SKOS.prefLabel, Literal(label, lang="vi")))
        for m in members:
            self.g.add((node, PLG.member, m))
        return node

    def instrument(self, *, number: str | None, type_code: str | None, year: str | None,
                   date: str | None = None, issuer: str | None = None, name: str | None = None,
                   english: str | None = None, locality: str | None = None) -> URIRef:
        """A referenced instrument (``eli:LegalResource`` without a source file)."""
        r = URIRef(instrument_iri(number=number, type_code=type_code, year=year, jurisdiction=locality,
                                  name=name))
        g = self.g
        g.add((r, RDF.type, ELI.LegalResource))
        if number:
            g.add((r, ELI.id_local, Literal(number)))
        if type_code:
            g.add((r, ELI.type_document, self.doctype(type_code)))
        if date:
            g.add((r, ELI.date_document, Literal(date, datatype=XSD.date)))
        if issuer:
            g.add((r, ELI.passed_by, self.org(issuer)))
        if name:
            g.add((r, PLG.name, Literal(name, lang="vi")))
        label = f"{_TYPE_NAME[type_code][0]} {number}" if number and type_code else (name or number)
        g.add((r, SKOS.prefLabel, Literal(label, lang="vi")))
        if english:
            g.add((r, SKOS.prefLabel, Literal(english, lang="en")))
        return r

    def relate(self, relation: str, target: URIRef, surface: str, *, cue: str, nth: int = 0,
               subject: URIRef | None = None) -> None:
        """A document relation (ANNOTATION.md name) to ``target``, with evidence at ``surface``."""
        self.add(subject or self.doc, RELATIONS[relation], target, surface, nth=nth, cue=cue)

    def provision(self, eid: str, kind: str, label: str, heading: str, start_surface: str,
                  end_surface: str | None, parent: str | None = None) -> URIRef:
        """A provision spanning from ``start_surface`` to the start of ``end_surface`` (or the end)."""
        node = URIRef(f"{self.doc}/{eid}")
        par = URIRef(f"{self.doc}/{parent}") if parent else self.doc
        start = self.content.index(start_surface)
        end = self.content.index(end_surface, start + 1) if end_surface else len(self.content)
        g = self.g
        g.add((node, RDF.type, ELI.LegalResourceSubdivision))
        g.add((node, ELI.is_part_of, par))
        g.add((par, ELI.has_part, node))
        g.add((node, PLG.eid, Literal(eid)))
        g.add((node, PLG.provisionKind, Literal(kind)))
        g.add((node, PLG.label, Literal(label)))
        if heading:
            g.add((node, PLG.heading, Literal(heading)))
        g.add((node, DCTERMS.description, Literal(" ".join(self.content[start:end].split()))))
        g.add((node, PLG.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.add((node, PLG.end, Literal(end, datatype=XSD.nonNegativeInteger)))
        return node

    def task(self, tid: str, summary: str, provision: str, text_surface: str,
             roles: list[tuple[str, URIRef, str]], *, deadline: str | None = None,
             frequency: str | None = None, report_to: URIRef | None = None) -> URIRef:
        """A task; ``roles``: (role, agency node, surface of the agency inside the task text)."""
        node = URIRef(f"{self.doc}/task/{tid}")
        g = self.g
        g.add((node, RDF.type, PLG.Task))
        g.add((node, PLG.inDocument, self.doc))
        g.add((node, RDFS.label, Literal(summary, lang="vi")))
        g.add((node, DCTERMS.description, Literal(text_surface, lang="vi")))
        self.add(node, PLG.inProvision, URIRef(f"{self.doc}/{provision}"), text_surface, quote=summary)
        if deadline:
            g.add((node, PLG.deadline, Literal(deadline, datatype=XSD.date)))
        if frequency:
            g.add((node, PLG.frequency, Literal(frequency, datatype=XSD.duration)))
        if report_to is not None:
            g.add((node, PLG.reportTo, report_to))
        base = self.content.index(text_surface)
        for role, agency, surface in roles:
            i = self.content.index(surface, base)
            nth = self.content[:i].count(surface)
            self.add(node, ROLES[role], agency, surface, nth=nth, quote=summary, cue=role)
        return node


def _date_surface(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"ngày {int(d)} tháng {int(m)} năm {y}"


# ---- the five documents ----------------------------------------------------------------------

PROVINCE = "Đắk Nông"
UBND = "Ủy ban nhân dân tỉnh Đắk Nông"
UBND_EN = "Đắk Nông Provincial People's Committee"
TU = "Tỉnh ủy Đắk Nông"
LDTBXH = "Sở Lao động - Thương binh và Xã hội tỉnh Đắk Nông"
SYT = "Sở Y tế tỉnh Đắk Nông"
HUYEN = "Ủy ban nhân dân huyện Krông Nô"

CONTENT_PROGRAMME = """TỈNH ỦY ĐẮK NÔNG
Số: 76-CTr/TU
Đắk Nông, ngày 13 tháng 5 năm 2024

CHƯƠNG TRÌNH
Thực hiện Chỉ thị số 28-CT/TW của Ban Bí thư về công tác trẻ em

Thực hiện Chỉ thị số 28-CT/TW, ngày 25/12/2023 của Ban Bí thư về tăng cường công tác chăm sóc, giáo dục và bảo vệ trẻ em, Ban Thường vụ Tỉnh ủy ban hành Chương trình như sau:

I. MỤC TIÊU
Nâng cao chất lượng công tác bảo vệ trẻ em trên địa bàn tỉnh.

II. TỔ CHỨC THỰC HIỆN
Ủy ban nhân dân tỉnh xây dựng kế hoạch thực hiện Chương trình này.
"""

CONTENT_PLAN = """ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG
Số: 377/KH-UBND
Đắk Nông, ngày 13 tháng 6 năm 2024

KẾ HOẠCH
Thực hiện Chương trình số 76-CTr/TU về công tác chăm sóc, giáo dục và bảo vệ trẻ em

Căn cứ Luật Trẻ em năm 2016;
Thực hiện Chương trình số 76-CTr/TU, ngày 13/5/2024 của Ban Thường vụ Tỉnh ủy về việc thực hiện Chỉ thị số 28-CT/TW; Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai thực hiện, cụ thể như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Tạo chuyển biến về nhận thức & hành động đối với công tác trẻ em, theo Quyết định số 1234/QĐ-TTg.

II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Sở Y tế và <script>alert(1)</script> Sở KH&ĐT tham mưu triển khai Chương trình hành động vì trẻ em, hoàn thành trước ngày 30/9/2024.
2. Các Sở, ban, ngành, đoàn thể cấp tỉnh lồng ghép mục tiêu bảo vệ trẻ em vào kế hoạch của ngành; báo cáo kết quả hằng năm về Sở Lao động - Thương binh và Xã hội.
3. Sở Y tế chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội nâng cao chất lượng chăm sóc sức khỏe trẻ em "đặc biệt" <vùng khó khăn>.

III. TỔ CHỨC THỰC HIỆN
Ủy ban nhân dân tỉnh yêu cầu các cơ quan, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này.
Người ký: Tôn Thị Ngọc Hạnh
"""

CONTENT_DISTRICT = """ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÔ
Số: 99/KH-UBND
Krông Nô, ngày 1 tháng 8 năm 2024

KẾ HOẠCH
Triển khai Kế hoạch số 377/KH-UBND của Ủy ban nhân dân tỉnh về công tác trẻ em

Thực hiện Kế hoạch số 377/KH-UBND ngày 13/6/2024 của Ủy ban nhân dân tỉnh Đắk Nông, Ủy ban nhân dân huyện ban hành Kế hoạch như sau:

I. NHIỆM VỤ
1. Phòng Lao động - Thương binh và Xã hội huyện chủ trì tổ chức tuyên truyền về quyền trẻ em.
"""

CONTENT_DECISION = """ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
Số: 88/QĐ-UBND
Lạng Sơn, ngày 20 tháng 2 năm 2024

QUYẾT ĐỊNH
Ban hành Kế hoạch thực hiện Chỉ thị số 28-CT/TW về bảo vệ trẻ em

Thực hiện Chỉ thị số 28-CT/TW ngày 25/12/2023 của Ban Bí thư;
Căn cứ Luật Trẻ em năm 2016;

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch thực hiện.
"""

CONTENT_LETTER = """ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG
Số: 501/UBND-VX
Đắk Nông, ngày 5 tháng 9 năm 2024

CÔNG VĂN
Về việc báo cáo tình hình thực hiện chính sách cho người cao tuổi

Theo Quyết định số 1234/QĐ-TTg, đề nghị các đơn vị báo cáo kết quả.
"""


def fixture_graphs() -> dict[str, Graph]:
    """The fixture corpus: named graph IRI → rdflib Graph (see module docstring)."""
    out: dict[str, Graph] = {}

    # Programme 76-CTr/TU implements Directive 28-CT/TW (an instrument known only by reference).
    c = DocBuilder(number="76-CTr/TU", type_code="CTr", year="2024", date="2024-05-13",
                   title="Chương trình thực hiện Chỉ thị số 28-CT/TW của Ban Bí thư về công tác trẻ em",
                   issuer=TU, content=CONTENT_PROGRAMME, path="fixture/076_ctr.txt", locality=PROVINCE)
    ct28 = c.instrument(number="28-CT/TW", type_code="CT", year="2023", date="2023-12-25", issuer="Ban Bí thư",
                        english="Directive 28-CT/TW")
    c.relate("implements", ct28, "Chỉ thị số 28-CT/TW, ngày 25/12/2023 của Ban Bí thư", cue="Thực hiện")
    c.mention(c.org(TU), "TỈNH ỦY ĐẮK NÔNG")
    c.provision("part_I", "part", "I", "MỤC TIÊU", "I. MỤC TIÊU", "II. TỔ CHỨC")
    c.provision("part_II", "part", "II", "TỔ CHỨC THỰC HIỆN", "II. TỔ CHỨC", None)
    ubnd = c.org(UBND, english=UBND_EN)
    c.mention(ubnd, "Ủy ban nhân dân tỉnh", nth=0)
    c.task("1", "xây dựng kế hoạch thực hiện Chương trình", "part_II",
           "Ủy ban nhân dân tỉnh xây dựng kế hoạch thực hiện Chương trình này.",
           [("responsible", ubnd, "Ủy ban nhân dân tỉnh")])
    out[c.graph_iri] = c.g

    # Plan 377/KH-UBND implements the programme, rests on the Law on Children, cites a decision.
    a = DocBuilder(number="377/KH-UBND", type_code="KH", year="2024", date="2024-06-13",
                   title="Kế hoạch thực hiện Chương trình số 76-CTr/TU về công tác chăm sóc, giáo dục và bảo vệ trẻ em",
                   issuer=UBND, issuer_en=UBND_EN, content=CONTENT_PLAN, path="data/documents/377.txt",
                   locality=PROVINCE, signer="Tôn Thị Ngọc Hạnh")
    ctr76 = c.doc
    a.g.add((ctr76, RDF.type, ELI.LegalResource))
    a.g.add((ctr76, ELI.id_local, Literal("76-CTr/TU")))
    a.relate("implements", ctr76, "Chương trình số 76-CTr/TU, ngày 13/5/2024 của Ban Thường vụ Tỉnh ủy",
             cue="Thực hiện")
    law = a.instrument(number="102/2016/QH13", type_code="Luật", year="2016", name="Luật Trẻ em",
                       english="Law on Children")
    a.relate("based_on", law, "Luật Trẻ em năm 2016", cue="Căn cứ")
    qd = a.instrument(number="1234/QĐ-TTg", type_code="QĐ", year=None, issuer="Thủ tướng Chính phủ")
    a.relate("cites", qd, "Quyết định số 1234/QĐ-TTg", cue="theo")
    ldtbxh = a.org(LDTBXH, english="Department of Labour, Invalids and Social Affairs of Đắk Nông",
                   alt=["Sở Lao động - Thương binh và Xã hội"], parent=UBND)
    syt = a.org(SYT, english="Department of Health of Đắk Nông", alt=["Sở Y tế"], parent=UBND)
    xss = a.org(XSS_LABEL, alt=["Sở KH&ĐT"])
    ubnd_a = a.org(UBND, english=UBND_EN)
    a.mention(ubnd_a, "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG")
    a.mention(ldtbxh, "Sở Lao động - Thương binh và Xã hội", nth=0)
    a.mention(syt, "Sở Y tế", nth=0)
    a.mention(xss, XSS_LABEL)
    grp = a.group("các Sở, ban, ngành, đoàn thể cấp tỉnh", [ldtbxh, syt], PROVINCE)
    a.mention(grp, "Các Sở, ban, ngành, đoàn thể cấp tỉnh")
    a.provision("part_I", "part", "I", "MỤC ĐÍCH, YÊU CẦU", "I. MỤC ĐÍCH", "II. NHIỆM VỤ")
    a.provision("part_I__item_1", "item", "1", "Mục đích", "1. Mục đích", "II. NHIỆM VỤ", parent="part_I")
    a.provision("part_II", "part", "II", "NHIỆM VỤ VÀ GIẢI PHÁP", "II. NHIỆM VỤ", "III. TỔ CHỨC")
    a.provision("part_II__item_1", "item", "1", "", "1. Sở Lao động", "2. Các Sở", parent="part_II")
    a.provision("part_II__item_2", "item", "2", "", "2. Các Sở", "3. Sở Y tế", parent="part_II")
    a.provision("part_II__item_3", "item", "3", "", "3. Sở Y tế", "III. TỔ CHỨC", parent="part_II")
    a.provision("part_III", "part", "III", "TỔ CHỨC THỰC HIỆN", "III. TỔ CHỨC", None)
    t1 = ("Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Sở Y tế và " + XSS_LABEL
          + " tham mưu triển khai Chương trình hành động vì trẻ em, hoàn thành trước ngày 30/9/2024.")
    a.task("1", "tham mưu triển khai Chương trình hành động vì trẻ em", "part_II__item_1", t1,
           [("lead", ldtbxh, "Sở Lao động - Thương binh và Xã hội"), ("coordinate", syt, "Sở Y tế"),
            ("coordinate", xss, XSS_LABEL)], deadline="2024-09-30")
    a.add(a.doc, ELI.date_document, Literal("2024-06-13", datatype=XSD.date), "30/9/2024")  # a date mention
    t2 = ("Các Sở, ban, ngành, đoàn thể cấp tỉnh lồng ghép mục tiêu bảo vệ trẻ em vào kế hoạch của ngành; "
          "báo cáo kết quả hằng năm về Sở Lao động - Thương binh và Xã hội.")
    a.task("2", "lồng ghép mục tiêu bảo vệ trẻ em vào kế hoạch của ngành", "part_II__item_2", t2,
           [("responsible", grp, "Các Sở, ban, ngành, đoàn thể cấp tỉnh")], frequency="P1Y", report_to=ldtbxh)
    t3 = ("Sở Y tế chủ trì, phối hợp với Sở Lao động - Thương binh và Xã hội nâng cao chất lượng chăm sóc "
          "sức khỏe trẻ em \"đặc biệt\" <vùng khó khăn>.")
    a.task("3", "nâng cao chất lượng chăm sóc sức khỏe trẻ em \"đặc biệt\" <vùng khó khăn>", "part_II__item_3", t3,
           [("lead", syt, "Sở Y tế"), ("coordinate", ldtbxh, "Sở Lao động - Thương binh và Xã hội")])
    out[a.graph_iri] = a.g

    # District plan 99/KH-UBND implements the provincial plan.
    d = DocBuilder(number="99/KH-UBND", type_code="KH", year="2024", date="2024-08-01",
                   title="Kế hoạch triển khai Kế hoạch số 377/KH-UBND của Ủy ban nhân dân tỉnh về công tác trẻ em",
                   issuer=HUYEN, content=CONTENT_DISTRICT, path="fixture/099_kh.txt", locality=PROVINCE)
    d.g.add((a.doc, RDF.type, ELI.LegalResource))
    d.g.add((a.doc, ELI.id_local, Literal("377/KH-UBND")))
    d.relate("implements", a.doc, "Kế hoạch số 377/KH-UBND ngày 13/6/2024 của Ủy ban nhân dân tỉnh Đắk Nông",
             cue="Thực hiện")
    phong = d.org("Phòng Lao động - Thương binh và Xã hội huyện Krông Nô", parent=HUYEN)
    d.mention(phong, "Phòng Lao động - Thương binh và Xã hội huyện")
    d.provision("part_I", "part", "I", "NHIỆM VỤ", "I. NHIỆM VỤ", None)
    d.provision("part_I__item_1", "item", "1", "", "1. Phòng", None, parent="part_I")
    d.task("1", "tổ chức tuyên truyền về quyền trẻ em", "part_I__item_1",
           "Phòng Lao động - Thương binh và Xã hội huyện chủ trì tổ chức tuyên truyền về quyền trẻ em.",
           [("lead", phong, "Phòng Lao động - Thương binh và Xã hội huyện")], deadline="2024-12-31")
    out[d.graph_iri] = d.g

    # A decision of another province implementing the directive directly.
    b = DocBuilder(number="88/QĐ-UBND", type_code="QĐ", year="2024", date="2024-02-20",
                   title="Quyết định ban hành Kế hoạch thực hiện Chỉ thị số 28-CT/TW về bảo vệ trẻ em",
                   issuer="Ủy ban nhân dân tỉnh Lạng Sơn", content=CONTENT_DECISION,
                   path="fixture/088_qd.txt", locality="Lạng Sơn")
    ct28b = b.instrument(number="28-CT/TW", type_code="CT", year="2023", date="2023-12-25", issuer="Ban Bí thư")
    b.relate("implements", ct28b, "Chỉ thị số 28-CT/TW ngày 25/12/2023 của Ban Bí thư", cue="Thực hiện")
    law_b = b.instrument(number="102/2016/QH13", type_code="Luật", year="2016", name="Luật Trẻ em")
    b.relate("based_on", law_b, "Luật Trẻ em năm 2016", cue="Căn cứ")
    b.provision("art_1", "article", "1", "", "Điều 1.", None)
    out[b.graph_iri] = b.g

    # An official letter with no resolved parent (it only cites).
    e = DocBuilder(number="501/UBND-VX", type_code="CV", year="2024", date="2024-09-05",
                   title="Về việc báo cáo tình hình thực hiện chính sách cho người cao tuổi",
                   issuer=UBND, content=CONTENT_LETTER, path="fixture/501_cv.txt", locality=PROVINCE)
    qd_e = e.instrument(number="1234/QĐ-TTg", type_code="QĐ", year=None, issuer="Thủ tướng Chính phủ")
    e.relate("cites", qd_e, "Quyết định số 1234/QĐ-TTg", cue="Theo")
    out[e.graph_iri] = e.g
    return out


def doctype_graph() -> Graph:
    """The document-type concept scheme with Vietnamese and English labels (the meta graph)."""
    from graph.meta import doctype_scheme

    return doctype_scheme(DOCTYPES)


def make_store(location: str = ":memory:", graphs: dict[str, Graph] | None = None):
    """A :class:`~graph.store.GraphStore` at ``location`` holding ``graphs`` (default
    :func:`fixture_graphs`) and the document-type scheme; flushed. Returns the store."""
    from graph.store import GraphStore

    store = GraphStore(location)
    for iri, g in (graphs if graphs is not None else fixture_graphs()).items():
        store.replace_graph(iri, g)
    store.replace_graph(META_GRAPH, doctype_graph())
    store.flush()
    return store


def synthetic_graphs(n_docs: int = 300, *, seed: int = 7, tasks_per_doc: int = 8,
                     agencies: int = 400) -> dict[str, Graph]:
    """A random corpus shaped like the real one (for benchmarks): ``n_docs`` documents in a
    handful of provinces, each implementing an earlier document or a national instrument,
    citing 2–5 instruments, with ``tasks_per_doc`` tasks over a pool of ``agencies`` bodies.
    Deterministic for a given ``seed``. Returns named graph IRI → Graph."""
    rnd = random.Random(seed)
    provinces = ["Đắk Nông", "Lạng Sơn", "Hà Nội", "Bình Định", "Quảng Bình", "Vĩnh Long", "Cà Mau", "Hà Giang"]
    national = [(f"{n}/QĐ-TTg", "QĐ", str(2010 + n % 14)) for n in range(100, 160)] + \
               [(f"{n}-CT/TW", "CT", str(2000 + n % 24)) for n in range(10, 40)]
    pool = [f"Sở {w} tỉnh {p}" for p in provinces for w in
            ("Y tế", "Tư pháp", "Tài chính", "Nội vụ", "Công Thương", "Xây dựng", "Giáo dục và Đào tạo",
             "Văn hóa, Thể thao và Du lịch", "Nông nghiệp và Môi trường", "Khoa học và Công nghệ")]
    pool += [f"Ủy ban nhân dân huyện {k} tỉnh {p}" for p in provinces for k in range(1, 40)]
    pool = pool[:agencies] + [XSS_LABEL]
    docs: list[tuple[str, str]] = []
    out: dict[str, Graph] = {}
    for i in range(n_docs):
        prov = provinces[i % len(provinces)]
        code = rnd.choice(["KH", "QĐ", "KH", "CV", "NQ"])
        number = f"{i + 1}/{code}-UBND" if code != "CV" else f"{i + 1}/UBND-VX"
        year = str(2015 + i % 10)
        date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        title = f"{_TYPE_NAME[code][0]} về công tác trẻ em và phát triển kinh tế - xã hội số {i + 1} tỉnh {prov}"
        sentences = [f"Ủy ban nhân dân tỉnh {prov}", f"Số: {number}", title]
        rel_lines, task_lines = [], []
        parent = None
        if docs and rnd.random() < 0.6:
            parent = rnd.choice(docs[-50:])
            rel_lines.append(("implements", parent, f"Thực hiện Kế hoạch số {parent[0]};"))
        elif rnd.random() < 0.9:
            nat = rnd.choice(national)
            rel_lines.append(("implements", nat, f"Thực hiện văn bản số {nat[0]};"))
        for _ in range(rnd.randint(2, 5)):
            nat = rnd.choice(national)
            rel_lines.append((rnd.choice(["cites", "based_on"]), nat, f"Căn cứ văn bản số {nat[0]};"))
        chosen = rnd.sample(pool, k=min(len(pool), 6))
        for k in range(tasks_per_doc):
            lead, co = chosen[k % len(chosen)], chosen[(k + 1) % len(chosen)]
            task_lines.append((lead, co, f"{k + 1}. {lead} chủ trì, phối hợp với {co} thực hiện nhiệm vụ {k + 1}."))
        content = "\n".join(sentences + [ln for _, _, ln in rel_lines] + ["II. NHIỆM VỤ"]
                            + [ln for _, _, ln in task_lines]) + "\n"
        b = DocBuilder(number=number, type_code=code, year=year, date=date, title=title,
                       issuer=f"Ủy ban nhân dân tỉnh {prov}", content=content,
                       path=f"synthetic/{i:04d}.txt", locality=prov)
        nth: dict[str, int] = {}
        for rel, target, line in rel_lines:
            if isinstance(target, tuple) and len(target) == 2:
                tnode = URIRef(target[1])
                b.g.add((tnode, RDF.type, ELI.LegalResource))
                b.g.add((tnode, ELI.id_local, Literal(target[0])))
            else:
                tnode = b.instrument(number=target[0], type_code=target[1], year=target[2])
            k = nth.get(line, 0)
            nth[line] = k + 1
            b.relate(rel, tnode, line, cue=line.split()[0], nth=k)
        b.provision("part_II", "part", "II", "NHIỆM VỤ", "II. NHIỆM VỤ", None)
        for k, (lead, co, line) in enumerate(task_lines):
            lo, co_node = b.org(lead), b.org(co)
            b.task(str(k + 1), f"thực hiện nhiệm vụ {k + 1}", "part_II", line,
                   [("lead", lo, lead), ("coordinate", co_node, co)], deadline=f"{year}-12-31")
        docs.append((number, str(b.doc)))
        out[b.graph_iri] = b.g
    return out
