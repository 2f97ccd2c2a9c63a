"""Inspect a SPARQL request before it reaches the engine: what kind of operation it is, and whether
it would touch the network or the file system.

The endpoint (:mod:`graph.serve`) is read-only and must never make an outbound connection on a
client's behalf. Oxigraph itself *does* execute ``SERVICE`` and ``LOAD`` over HTTP, so every
request is inspected first and refused (HTTP 403) when it contains:

- a SPARQL Update operation (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``,
  ``ADD``, ``MOVE``, ``COPY``) — unless the caller allows updates;
- ``LOAD`` (always — even with updates allowed: it fetches a URL or reads a file);
- ``SERVICE`` (federated query: an outbound HTTP request);
- a dataset IRI (``FROM``, ``FROM NAMED``, ``USING``, ``USING NAMED``, or the protocol parameters
  ``default-graph-uri`` / ``named-graph-uri``) that is not a graph of this store (by default: an
  IRI under :data:`graph.vocab.BASE`) — in particular any ``file:`` IRI.

How (SPARQL 1.1 Query Language §19): the text is first un-escaped (``\\uXXXX`` / ``\\UXXXXXXXX``
code points are processed *before* parsing, so ``\\u0053ERVICE`` is ``SERVICE``), then cut into
the grammar's terminals (IRIREF, string literals, comments, variables, prefixed names, blank-node
labels, language tags, numbers, bare words). Outside those terminals a bare word can only be a
keyword or a built-in function name, so a keyword found by the lexer is a real keyword — a
comment, a string literal, an IRI, a prefixed name (``ex:service``), a variable (``?load``) or a
language tag (``"x"@from``) cannot produce or hide one. Whenever the text contains one of the
sensitive words outside comments, string literals, variables, prefixed names and language tags
(IRIs are scanned too, in case a ``<`` operator was taken for the start of an IRI), it is also
parsed with rdflib's SPARQL 1.1 parser and the parse tree is walked for ``ServiceGraphPattern``,
``Load``, dataset clauses and update operations; the verdict is the union of both (a refusal by
either is a refusal). Queries without any sensitive word — the common case — never pay for the
(slow, ~30 ms) rdflib parse.

This module does not execute anything; the engine's own parser still reports syntax errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from graph.errors import QueryError
from graph.vocab import BASE

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                             "COPY", "WITH", "USING"})
"""Bare words that only occur in SPARQL 1.1 Update (SPARQL 1.1 Update §3, grammar rules 29–44)."""

SENSITIVE_WORDS = UPDATE_KEYWORDS | {"SERVICE", "FROM"}
_OPAQUE = frozenset({"comment", "str", "var", "pname", "bnode", "lang"})
_SENSITIVE_RE = re.compile(r"(?i)(?<![\w])(?:" + "|".join(sorted(SENSITIVE_WORDS)) + r")(?![\w])")

_UPDATE_OPS = {
    "InsertData": "INSERT DATA", "DeleteData": "DELETE DATA", "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT", "Load": "LOAD", "Clear": "CLEAR", "Drop": "DROP",
    "Create": "CREATE", "Add": "ADD", "Move": "MOVE", "Copy": "COPY",
}
"""rdflib parse-tree node name → the SPARQL Update operation it stands for."""

# ---- lexer ---------------------------------------------------------------------------------
# Terminals after the SPARQL 1.1 grammar §19.8. PN_CHARS_BASE is approximated by "a Unicode
# letter", which is what matters here: where a name ends and whether a ':' follows it.
_PN_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<str>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
          | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
          | '(?:[^'\\\n\r]|\\.)*'
          | "(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<bnode>_:[\w\-.\u00B7\u0300-\u036F\u203F-\u2040]*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d_][\w.\-\u00B7\u0300-\u036F\u203F-\u2040]*)?:
              (?:[\w\-:.%\u00B7\u0300-\u036F\u203F-\u2040]|""" + _PN_LOCAL_ESC + r""")*)
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One lexical token: ``kind`` (ws, comment, iri, str, var, bnode, lang, pname, num, word,
    other), its ``text`` and its ``start`` character offset in the (un-escaped) query text."""

    kind: str
    text: str
    start: int


