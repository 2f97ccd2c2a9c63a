"""SHACL validation against ``ontology/shapes.ttl``.

Two engines, one shapes file:

- SHACL Core constraints (``sh:property``, ``sh:class``, ``sh:minCount`` …) run in pySHACL;
- SHACL-SPARQL constraints (``sh:sparql`` with ``sh:select``, https://www.w3.org/TR/shacl/#sparql-constraints)
  run in Oxigraph on the same data. pySHACL evaluates them with rdflib's SPARQL engine, whose
  ``FILTER NOT EXISTS`` is evaluated per focus node and per row — 8 s for one 6,000-triple
  document, minutes for a store. Oxigraph answers the same query in milliseconds.

  Semantics: SHACL pre-binds ``$this`` to each focus node. The constraint query is run once
  with ``$this`` free (in SPARQL ``$this`` and ``?this`` are the same variable), and a row is a
  result only if its ``?this`` is a focus node of the shape (its ``sh:targetClass`` with
  ``rdfs:subClassOf*``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode``).
  This equals pre-binding for queries in which ``$this`` occurs only in triple patterns and
  filters of the top-level group — true of the project's shapes; a query using ``$this`` in a
  sub-select or ``BIND`` is refused with :class:`~graph.errors.ValidationFailed` rather than
  evaluated differently. ``{$this}`` / ``{?var}`` in ``sh:message`` are substituted (§5.3.2).

A store is validated graph by graph (:func:`validate_store`): each document's named graph
together with the store-level graph (document-type scheme, agency hierarchy), so the work grows
linearly with the store. A document graph is self-contained by construction (it types every
node it mentions and carries its own evidence); the one check this does not make is a
conflict *between* documents about a shared instrument (e.g. two dates), which is reported by
reference resolution, not by the shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from graph.errors import ValidationFailed

SHAPES = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"

_SHAPES_CACHE: dict[tuple[str, float], tuple[Graph, Graph, list[_SparqlConstraint]]] = {}


@dataclass(frozen=True)
class _SparqlConstraint:
    """One ``sh:sparql`` constraint of a node shape."""

    shape: str  # the shape's local name
    query: str  # PREFIX lines + the sh:select text
    targets: tuple[tuple[str, str], ...]  # (target kind, IRI)
    message: str
    deactivated: bool


def _shape_name(shapes: Graph, shape) -> str:
    """A property shape is a blank node: name it by the node shape that owns it."""
    while isinstance(shape, BNode):
        owner = next(shapes.subjects(SH.property, shape), None)
        if owner is None:
            break
        shape = owner
    return str(shape).rsplit("#", 1)[-1] if shape is not None else "?"


def _prefix_lines(shapes: Graph, constraint) -> str:
    lines = []
    for pnode in shapes.objects(constraint, SH.prefixes):
        for decl in shapes.objects(pnode, SH.declare):
            prefix, ns = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines)


def _load_shapes(shapes_path: Path) -> tuple[Graph, Graph, list[_SparqlConstraint]]:
    """``(all shapes, shapes without sh:sparql, SPARQL constraints)``, cached per file version.

    Raises :class:`ValidationFailed` naming the file if it does not parse or a constraint uses
    ``$this`` where running it unbound would change its meaning."""
    key = (str(shapes_path), shapes_path.stat().st_mtime if shapes_path.exists() else 0.0)
    if key in _SHAPES_CACHE:
        return _SHAPES_CACHE[key]
    try:
        shapes = Graph().parse(shapes_path, format="turtle")
    except Exception as e:  # noqa: BLE001 - any parser error is a bad shapes file
        raise ValidationFailed(f"{shapes_path}: the shapes do not parse: {e}") from e
    core = Graph()
    for t in shapes:
        core.add(t)
    constraints = []
    for shape, cnode in shapes.subject_objects(SH.sparql):
        select = shapes.value(cnode, SH.select)
        if select is None:
            raise ValidationFailed(f"{shapes_path}: {shape}: only sh:select SPARQL constraints are supported")
        text = str(select)
        if re.search(r"(?i)\{\s*SELECT\b|\bBIND\s*\(", text.split("{", 1)[-1]):
            raise ValidationFailed(f"{shapes_path}: {shape}: $this in a sub-select or BIND is not supported")
        targets = []
        for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
            targets += [(str(kind), str(o)) for o in shapes.objects(shape, kind)]
        msg = shapes.value(cnode, SH.message) or shapes.value(shape, SH.message) or "SPARQL constraint"
        constraints.append(_SparqlConstraint(
            shape=_shape_name(shapes, shape), query=_prefix_lines(shapes, cnode) + "\n" + text,
            targets=tuple(targets), message=str(msg),
            deactivated=str(shapes.value(cnode, SH.deactivated) or "").lower() == "true"))
        core.remove((shape, SH.sparql, cnode))
    _SHAPES_CACHE.clear()
    _SHAPES_CACHE[key] = (shapes, core, constraints)
    return _SHAPES_CACHE[key]


def _focus_nodes(st: ox.Store, c: _SparqlConstraint) -> set[str]:
    """IRIs (and blank-node ids) of the focus nodes of ``c``'s shape in ``st``."""
    out: set[str] = set()
    for kind, iri in c.targets:
        pattern = {
            str(SH.targetClass): f"?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{iri}>",
            str(SH.targetSubjectsOf): f"?this <{iri}> ?any",
            str(SH.targetObjectsOf): f"?any <{iri}> ?this",
        }.get(kind)
        if pattern is None:  # sh:targetNode
            out.add(str(ox.NamedNode(iri)))
            continue
        out.update(str(s["this"]) for s in st.query(f"SELECT DISTINCT ?this WHERE {{ {pattern} }}"))
    return out


