"""A stand-in for the extraction pipeline, for store-level tests of ``graph.batch``.

A fake document is a text file whose first line is ``DOC <id>``; every further non-empty line
becomes one ``plg:label`` triple, so graphs differ in size. The document IRI depends only on
``<id>``, so two files with the same id are two sources of one document. A first line
``NAME <slug>`` instead gives a document known only by name (IRI under ``graph.batch.NAME_PREFIX``).
A file whose first line is ``BADNT`` yields malformed N-Triples (a write that must fail); ``SLOW <seconds>`` on the
second line makes processing sleep (for kill and timeout tests); a first line ``CRASH`` ends the
process at once (a native crash; use only with worker processes). Reading goes through the real
``graph.ingest.readers.read_source``, so hostile files fail as they would in a real build.
"""

from __future__ import annotations

import os
import time

from graph.batch import NAME_PREFIX, FileResult, text_fingerprint
from graph.errors import PolicyGraphError
from graph.meta import MODEL_VERSION
from graph.store import sparql_literal
from graph.vocab import graph_iri, source_iri

EX = "http://example.org/doc/"
PLG = "https://w3id.org/plg/ontology#"
ELI = "http://data.europa.eu/eli/ontology#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def fake_process(path: str) -> FileResult:
    """``graph.batch.process_file`` with a fake extraction (see module docstring)."""
    from graph.ingest.readers import read_source

    try:
        src = read_source(path)
    except PolicyGraphError as e:
        return FileResult(path=path, ok=False, reason=str(e))
    lines = src.text.splitlines()
    head = lines[0].split() if lines else []
    if head == ["CRASH"]:
        os._exit(3)
    if len(head) == 1 and head[0] == "BADNT":
        doc = EX + "bad"
        return FileResult(path=path, ok=True, graph_iri=graph_iri(doc), doc_iri=doc,
                          source_iri=source_iri(src.sha256), ntriples="<not n-triples .\n", triples=1,
                          sha256=src.sha256, fmt=src.format, size=os.path.getsize(path), text_len=len(src.text))
    if len(head) != 2 or head[0] not in ("DOC", "NAME"):
        return FileResult(path=path, ok=False, reason=f"{path}: no 'DOC <id>' line")
    if len(lines) > 1 and lines[1].startswith("SLOW "):
        time.sleep(float(lines[1].split()[1]))
    doc, s = (EX if head[0] == "DOC" else NAME_PREFIX) + head[1], source_iri(src.sha256)
    nt = [f"<{doc}> <{TYPE}> <{ELI}LegalResource> .",
          f"<{doc}> <{ELI}id_local> {sparql_literal(head[1])} .",
          f"<{doc}> <{PLG}sourceFile> <{s}> .",
          f"<{s}> <{TYPE}> <{PLG}SourceFile> .",
          f"<{s}> <{PLG}contentHash> {sparql_literal(src.sha256)} .",
          f"<{s}> <{PLG}sourcePath> {sparql_literal(path)} .",
          f"<{s}> <{PLG}sourceFormat> {sparql_literal(src.format)} .",
          f"<{s}> <{PLG}content> {sparql_literal(src.text)} .",
          f"<{s}> <{PLG}modelVersion> \"{MODEL_VERSION}\"^^<http://www.w3.org/2001/XMLSchema#integer> ."]
    for i, ln in enumerate(x for x in lines[1:] if x.strip()):
        nt.append(f"<{doc}/line/{i}> <{PLG}label> {sparql_literal(ln)} .")
        nt.append(f"<{doc}/line/{i}> <{ELI}is_part_of> <{doc}> .")
    return FileResult(path=path, ok=True, graph_iri=graph_iri(doc), doc_iri=doc, source_iri=s,
                      ntriples="\n".join(nt) + "\n", triples=len(nt), sha256=src.sha256, fmt=src.format,
                      size=os.path.getsize(path), text_len=len(src.text), tasks=len(lines) - 1,
                      fingerprint=text_fingerprint(src.text) if head[0] == "NAME" else frozenset())