_CODEPOINT_RE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def unescape_codepoints(text: str) -> str:
    """Replace ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes by the code point they denote, as SPARQL
    requires before parsing (SPARQL 1.1 Query Language §19.2). Invalid code points (beyond
    U+10FFFF or surrogates) are left as written."""

    def rep(m: re.Match) -> str:
        cp = int(m.group(1) or m.group(2), 16)
        if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
            return m.group(0)
        return chr(cp)

    return _CODEPOINT_RE.sub(rep, text) if "\\" in text else text


def tokenize(text: str) -> list[Token]:
    """Cut *already un-escaped* SPARQL text into :class:`Token` s (whitespace and comments
    included, so the concatenated texts give back ``text``). Never raises: characters that start
    no terminal come out as single-character ``other`` tokens."""
    return [Token(m.lastgroup or "other", m.group(), m.start()) for m in _TOKEN_RE.finditer(text)]


# ---- inspection ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inspection:
    """What a SPARQL request would do.

    ``kind``: ``"query"`` or ``"update"``. ``form``: SELECT / CONSTRUCT / ASK / DESCRIBE for
    queries (None if it cannot be told, e.g. a syntax error). ``services``: endpoints named by
    ``SERVICE`` (IRIs, or ``?var``; ``"?"`` when only the keyword was seen). ``loads``: sources
    of ``LOAD``. ``default_graphs`` / ``named_graphs``: IRIs of ``FROM`` / ``FROM NAMED`` (and of
    ``USING`` / ``USING NAMED`` in updates), resolved against PREFIX and BASE. ``update_ops``:
    update operations found (``"INSERT DATA"``, ``"DROP"`` …). ``parsed_by``: ``"lexer"`` when
    only the lexer looked, ``"lexer+rdflib"`` when rdflib's parser confirmed, ``"lexer (rdflib
    could not parse: …)"`` when it failed.
    """

    kind: str
    form: str | None
    services: tuple[str, ...] = ()
    loads: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    update_ops: tuple[str, ...] = ()
    parsed_by: str = "lexer"
    keywords: frozenset = field(default_factory=frozenset)

    @property
    def has_dataset(self) -> bool:
        """True when the request names its own dataset (FROM / FROM NAMED / USING)."""
        return bool(self.default_graphs or self.named_graphs)


def _resolve_pname(pname: str, prefixes: dict[str, str]) -> str | None:
    pfx, _, local = pname.partition(":")
    if pfx not in prefixes:
        return None
    local = re.sub(r"\\(.)", r"\1", local).rstrip(".")
    return prefixes[pfx] + local


def _lexer_facts(tokens: list[Token]) -> dict:
    """Keywords, query form and dataset/service/load IRIs as far as the lexer can tell."""
    sig = [t for t in tokens if t.kind not in ("ws", "comment")]
    words = [t.text.upper() for t in sig if t.kind == "word"]
    prefixes: dict[str, str] = {}
    base = ""
    facts = {"keywords": frozenset(words), "form": None, "services": [], "loads": [],
             "default": [], "named": []}
    for w in words:
        if w in QUERY_FORMS:
            facts["form"] = w
            break

    def term_at(i: int) -> str | None:
        if i >= len(sig):
            return None
        t = sig[i]
        if t.kind == "iri":
            return urljoin(base, t.text[1:-1]) if base else t.text[1:-1]
        if t.kind == "pname":
            return _resolve_pname(t.text, prefixes) or t.text
        if t.kind == "var":
            return t.text
        return None

    for i, t in enumerate(sig):
        if t.kind != "word":
            continue
        w = t.text.upper()
        if w == "PREFIX" and i + 2 < len(sig) and sig[i + 1].kind == "pname" and sig[i + 2].kind == "iri":
            iri = sig[i + 2].text[1:-1]
            prefixes[sig[i + 1].text.rstrip(":").split(":")[0]] = urljoin(base, iri) if base else iri
        elif w == "BASE" and i + 1 < len(sig) and sig[i + 1].kind == "iri":
            base = urljoin(base, sig[i + 1].text[1:-1]) if base else sig[i + 1].text[1:-1]
        elif w == "SERVICE":
            j = i + 1
            if j < len(sig) and sig[j].kind == "word" and sig[j].text.upper() == "SILENT":
                j += 1
            facts["services"].append(term_at(j) or "?")
        elif w == "LOAD":
            j = i + 1
            if j < len(sig) and sig[j].kind == "word" and sig[j].text.upper() == "SILENT":
                j += 1
            facts["loads"].append(term_at(j) or "?")
        elif w in ("FROM", "USING"):
            j = i + 1
            key = "default"
            if j < len(sig) and sig[j].kind == "word" and sig[j].text.upper() == "NAMED":
                j, key = j + 1, "named"
            facts[key].append(term_at(j) or "?")
    return facts