def _sparql_violations(st: ox.Store, constraints: list[_SparqlConstraint]) -> list[str]:
    """One line per result row of each active constraint whose ``?this`` is a focus node."""
    lines = []
    for c in constraints:
        if c.deactivated:
            continue
        focus = _focus_nodes(st, c)
        try:
            res = st.query(c.query)
        except SyntaxError as e:
            raise ValidationFailed(f"shape {c.shape}: its SPARQL constraint does not parse: {e}") from e
        names = [v.value for v in res.variables]
        for row in res:
            this = row["this"] if "this" in names else None
            if this is None or str(this) not in focus:
                continue
            msg = c.message
            for n in names:
                if row[n] is not None:
                    msg = msg.replace(f"{{${n}}}", row[n].value).replace(f"{{?{n}}}", row[n].value)
            lines.append(f"{c.shape}: {this.value} : {msg}")
    return lines


def _validate(data: Graph, ox_data: ox.Store, shapes_path: Path) -> tuple[bool, list[str], str]:
    import pyshacl  # noqa: PLC0415

    shapes, core, constraints = _load_shapes(shapes_path)
    conforms, report_g, report_text = pyshacl.validate(data, shacl_graph=core, inference="none",
                                                       allow_warnings=True)
    if not isinstance(report_g, Graph):  # pySHACL could not run the shapes themselves
        raise ValidationFailed(f"{shapes_path}: {report_text}")
    lines = []
    for r in report_g.subjects(SH.resultSeverity, SH.Violation):
        shape = report_g.value(r, SH.sourceShape)
        focus = report_g.value(r, SH.focusNode)
        path = report_g.value(r, SH.resultPath)
        msg = report_g.value(r, SH.resultMessage)
        name = _shape_name(shapes, shape)
        lines.append(f"{name}: {focus} {('path ' + path.n3(data.namespace_manager)) if path else ''}: {msg}")
    sparql_lines = _sparql_violations(ox_data, constraints)
    if sparql_lines:
        report_text += "\nSHACL-SPARQL constraints (Oxigraph):\n" + "\n".join(sparql_lines)
    lines += sparql_lines
    return bool(conforms) and not sparql_lines, sorted(lines), report_text


