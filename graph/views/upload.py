"""Add-documents page: upload .txt/.md/.html/.docx/.pdf files; each is read, extracted and built
into its own named graph (nothing else in the store changes); a summary of what was extracted and
a clear message for any file that cannot be read."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

UPLOAD_TYPES = ["txt", "md", "html", "htm", "docx", "pdf"]
UPLOAD_PREFIX = "upload/"
"""Source path recorded for uploaded files (``plg:sourcePath``): ``upload/<file name>``."""


def keep_sources(store, graph_iri: str, g) -> int:
    """Copy into ``g`` the source-file records (``plg:sourceFile`` with hash, paths, format; not
    the content) of the stored graph ``graph_iri`` that ``g`` does not have, so replacing a
    document by a new edition keeps the record of every file it was read from. Returns the
    number of sources kept."""
    from rdflib import Literal, URIRef  # noqa: PLC0415

    from graph.views.common import iri  # noqa: PLC0415
    from graph.vocab import PLG  # noqa: PLC0415

    _, rows = store.select(f"""PREFIX plg: <https://w3id.org/plg/ontology#>
      SELECT DISTINCT ?doc ?src ?h ?path ?fmt WHERE {{ GRAPH {iri(graph_iri)} {{
        ?doc plg:sourceFile ?src . OPTIONAL {{ ?src plg:contentHash ?h }}
        OPTIONAL {{ ?src plg:sourcePath ?path }} OPTIONAL {{ ?src plg:sourceFormat ?fmt }} }} }}""")
    from rdflib.namespace import RDF  # noqa: PLC0415

    have = {str(o) for o in g.objects(None, PLG.sourceFile)}
    kept = set()
    for r in rows:
        if r["src"] in have:
            continue
        doc, src = URIRef(r["doc"]), URIRef(r["src"])
        g.add((doc, PLG.sourceFile, src))
        g.add((src, RDF.type, PLG.SourceFile))
        for prop, key in ((PLG.contentHash, "h"), (PLG.sourcePath, "path"), (PLG.sourceFormat, "fmt")):
            if r.get(key):
                g.add((src, prop, Literal(r[key])))
        kept.add(r["src"])
    return len(kept)


def ingest_files(store, files: list[tuple[str, bytes]],
                 progress: Callable[[int, int, str], None] | None = None) -> list[dict]:
    """Read, extract and store each ``(file name, bytes)``; returns one summary row per file:
    ``file``, ``status`` (``added``; ``replaced`` = a document with the same identity was
    stored from other bytes: its extraction is replaced by this one, and the record of its
    earlier source files is kept (:func:`keep_sources`); ``unchanged`` = these exact bytes are
    already stored; ``failed``), ``number``, ``type``, ``title``, ``references``, ``agencies``,
    ``tasks``, ``triples``, ``message`` (the reason of a failure, or extraction warnings).

    Each document is written with :meth:`GraphStore.replace_graph` into its own named graph
    (one transaction), so other documents are never touched and a failure leaves the store as it
    was. ``progress(done, total, name)`` is called after each file. Never raises on bad input.
    """
    from graph.batch import stored_hashes, write_meta_graph  # noqa: PLC0415
    from graph.errors import PolicyGraphError  # noqa: PLC0415

    out: list[dict] = []
    known = stored_hashes(store)
    graphs = set(store.named_graphs())
    total = len(files)
    wrote = False
    for i, (name, raw) in enumerate(files):
        row = {"file": name, "status": "failed", "number": "", "type": "", "title": "", "references": 0,
               "agencies": 0, "tasks": 0, "triples": 0, "message": ""}
        try:
            sha = hashlib.sha256(raw).hexdigest()
            if sha in known:
                row["status"] = "unchanged"
            else:
                from graph.build import build_graph, document_graph_iri  # noqa: PLC0415
                from graph.ingest.readers import read_source  # noqa: PLC0415
                from graph.pipeline import extract  # noqa: PLC0415

                source = read_source(UPLOAD_PREFIX + name, data=raw)
                ex = extract(source)
                g = build_graph(ex)
                giri = document_graph_iri(ex)
                if giri in graphs:
                    keep_sources(store, giri, g)
                row["triples"] = store.replace_graph(giri, g)
                wrote = True
                known.add(sha)
                row["status"] = "replaced" if giri in graphs else "added"
                graphs.add(giri)
                m = ex.document.metadata
                row.update(number=m.document_number or "", type=m.document_type or "", title=m.title or "",
                           references=len(ex.references), agencies=len([a for a in ex.agencies if not a.collective]),
                           tasks=len(ex.tasks), message="; ".join(ex.warnings))
        except PolicyGraphError as e:
            row["message"] = str(e)
        except Exception as e:  # noqa: BLE001 - one bad file must not stop the others
            row["message"] = f"{name}: internal error {type(e).__name__}: {e}"
        out.append(row)
        if progress:
            progress(i + 1, total, name)
    if wrote:
        try:
            write_meta_graph(store)
        except PolicyGraphError:
            pass
        store.flush()
    return out


def render(ctx) -> None:
    """Draw the add-documents page."""
    import pandas as pd  # noqa: PLC0415
    import streamlit as st  # noqa: PLC0415

    t = ctx.t
    st.title(t("upload.title"))
    st.caption(t("upload.help"))
    if ctx.handle.read_only:
        st.warning(t("upload.readonly", error=ctx.handle.error or ctx.handle.location))
        return
    files = st.file_uploader(t("upload.files"), type=UPLOAD_TYPES, accept_multiple_files=True, key="upload_files")
    if st.button(t("upload.add"), type="primary", disabled=not files, key="upload_go"):
        bar = st.progress(0.0, text=t("upload.reading"))

        def progress(done: int, total: int, name: str) -> None:
            bar.progress(done / total if total else 1.0, text=t("upload.progress", done=done, total=total, name=name))

        with ctx.handle.lock:
            rows = ingest_files(ctx.store, [(f.name, f.getvalue()) for f in files], progress)
        if any(r["status"] in ("added", "replaced") for r in rows):
            ctx.after_write()
        st.session_state["upload_result"] = rows
    rows = st.session_state.get("upload_result")
    if not rows:
        return
    ok = [r for r in rows if r["status"] != "failed"]
    bad = [r for r in rows if r["status"] == "failed"]
    if ok:
        st.success(t("upload.done", n=len([r for r in ok if r["status"] in ("added", "replaced")]),
                     unchanged=len([r for r in ok if r["status"] == "unchanged"])))
    for r in bad:
        st.error(t("upload.failed", file=r["file"], reason=r["message"]))
    status = {k: t("upload.status." + k) for k in ("added", "replaced", "unchanged", "failed")}
    df = pd.DataFrame([{
        t("field.file"): r["file"], t("field.status"): status[r["status"]], t("field.number"): r["number"],
        t("field.type"): r["type"], t("field.title"): r["title"], t("upload.references"): r["references"],
        t("stat.agencies"): r["agencies"], t("stat.tasks"): r["tasks"], t("upload.triples"): r["triples"],
        t("upload.message"): r["message"]} for r in rows])
    st.dataframe(df, hide_index=True, width="stretch")
