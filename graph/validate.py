"""SHACL validation of the store against ``ontology/shapes.ttl`` (pySHACL)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH

from graph.errors import ValidationFailed

SHAPES = Path(__file__).resolve().parent.parent / "ontology" / "shapes.ttl"


def validate_graph(data: Graph, shapes_path: Path = SHAPES) -> tuple[bool, list[str], str]:
    """Validate ``data`` (an rdflib Graph: the union of the store's graphs).

    Returns ``(conforms, violations, report_text)``; each violation is one line naming the
    shape, the focus node, the path and the message. RDFS inference is off; the shapes state
    the contract directly.
    """
    import pyshacl  # noqa: PLC0415

    shapes = Graph().parse(shapes_path, format="turtle")
    conforms, report_g, report_text = pyshacl.validate(data, shacl_graph=shapes, inference="none",
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
    return bool(conforms), sorted(lines), report_text


def _shape_name(shapes: Graph, shape) -> str:
    """A property shape is a blank node: name it by the node shape that owns it."""
    from rdflib import BNode  # noqa: PLC0415

    while isinstance(shape, BNode):
        owner = next(shapes.subjects(SH.property, shape), None)
        if owner is None:
            break
        shape = owner
    return str(shape).rsplit("#", 1)[-1] if shape is not None else "?"


def store_union_graph(store) -> Graph:
    """All triples of the store as one rdflib Graph."""
    g = Graph()
    g.parse(data=store.export("ntriples").decode("utf-8"), format="nt")
    return g


def validate_store(store, shapes_path: Path = SHAPES) -> tuple[bool, list[str], str]:
    """Validate the union of the store's graphs; see :func:`validate_graph`."""
    return validate_graph(store_union_graph(store), shapes_path)