def validate_graph(data: Graph, shapes_path: Path = SHAPES) -> tuple[bool, list[str], str]:
    """Validate ``data`` (an rdflib Graph) against the shapes.

    Returns ``(conforms, violations, report_text)``; each violation is one line naming the
    shape, the focus node, the path (core constraints) and the message. RDFS inference is off;
    the shapes state the contract directly. Raises :class:`ValidationFailed` if the shapes file
    cannot be used.
    """
    st = ox.Store()
    st.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return _validate(data, st, shapes_path)


def validate_ntriples(chunks: list[bytes], shapes_path: Path = SHAPES) -> tuple[bool, list[str], str]:
    """Validate the union of N-Triples ``chunks`` (UTF-8 bytes); see :func:`validate_graph`.
    Raises :class:`ValidationFailed` if a chunk is not N-Triples."""
    data = b"".join(c if c.endswith(b"\n") or not c else c + b"\n" for c in chunks)
    st = ox.Store()
    try:
        st.load(data, format=ox.RdfFormat.N_TRIPLES)
    except SyntaxError as e:
        raise ValidationFailed(f"the data to validate is not N-Triples: {e}") from e
    return _validate(_to_rdflib(st), st, shapes_path)


def _to_rdflib(st: ox.Store) -> Graph:
    """The default graph of an Oxigraph store as an rdflib Graph (≈10× faster than rdflib's own
    N-Triples parser on our data)."""
    from rdflib import Literal  # noqa: PLC0415

    iris: dict[str, URIRef] = {}

    def term(t):
        if isinstance(t, ox.NamedNode):
            u = iris.get(t.value)
            if u is None:
                u = iris[t.value] = URIRef(t.value)
            return u
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return Literal(t.value, datatype=None if dt == _XSD_STRING else iris.get(dt) or URIRef(dt))

    g = Graph()
    add = g.add
    for q in st:
        add((term(q.subject), term(q.predicate), term(q.object)))
    return g


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def store_union_graph(store) -> Graph:
    """All triples of the store as one rdflib Graph."""
    g = Graph()
    g.parse(data=store.export("ntriples").decode("utf-8"), format="nt")
    return g


def validate_store(store, shapes_path: Path = SHAPES, *, graphs: list[str] | None = None,
                   workers: int = 1, progress=None) -> tuple[bool, list[str], str]:
    """Validate a store (:class:`~graph.store.GraphStore` or a remote store) graph by graph.

    ``graphs``: the named graphs to check (default: all; the store-level graph is checked
    with each). ``workers`` > 1 validates in that many processes. ``progress(done, total)`` is
    called after each graph. Returns ``(conforms, violations, report_text)`` over all of them
    (violations sorted, each once). Raises :class:`ValidationFailed` if the shapes cannot be
    used or a graph is not valid RDF.
    """
    from graph.vocab import META_GRAPH  # noqa: PLC0415

    all_graphs = store.named_graphs()
    meta = store.graph_ntriples(META_GRAPH) if META_GRAPH in all_graphs else b""
    todo = [g for g in (graphs if graphs is not None else all_graphs) if g != META_GRAPH and g in all_graphs]
    jobs = ([store.graph_ntriples(g), meta] for g in todo) if todo else iter([[meta]] if meta else [])
    total = max(len(todo), 1)
    conforms, lines, texts = True, [], []

    def take(i: int, result: tuple[bool, list[str], str]) -> None:
        nonlocal conforms
        ok, v, text = result
        conforms &= ok
        lines.extend(v)
        if not ok:
            texts.append(text)
        if progress is not None:
            progress(i + 1, total)

    if workers > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(validate_ntriples, chunks, shapes_path) for chunks in jobs]
            for i, f in enumerate(futures):
                take(i, f.result())
    else:
        for i, chunks in enumerate(jobs):
            take(i, validate_ntriples(chunks, shapes_path))
    if not texts:
        texts.append("Validation Report\nConforms: True")
    return conforms, sorted(set(lines)), "\n".join(texts)
