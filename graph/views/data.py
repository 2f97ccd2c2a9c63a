"""Data functions behind the pages: ``fn(src, *args) -> plain Python data`` (lists of dicts,
strings, numbers), where ``src`` is a :class:`graph.views.common.Source`. ``app.py`` caches
them per store version, so they must not return anything that refers back to the store.

SPARQL here avoids ``OPTIONAL { … FILTER(lang(…)) }`` (Oxigraph evaluates it as a scan per row:
seconds on a 300-document store) and uses ``DISTINCT`` everywhere: over the union of named
graphs a statement stored in two document graphs is returned twice. Language choice and
joins of labels are done in Python.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from graph.network import DOC_RELATIONS, PROPERTY_RELATION, ROLE_RELATIONS, type_labels
from graph.views.common import fold, iri
from graph.vocab import SPARQL_PREFIXES

P = SPARQL_PREFIXES

_ROLE_VALUES = ('(plg:leadAgency "lead") (plg:coordinatingAgency "coordinate") '
                '(plg:responsibleAgency "responsible")')


def _lang_pick(pairs: list[tuple[str, str]], lang: str) -> str:
    """First value whose language tag is ``lang`` (``""`` counts as Vietnamese)."""
    for v, lg in sorted(pairs, key=lambda p: (-len(p[0]), p[0])):
        if (lg or "vi") == lang:
            return v
    return ""


def _labels(store, nodes: list[str]) -> dict[str, tuple[str, str]]:
    """node IRI → (Vietnamese label, English label) from skos:prefLabel / rdfs:label / foaf:name."""
    out: dict[str, tuple[str, str]] = {}
    for i in range(0, len(nodes), 400):
        chunk = nodes[i:i + 400]
        values = " ".join(iri(n) for n in chunk)
        _, rows = store.select(P + f"""SELECT DISTINCT ?x ?l (LANG(?l) AS ?lang) WHERE {{
          VALUES ?x {{ {values} }} ?x skos:prefLabel|rdfs:label|foaf:name ?l }}""")
        acc: dict[str, list] = defaultdict(list)
        for r in rows:
            acc[r["x"]].append((r["l"], r.get("lang") or ""))
        for n, pairs in acc.items():
            out[n] = (_lang_pick(pairs, "vi"), _lang_pick(pairs, "en"))
    return out


# ---- overview -------------------------------------------------------------------------------

def stats(src) -> dict:
    """Counts for the overview (see :func:`graph.stats.store_stats`)."""
    from graph.stats import store_stats  # noqa: PLC0415

    return store_stats(src.store)


def documents(src) -> list[dict]:
    """Every stored document: ``doc`` (IRI), ``number``, ``type``/``type_en``, ``issuer``/
    ``issuer_en`` ("; "-joined), ``date`` (ISO), ``title``, ``paths`` (every source path recorded,
    sorted), ``path`` (the first), ``tasks`` (count),
    ``key`` (folded number + title + issuer, for search). Newest first."""
    store = src.store
    _, rows = store.select(P + """SELECT DISTINCT ?doc ?number ?date ?title ?path WHERE {
      ?doc plg:sourceFile ?src . OPTIONAL { ?src plg:sourcePath ?path }
      OPTIONAL { ?doc eli:id_local ?number } OPTIONAL { ?doc eli:date_document ?date }
      OPTIONAL { ?doc eli:title ?title } }""")
    docs: dict[str, dict] = {}
    for r in rows:
        d = docs.setdefault(r["doc"], {"doc": r["doc"], "number": "", "type": "", "type_en": "", "issuer": "",
                                        "issuer_en": "", "date": "", "title": "", "path": "", "paths": [],
                                        "tasks": 0})
        for k in ("number", "date", "title"):
            if r.get(k) and not d[k]:
                d[k] = str(r[k])
        if r.get("path") and r["path"] not in d["paths"]:
            d["paths"].append(str(r["path"]))
    tl = type_labels(store)
    types: dict[str, dict] = {}
    _, rows = store.select(P + """SELECT DISTINCT ?doc ?t WHERE { ?doc plg:sourceFile ?s ; eli:type_document ?t }""")
    for r in sorted(rows, key=lambda r: r["t"]):
        if r["t"] in tl:
            types.setdefault(r["doc"], tl[r["t"]])
    issuers: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    _, rows = store.select(P + """SELECT DISTINCT ?doc ?o ?l (LANG(?l) AS ?lang) WHERE {
      ?doc plg:sourceFile ?s ; eli:passed_by ?o . ?o skos:prefLabel ?l }""")
    for r in rows:
        issuers[r["doc"]][r["o"]].append((r["l"], r.get("lang") or ""))
    _, rows = store.select(P + """SELECT ?doc (COUNT(DISTINCT ?t) AS ?n) WHERE {
      ?t plg:inDocument ?doc . ?doc plg:sourceFile ?s } GROUP BY ?doc""")
    for r in rows:
        if r["doc"] in docs:
            docs[r["doc"]]["tasks"] = int(r["n"] or 0)
    for doc, d in docs.items():
        d["paths"].sort()
        d["path"] = d["paths"][0] if d["paths"] else ""
        d["type"] = types.get(doc, {}).get("vi", "")
        d["type_en"] = types.get(doc, {}).get("en", "")
        orgs = issuers.get(doc, {})
        d["issuer"] = "; ".join(sorted(_lang_pick(p, "vi") for p in orgs.values()))
        d["issuer_en"] = "; ".join(sorted(_lang_pick(p, "en") or _lang_pick(p, "vi") for p in orgs.values()))
        d["key"] = fold(" ".join((d["number"], d["title"], d["issuer"], d["type"])))
    return sorted(docs.values(), key=lambda d: (d["date"] or "", d["number"]), reverse=True)


def main_document(src) -> str | None:
    """The main plan of the store (see :func:`pick_main`)."""
    return pick_main(documents(src))


def pick_main(docs: list[dict]) -> str | None:
    """The main plan among :func:`documents` rows: the document read from the shipped input
    folder (``data/documents``, first by path), else the one with the most tasks; None if empty."""
    if not docs:
        return None
    shipped = sorted((min(p for p in d["paths"] if _shipped(p)), d["doc"]) for d in docs
                     if any(_shipped(p) for p in d["paths"]))
    if shipped:
        return shipped[0][1]
    return max(docs, key=lambda d: (d["tasks"], d["date"], d["doc"]))["doc"]


def _shipped(path: str) -> bool:
    p = path.replace("\\", "/")
    return p.startswith("data/documents/") or "/data/documents/" in p


def document_card(src, doc: str) -> dict:
    """Metadata of one document: every literal field (``number``, ``title``, ``date``,
    ``effective``, ``place``, ``locality``), ``type``/``type_en``, ``issuers`` [(vi, en)],
    ``signer``, ``source`` {path, format, sha256}, counts (``provisions``, ``tasks``, ``agencies``,
    ``evidence``) and ``relations``: [{relation, target, label, label_en, number}]."""
    store = src.store
    d = iri(doc)
    _, rows = store.select(P + f"SELECT DISTINCT ?p ?o WHERE {{ {d} ?p ?o }}")
    by: dict[str, list] = defaultdict(list)
    for r in rows:
        by[r["p"]].append(r["o"])
    E, PL = "http://data.europa.eu/eli/ontology#", "https://w3id.org/plg/ontology#"

    def one(p: str) -> str:
        vals = sorted(str(v) for v in by.get(p, []) if v is not None)
        return vals[0] if vals else ""

    card = {"doc": doc, "number": one(E + "id_local"), "title": one(E + "title"), "date": one(E + "date_document"),
            "effective": one(E + "first_date_entry_in_force"), "place": one(PL + "placeOfIssue"),
            "locality": one(PL + "locality")}
    targets = sorted({o for p, os_ in by.items() if PROPERTY_RELATION.get(p) in DOC_RELATIONS for o in os_})
    orgs = sorted(set(by.get(E + "passed_by", [])))
    signer = sorted(set(by.get(PL + "signedBy", [])))
    types = sorted(set(by.get(E + "type_document", [])))
    labels = _labels(store, targets + orgs + signer)
    tl = type_labels(store) if types else {}
    card["type"] = tl.get(types[0], {}).get("vi", "") if types else ""
    card["type_en"] = tl.get(types[0], {}).get("en", "") if types else ""
    card["issuers"] = [labels.get(o, (o, "")) for o in orgs]
    card["signer"] = labels.get(signer[0], ("", ""))[0] if signer else ""
    nums: dict[str, str] = {}
    tlabels: dict[str, list] = defaultdict(list)
    if targets:
        values = " ".join(iri(t) for t in targets)
        _, rows = store.select(P + f"SELECT DISTINCT ?x ?n WHERE {{ VALUES ?x {{ {values} }} ?x eli:id_local ?n }}")
        nums = {r["x"]: r["n"] for r in rows}
        _, rows = store.select(P + f"""SELECT DISTINCT ?x ?t WHERE {{ VALUES ?x {{ {values} }}
          ?x eli:type_document ?t }}""")
        tl_all = type_labels(store) if rows else {}
        for r in rows:
            c = tl_all.get(r["t"], {})
            tlabels[r["x"]] += [(c[k], lang) for k, lang in (("vi", "vi"), ("en", "en")) if c.get(k)]
    rels = []
    for p, os_ in sorted(by.items()):
        rel = PROPERTY_RELATION.get(p)
        if rel not in DOC_RELATIONS:
            continue
        for o in sorted(set(os_)):
            vi, en = labels.get(o, ("", ""))
            n = nums.get(o, "")
            if n and not vi:  # known only by number here: "type number", as the projection labels it
                vi = f"{_lang_pick(tlabels.get(o, []), 'vi')} {n}".strip()
                en = en or (f"{_lang_pick(tlabels.get(o, []), 'en')} {n}".strip() if _lang_pick(
                    tlabels.get(o, []), "en") else "")
            rels.append({"relation": rel, "target": o, "label": vi or o, "label_en": en, "number": n})
    card["relations"] = sorted(rels, key=lambda r: (DOC_RELATIONS.index(r["relation"]), r["label"]))
    srcs = sorted(set(by.get(PL + "sourceFile", [])))
    card["source"] = {}
    if srcs:
        _, rows = store.select(P + f"""SELECT DISTINCT ?path ?fmt ?h WHERE {{ {iri(srcs[0])} plg:sourcePath ?path .
          OPTIONAL {{ {iri(srcs[0])} plg:sourceFormat ?fmt }} OPTIONAL {{ {iri(srcs[0])} plg:contentHash ?h }} }}""")
        if rows:
            card["source"] = {"path": rows[0]["path"] or "", "format": rows[0].get("fmt") or "",
                              "sha256": rows[0].get("h") or ""}
    _, rows = store.select(P + f"""SELECT
      (COUNT(DISTINCT ?t) AS ?tasks) WHERE {{ ?t plg:inDocument {d} }}""")
    card["tasks"] = int(rows[0]["tasks"] or 0) if rows else 0
    _, rows = store.select(P + f"""SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a plg:mentionedIn {d} }}""")
    card["agencies"] = int(rows[0]["n"] or 0) if rows else 0
    _, rows = store.select(P + f"""SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{
      GRAPH ?g {{ {d} plg:sourceFile ?s . ?x a eli:LegalResourceSubdivision }} }}""")
    card["provisions"] = int(rows[0]["n"] or 0) if rows else 0
    return card


# ---- agencies -------------------------------------------------------------------------------

def agencies(src) -> list[dict]:
    """Every agency and agency group: ``node``, ``label``, ``label_en``, ``kind``, ``names``
    (all name variants), ``tasks`` (assigned, any role), ``key`` (folded names, for search).
    Sorted by tasks, then label."""
    G = src.graph
    rows = []
    for n, d in G.nodes(data=True):
        if d.get("kind") not in ("agency", "group"):
            continue
        names = [d.get("label", ""), d.get("label_en", "")] + [a for a in d.get("alt", "").split("; ") if a]
        tasks = {t for t, _, k in G.in_edges(n, keys=True) if k in ROLE_RELATIONS}
        rows.append({"node": n, "label": d.get("label", ""), "label_en": d.get("label_en", ""),
                     "kind": d["kind"], "names": [x for x in dict.fromkeys(names) if x], "tasks": len(tasks),
                     "key": fold(" | ".join(names))})
    rows.sort(key=lambda r: (-r["tasks"], r["label"]))
    return rows


def agency_tasks(src, agency: str) -> list[dict]:
    """Tasks of ``agency`` across documents, directly or through a group it belongs to. Rows:
    ``task``, ``role``, ``via`` (group label, "" when direct), ``summary``, ``text``, ``doc``,
    ``number``, ``document`` (the number, else the clipped title or name), ``provision`` (eid),
    ``provision_label``, ``deadline``, ``frequency``. Ordered by document (numbered first),
    provision, role."""
    store = src.store
    a = iri(agency)
    _, rows = store.select(P + f"""SELECT DISTINCT ?task ?role ?via ?doc WHERE {{
      VALUES (?p ?role) {{ {_ROLE_VALUES} }}
      {{ ?task ?p {a} }} UNION {{ ?via plg:member {a} . ?task ?p ?via }}
      ?task plg:inDocument ?doc }}""")
    if not rows:
        return []
    tasks = sorted({r["task"] for r in rows})
    info: dict[str, dict] = {t: {} for t in tasks}
    for i in range(0, len(tasks), 300):
        values = " ".join(iri(t) for t in tasks[i:i + 300])
        _, trs = store.select(P + f"""SELECT DISTINCT ?task ?p ?o WHERE {{ VALUES ?task {{ {values} }}
          VALUES ?p {{ rdfs:label dct:description plg:inProvision plg:deadline plg:frequency plg:deadlineText }}
          ?task ?p ?o }}""")
        for r in trs:
            info[r["task"]].setdefault(r["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1], str(r["o"]))
    provs = sorted({v["inProvision"] for v in info.values() if v.get("inProvision")})
    peid: dict[str, tuple[str, str]] = {}
    for i in range(0, len(provs), 300):
        values = " ".join(iri(p) for p in provs[i:i + 300])
        _, prs = store.select(P + f"""SELECT DISTINCT ?x ?eid ?label WHERE {{ VALUES ?x {{ {values} }}
          OPTIONAL {{ ?x plg:eid ?eid }} OPTIONAL {{ ?x plg:label ?label }} }}""")
        for r in prs:
            peid[r["x"]] = (r.get("eid") or "", r.get("label") or "")
    docs = sorted({r["doc"] for r in rows})
    values = " ".join(iri(d) for d in docs)
    _, drs = store.select(P + f"""SELECT DISTINCT ?d ?p ?v WHERE {{ VALUES ?d {{ {values} }}
      VALUES ?p {{ eli:id_local eli:title plg:name }} ?d ?p ?v }}""")
    num: dict[str, str] = {}
    names: dict[str, str] = {}
    for r in sorted(drs, key=lambda r: (r["d"], r["p"], str(r["v"]))):
        if r["p"].endswith("id_local"):
            num.setdefault(r["d"], r["v"])
        else:
            names.setdefault(r["d"], " ".join(str(r["v"]).split()))
    via = sorted({r["via"] for r in rows if r.get("via")})
    vlabels = _labels(store, via) if via else {}
    out = []
    for r in rows:
        t = info.get(r["task"], {})
        prov = t.get("inProvision", "")
        eid, plabel = peid.get(prov, ("", ""))
        if not eid and prov and "/" in prov:
            eid = prov.rsplit("/", 1)[-1]
        out.append({"task": r["task"], "role": r["role"], "via": vlabels.get(r.get("via") or "", ("", ""))[0],
                    "summary": t.get("label", ""), "text": t.get("description", ""), "doc": r["doc"],
                    "number": num.get(r["doc"], ""), "document": num.get(r["doc"]) or _clip(names.get(r["doc"], "")),
                    "provision": eid, "provision_label": plabel,
                    "deadline": t.get("deadline", "") or t.get("deadlineText", ""),
                    "frequency": t.get("frequency", "")})
    order = {k: i for i, k in enumerate(ROLE_RELATIONS)}
    out.sort(key=lambda x: (not x["number"], x["document"], x["provision"], x["task"], order.get(x["role"], 9),
                            x["via"]))
    return out


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def task_matrix(src, doc: str) -> dict:
    """The agency × task matrix of one document: ``tasks`` [{task, summary, provision}] in
    document order, ``agencies`` [{node, label, label_en}] by number of tasks, ``marks``
    {(agency, task): role} (strongest role when several: lead > coordinate > responsible)."""
    store = src.store
    d = iri(doc)
    _, rows = store.select(P + f"""SELECT DISTINCT ?task ?role ?agency WHERE {{
      ?task plg:inDocument {d} .
      VALUES (?p ?role) {{ {_ROLE_VALUES} }} ?task ?p ?agency }}""")
    _, trs = store.select(P + f"""SELECT DISTINCT ?task ?summary ?eid WHERE {{ ?task plg:inDocument {d} .
      OPTIONAL {{ ?task rdfs:label ?summary }} OPTIONAL {{ ?task plg:inProvision/plg:eid ?eid }} }}""")
    tasks: dict[str, dict] = {}
    for r in trs:
        tasks.setdefault(r["task"], {"task": r["task"], "summary": r.get("summary") or "", "provision": r.get("eid") or ""})
    marks: dict[tuple[str, str], str] = {}
    rank = {k: i for i, k in enumerate(ROLE_RELATIONS)}
    for r in rows:
        k = (r["agency"], r["task"])
        if k not in marks or rank[r["role"]] < rank[marks[k]]:
            marks[k] = r["role"]
    count = Counter(a for a, _ in marks)
    labels = _labels(store, sorted(count))
    ags = [{"node": a, "label": labels.get(a, (a, ""))[0] or a, "label_en": labels.get(a, ("", ""))[1]}
           for a in sorted(count, key=lambda a: (-count[a], labels.get(a, (a, ""))[0]))]

    def task_key(t: dict):
        tail = t["task"].rsplit("/", 1)[-1]
        return (int(tail) if tail.isdigit() else 10 ** 9, t["task"])

    return {"tasks": sorted(tasks.values(), key=task_key), "agencies": ags, "marks": marks}


# ---- reader ---------------------------------------------------------------------------------

MENTION_KINDS = ("reference", "agency", "date", "task", "metadata")
"""Kinds of highlighted mentions, in priority order for identical spans."""

_DATE_PROPS = {"http://data.europa.eu/eli/ontology#date_document",
               "http://data.europa.eu/eli/ontology#first_date_entry_in_force",
               "https://w3id.org/plg/ontology#deadline"}
_AGENCY_PROPS = {"http://data.europa.eu/eli/ontology#passed_by", "https://w3id.org/plg/ontology#reportTo"}


def source_text(src, doc: str) -> dict:
    """The source of a document: ``content`` (the text evidence offsets index into), ``path``,
    ``format``, ``src`` (IRI of the plg:SourceFile); ``{}`` when the document has none."""
    _, rows = src.store.select(P + f"""SELECT DISTINCT ?src ?content ?path ?fmt WHERE {{
      {iri(doc)} plg:sourceFile ?src . ?src plg:content ?content .
      OPTIONAL {{ ?src plg:sourcePath ?path }} OPTIONAL {{ ?src plg:sourceFormat ?fmt }} }}""")
    if not rows:
        return {}
    r = rows[0]
    return {"src": r["src"], "content": r["content"] or "", "path": r.get("path") or "", "format": r.get("fmt") or ""}


def mentions(src, doc: str) -> list[dict]:
    """Highlightable mentions in the document's source text, from its ``plg:Evidence`` nodes:
    ``start``/``end`` (character offsets into ``plg:content``), ``kind`` (see
    :data:`MENTION_KINDS`), ``target`` (IRI of the resource the mention is about), ``label``/
    ``label_en`` of the target, ``relation`` (relation name or property local name), ``quote``.

    Kinds: a document relation or a referenced instrument's own fields → ``reference`` (target
    the instrument); ``plg:mentionedIn``, task roles, ``eli:passed_by`` → ``agency`` (target the
    agency); the document's dates → ``date``; ``plg:inProvision`` → ``task`` (target the task);
    the document's other fields (number, type, title, signer) → ``metadata``. One mention per
    (span, kind, target); sorted by start, longest first.
    """
    store = src.store
    d = iri(doc)
    _, rows = store.select(P + f"""SELECT DISTINCT ?s ?p ?o ?start ?end ?quote WHERE {{
      {d} plg:sourceFile ?src .
      ?ev prov:wasDerivedFrom ?src ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; oa:hasSelector ?sel .
      ?sel oa:start ?start ; oa:end ?end .
      OPTIONAL {{ ?ev plg:quote ?quote }} }}""")
    out: dict[tuple, dict] = {}
    for r in rows:
        s, p, o = r["s"], r["p"], r["o"]
        try:
            start, end = int(r["start"]), int(r["end"])
        except (TypeError, ValueError):
            continue
        if end <= start:
            continue
        rel = PROPERTY_RELATION.get(p, "")
        if rel in DOC_RELATIONS:
            kind, target = "reference", o
        elif rel == "mentioned_in":
            kind, target = "agency", s
        elif rel in ROLE_RELATIONS:
            kind, target = "agency", o
        elif p == "https://w3id.org/plg/ontology#inProvision":
            kind, target = "task", s
        elif s != doc:
            kind, target = "reference", s
        elif p in _DATE_PROPS:
            kind, target = "date", s
        elif p in _AGENCY_PROPS:
            kind, target = "agency", o
        else:
            kind, target = "metadata", s
        if not rel:
            rel = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        key = (start, end, kind, target)
        if key not in out:
            out[key] = {"start": start, "end": end, "kind": kind, "target": target, "relation": rel,
                        "quote": r.get("quote") or ""}
    labels = _labels(store, sorted({m["target"] for m in out.values() if m["target"].startswith("http")}))
    for m in out.values():
        vi, en = labels.get(m["target"], ("", ""))
        m["label"], m["label_en"] = vi, en
    return sorted(out.values(), key=lambda m: (m["start"], -m["end"], MENTION_KINDS.index(m["kind"])))


def provisions(src, doc: str) -> list[dict]:
    """The provision tree of a document, flattened in text order: ``node``, ``eid``, ``kind``,
    ``label``, ``heading``, ``start``, ``end`` (character offsets), ``parent`` (IRI, the document
    for top level), ``depth`` (0 = top)."""
    _, rows = src.store.select(P + f"""SELECT DISTINCT ?x ?parent ?eid ?kind ?label ?heading ?start ?end WHERE {{
      GRAPH ?g {{ {iri(doc)} plg:sourceFile ?s . ?x a eli:LegalResourceSubdivision ; eli:is_part_of ?parent .
        OPTIONAL {{ ?x plg:eid ?eid }} OPTIONAL {{ ?x plg:provisionKind ?kind }} OPTIONAL {{ ?x plg:label ?label }}
        OPTIONAL {{ ?x plg:heading ?heading }} OPTIONAL {{ ?x plg:start ?start }} OPTIONAL {{ ?x plg:end ?end }} }} }}""")
    nodes: dict[str, dict] = {}
    for r in rows:
        nodes.setdefault(r["x"], {"node": r["x"], "parent": r["parent"], "eid": r.get("eid") or "",
                                  "kind": r.get("kind") or "", "label": r.get("label") or "",
                                  "heading": r.get("heading") or "", "start": int(r.get("start") or 0),
                                  "end": int(r.get("end") or 0)})
    for n in nodes.values():
        depth, p, seen = 0, n["parent"], set()
        while p in nodes and p not in seen:
            seen.add(p)
            depth += 1
            p = nodes[p]["parent"]
        n["depth"] = depth
    return sorted(nodes.values(), key=lambda n: (n["start"], n["depth"], n["eid"]))


# ---- console --------------------------------------------------------------------------------

def run_sparql(src, sparql: str, bindings: tuple[tuple[str, str], ...] = ()) -> dict:
    """Run a read-only SELECT (or ASK) query: ``{"columns", "rows", "error"}``; ``error`` holds
    the refusal, parser or engine message (never raises on a bad query). Before running, the
    text goes through :func:`graph.sparql_guard.check`: updates, ``LOAD``, ``SERVICE`` (Oxigraph
    would make the HTTP request) and foreign dataset IRIs are refused, so the console can neither
    write nor reach the network. ``bindings``: (variable, string value) pairs, bound by
    substitution on the embedded store or by a ``VALUES`` clause on a remote endpoint."""
    from graph.errors import PolicyGraphError  # noqa: PLC0415
    from graph.queries import NamedQuery, render  # noqa: PLC0415
    from graph.sparql_guard import check  # noqa: PLC0415

    store = src.store
    b = dict(bindings)
    try:
        check(sparql)
        text = render(NamedQuery("console", "console", "", sparql, dict(b)), b) if b else sparql
        if hasattr(store, "ox"):
            import pyoxigraph as ox  # noqa: PLC0415

            from graph.store import term_value  # noqa: PLC0415

            res = store.query(text)
            if isinstance(res, ox.QueryBoolean):
                return {"columns": ["result"], "rows": [{"result": bool(res)}], "error": ""}
            if not isinstance(res, ox.QuerySolutions):
                return {"columns": [], "rows": [], "error": "only SELECT and ASK queries are shown here"}
            cols = [v.value for v in res.variables]
            rows = [{c: term_value(sol[c]) for c in cols} for sol in res]
            return {"columns": cols, "rows": rows, "error": ""}
        cols, rows = store.select(text)
        return {"columns": cols, "rows": rows, "error": ""}
    except PolicyGraphError as e:
        return {"columns": [], "rows": [], "error": str(e)}