@lru_cache(maxsize=1)
def _rdflib_parsers():
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate  # noqa: PLC0415

    return parseQuery, parseUpdate


def preload() -> None:
    """Import rdflib's SPARQL parser now (≈0.5 s) rather than on the first sensitive request."""
    _rdflib_parsers()


def _walk(node) -> Iterable:
    """Every node of an rdflib/pyparsing parse tree, depth first."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, dict):  # CompValue is an OrderedDict
            stack.extend(n.values())
        elif isinstance(n, list | tuple) or type(n).__name__ == "ParseResults":
            stack.extend(list(n))


def _get(node, key):
    """A key of an rdflib ``CompValue`` (whose own ``get`` returns the key itself when absent)."""
    return dict.get(node, key) if isinstance(node, dict) else None


def _rdflib_facts(text: str) -> dict:
    """Parse with rdflib (query first, then update) and collect the same facts as the lexer.
    Raises ``Exception`` subclasses of pyparsing when neither grammar accepts the text."""
    from rdflib.term import URIRef, Variable  # noqa: PLC0415

    parse_query, parse_update = _rdflib_parsers()
    facts = {"kind": "query", "services": [], "loads": [], "default": [], "named": [], "ops": []}
    try:
        tree = parse_query(text)
        prologues = [tree[0]]
    except Exception:  # noqa: BLE001 — pyparsing's ParseException and friends
        tree = parse_update(text)
        facts["kind"] = "update"
        prologues = list(_get(tree, "prologue") or [])
    prefixes: dict[str, str] = {}
    base = ""
    for prologue in prologues:
        for decl in prologue or []:
            name = getattr(decl, "name", "")
            if name == "Base":
                base = urljoin(base, str(decl["iri"])) if base else str(decl["iri"])
            elif name == "PrefixDecl":
                iri = str(decl["iri"])
                prefixes[_get(decl, "prefix") or ""] = urljoin(base, iri) if base else iri

    def iri_of(x) -> str:
        if isinstance(x, Variable):
            return "?" + str(x)
        if isinstance(x, URIRef):
            s = str(x)
            return urljoin(base, s) if base and ":" not in s.split("/")[0] else s
        if getattr(x, "name", "") == "pname":
            pfx = _get(x, "prefix") or ""
            return prefixes.get(pfx, pfx + ":") + (_get(x, "localname") or "")
        return str(x)

    for node in _walk(tree):
        name = getattr(node, "name", None)
        if not name:
            continue
        if name == "ServiceGraphPattern":
            facts["services"].append(iri_of(_get(node, "term")))
        elif name in ("DatasetClause", "UsingClause"):
            if _get(node, "default") is not None:
                facts["default"].append(iri_of(_get(node, "default")))
            if _get(node, "named") is not None:
                facts["named"].append(iri_of(_get(node, "named")))
        elif name in _UPDATE_OPS:
            facts["ops"].append(_UPDATE_OPS[name])
            if name == "Load":
                facts["loads"].append(iri_of(_get(node, "iri")))
    return facts


def _dedup(xs: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(xs))


@lru_cache(maxsize=512)
def inspect(text: str) -> Inspection:
    """Inspect a SPARQL query or update string (see module docstring). Never raises on bad
    syntax: the result then reflects what the lexer saw. Results are cached per text."""
    text = unescape_codepoints(text)
    tokens = tokenize(text)
    lex = _lexer_facts(tokens)
    # Text where a keyword could be: everything but comments, strings, variables, prefixed names,
    # blank-node labels and language tags (IRIs stay, in case a '<' was misread as an IRI start).
    scan = "".join(" " if t.kind in _OPAQUE else t.text for t in tokens)
    kw = lex["keywords"]
    lex_ops = sorted(kw & (UPDATE_KEYWORDS - {"WITH", "USING"}))
    kind = "update" if kw & UPDATE_KEYWORDS else "query"
    services, loads = list(lex["services"]), list(lex["loads"])
    default, named, ops = list(lex["default"]), list(lex["named"]), list(lex_ops)
    parsed_by = "lexer"
    if _SENSITIVE_RE.search(scan):
        try:
            rf = _rdflib_facts(text)
        except Exception as e:  # noqa: BLE001 — keep the lexer's verdict
            parsed_by = f"lexer (rdflib could not parse: {str(e).splitlines()[0][:120]})"
        else:
            parsed_by = "lexer+rdflib"
            if rf["kind"] == "update":
                kind = "update"
            services += rf["services"]
            loads += rf["loads"]
            default += rf["default"]
            named += rf["named"]
            ops = rf["ops"] or ops
    return Inspection(kind=kind, form=lex["form"] if kind == "query" else None,
                      services=_dedup(services), loads=_dedup(loads),
                      default_graphs=_dedup(default), named_graphs=_dedup(named),
                      update_ops=_dedup(ops), parsed_by=parsed_by, keywords=kw)


def is_local_graph(iri: str) -> bool:
    """Default dataset policy: a graph IRI may be named in FROM/USING or ``default-graph-uri``
    only if it is minted by this product (under :data:`graph.vocab.BASE`). Oxigraph never
    dereferences those IRIs, but a remote-looking or ``file:`` IRI is refused so that no reader
    (nor a different backend behind :class:`graph.remote.RemoteStore`) is invited to fetch it."""
    return iri.startswith(BASE)


def check(text: str, *, allow_update: bool = False, protocol_graphs: Iterable[str] = (),
          allowed_graph: Callable[[str], bool] = is_local_graph) -> Inspection:
    """Inspect ``text`` and refuse what the endpoint must not run.

    ``allow_update``: SPARQL Update operations other than LOAD are accepted (the caller has
    checked the token). ``protocol_graphs``: IRIs given as ``default-graph-uri`` /
    ``named-graph-uri`` / ``using-graph-uri`` request parameters. Returns the
    :class:`Inspection`; raises :class:`graph.errors.QueryError` with ``status=403`` on a refusal
    (message names the construct and the IRI).
    """
    insp = inspect(text)
    if insp.services:
        raise QueryError(f"SERVICE is refused: this endpoint makes no outbound requests "
                         f"(SERVICE {', '.join(insp.services)})", status=403)
    if insp.loads or "LOAD" in insp.update_ops:
        src = ", ".join(insp.loads) or "?"
        raise QueryError(f"LOAD is refused: this endpoint reads no URLs or files (LOAD {src})",
                         status=403)
    if insp.kind == "update" and not allow_update:
        ops = ", ".join(insp.update_ops) or "update"
        raise QueryError(f"SPARQL Update is refused: this endpoint is read-only ({ops})", status=403)
    for iri in (*insp.default_graphs, *insp.named_graphs, *protocol_graphs):
        if iri.startswith("?") or not allowed_graph(iri):
            raise QueryError(f"dataset IRI <{iri}> is refused: only graphs of this store "
                             f"(under {BASE}) can be named in FROM/USING or the dataset parameters; "
                             f"nothing is fetched", status=403)
    return insp
