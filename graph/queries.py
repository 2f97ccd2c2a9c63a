"""Named SPARQL queries, loaded from ``ontology/queries/*.rq``.

Each file starts with comment lines giving its metadata::

    # title: Mandate chain of a document
    # description: What the document implements, transitively …
    # param: number = "377/KH-UBND"

A ``param`` names a query variable and its default value (a string literal); callers bind it
with :func:`bind` (Oxigraph substitution, SEP-0007) or, for remote endpoints, a ``VALUES``
clause appended to the query (SPARQL 1.1 §10.2.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graph.errors import QueryError
from graph.store import sparql_literal

QUERY_DIR = Path(__file__).resolve().parent.parent / "ontology" / "queries"


@dataclass(frozen=True)
class NamedQuery:
    """A named query: ``name`` (file stem), ``title``, ``description``, ``sparql`` text and
    ``params`` (variable name → default string value)."""

    name: str
    title: str
    description: str
    sparql: str
    params: dict[str, str] = field(default_factory=dict)


_META = re.compile(r"^#\s*(title|description|param):\s*(.*)$")
_PARAM = re.compile(r'^(\w+)\s*=\s*"(.*)"\s*$')


def parse_query_file(path: Path) -> NamedQuery:
    """Read one ``.rq`` file. Raises :class:`QueryError` naming the file if its header is bad."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: dict[str, str] = {}
    for line in text.splitlines():
        m = _META.match(line.strip())
        if not m:
            continue
        key, value = m.groups()
        if key == "param":
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"{path}: bad param line {line!r} (want: # param: name = \"default\")")
            params[pm.group(1)] = pm.group(2)
        else:
            meta[key] = value.strip()
    if "title" not in meta:
        raise QueryError(f"{path}: missing '# title:' line")
    return NamedQuery(path.stem, meta["title"], meta.get("description", ""), text, params)


@lru_cache(maxsize=4)
def load_queries(directory: str | None = None) -> dict[str, NamedQuery]:
    """All named queries of ``directory`` (default ``ontology/queries``), keyed by name."""
    d = Path(directory) if directory else QUERY_DIR
    return {p.stem: parse_query_file(p) for p in sorted(d.glob("*.rq"))}


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; :class:`QueryError` listing the known names if absent."""
    qs = load_queries()
    if name not in qs:
        raise QueryError(f"unknown query {name!r}; known: {', '.join(qs)}", name=name)
    return qs[name]


def substitutions(q: NamedQuery, values: dict[str, str] | None = None) -> dict[str, str]:
    """Parameter bindings with defaults filled in. Unknown parameter names raise
    :class:`QueryError`."""
    values = dict(values or {})
    unknown = set(values) - set(q.params)
    if unknown:
        raise QueryError(f"unknown parameter(s) {sorted(unknown)}; this query takes {sorted(q.params)}",
                         name=q.name)
    return {k: values.get(k, d) for k, d in q.params.items()}


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def render(q: NamedQuery, values: dict[str, str] | None = None) -> str:
    """The query text with its parameters bound by an inline ``VALUES`` block (SPARQL 1.1
    §10.2.1), so any endpoint accepts it and the engine starts from the bound value. The block
    goes where the file has a ``#@params`` line (e.g. inside the sub-select that uses the
    parameter: sub-selects do not see outer bindings), else first in the top-level ``WHERE``.
    Raises :class:`QueryError` if a parameterised query has neither."""
    bound = substitutions(q, values)
    if not bound:
        return q.sparql
    names = " ".join(f"?{k}" for k in bound)
    row = " ".join(sparql_literal(v) for v in bound.values())
    if "#@params" in q.sparql:
        return q.sparql.replace("#@params", f"VALUES ({names}) {{ ({row}) }}", 1)
    m = _WHERE.search(q.sparql)
    if not m:
        raise QueryError("parameterised query has no WHERE clause", name=q.name)
    return f"{q.sparql[:m.end()]}\n  VALUES ({names}) {{ ({row}) }}{q.sparql[m.end():]}"


@contextmanager
def naming_errors(name: str) -> Iterator[None]:
    """Inside the block, a :class:`QueryError` that names no query is raised again naming the
    named query ``name`` (same message and status); one that already names a query (e.g. an
    unknown parameter) passes unchanged, so the name is never given twice."""
    try:
        yield
    except QueryError as e:
        if e.name:
            raise
        raise QueryError(str(e), name=name, status=e.status) from e


def run_named(store, name: str, values: dict[str, str] | None = None) -> tuple[list[str], list[dict]]:
    """Run the named query ``name`` on ``store`` with parameter ``values``; returns
    ``(variables, rows)`` as :meth:`graph.store.GraphStore.select`. Errors name the query
    (:func:`naming_errors`)."""
    q = get_query(name)
    with naming_errors(name):
        return store.select(render(q, values))
