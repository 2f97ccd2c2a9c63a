"""What every page shares: the store handle, the per-run :class:`Context`, search folding,
escaping for Markdown, and small rendering helpers.

Pages are functions ``render(ctx)``; they read data only through ``ctx.call(fn, *args)``, which
``app.py`` routes through ``st.cache_data`` keyed by (store location, store version, function,
arguments). ``fn`` receives a :class:`Source` (the store plus lazily built, cached networkx
projection and layout) — so data functions stay plain, testable Python.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from graph.ingest.text import strip_accents
from graph.views import i18n

APP_DIR = Path(__file__).resolve().parents[2]
"""Repository root (where ``app.py`` and ``data/documents`` live)."""

_IRI_OK = re.compile(r'^[^\s<>"{}|\\^`]+$')


class StoreHandle:
    """The store opened once per process (``st.cache_resource``), with a write ``version``.

    ``open(location)`` tries a writable store first; if another process holds the write lock it
    falls back to a read-only one (``read_only`` = True; the upload page is then disabled).
    ``version`` counts writes made through this handle; every cached query is keyed by it.
    """

    def __init__(self, store, location: str, *, read_only: bool = False, error: str = ""):
        self.store = store
        self.location = location
        self.read_only = read_only
        self.error = error
        self.version = 0
        self.warmed = -1
        self.first_run_done = False
        self.lock = threading.Lock()

    @classmethod
    def open(cls, location: str) -> StoreHandle:
        """Open ``location`` (directory or SPARQL endpoint URL). Raises
        :class:`~graph.errors.StoreError` if neither a writable nor a read-only store opens."""
        from graph.errors import StoreError  # noqa: PLC0415
        from graph.store import open_store  # noqa: PLC0415

        if location.startswith(("http://", "https://")):
            return cls(open_store(location), location, read_only=True)
        try:
            return cls(open_store(location), location)
        except StoreError as e:
            try:
                return cls(open_store(location, read_only=True), location, read_only=True, error=str(e))
            except StoreError:
                raise e from None

    def bump(self) -> None:
        """Record a write: every cached result of the old version is now stale."""
        with self.lock:
            self.version += 1


@dataclass
class Source:
    """What a cached data function gets: the ``store`` and getters of the projection
    (``nx.MultiDiGraph``, see :func:`graph.network.project`) and of its layout positions.
    Built without getters (tests), it computes and keeps them itself."""

    store: Any
    projection_fn: Callable[[], Any] | None = None
    positions_fn: Callable[[], dict] | None = None
    _g: Any = field(default=None, repr=False)
    _pos: Any = field(default=None, repr=False)

    @property
    def graph(self):
        """The networkx projection of the store (shared: never mutate it)."""
        if self.projection_fn is not None:
            return self.projection_fn()
        if self._g is None:
            from graph.network import project  # noqa: PLC0415

            self._g = project(self.store)
        return self._g

    @property
    def positions(self) -> dict:
        """Layout positions of every node of :attr:`graph` (shared: never mutate it)."""
        if self.positions_fn is not None:
            return self.positions_fn()
        if self._pos is None:
            from graph.network import layout  # noqa: PLC0415

            self._pos = layout(self.graph)
        return self._pos


@dataclass
class Context:
    """Per-run context handed to every page's ``render(ctx)``.

    ``call(fn, *args)``: cached ``fn(source, *args)`` (args must be hashable plain values);
    ``source``: the uncached :class:`Source` (for writes); ``lang``: "vi" or "en";
    ``pages``: ``st.Page`` objects by name (for links); ``handle``: the :class:`StoreHandle`.
    """

    handle: StoreHandle
    lang: str
    call: Callable[..., Any]
    source: Source
    pages: dict[str, Any] = field(default_factory=dict)
    clear: Callable[[], None] = lambda: None

    @property
    def store(self):
        """The store (for writes; reads go through :meth:`call`)."""
        return self.handle.store

    def t(self, key: str, **kw) -> str:
        """Interface text ``key`` in the current language (see :mod:`graph.views.i18n`)."""
        return i18n.t(key, self.lang, **kw)

    def label(self, row: dict, vi: str = "label", en: str = "label_en") -> str:
        """``row[en]`` when the language is English and it is set, else ``row[vi]``."""
        if self.lang == "en" and row.get(en):
            return row[en]
        return row.get(vi) or ""

    def after_write(self) -> None:
        """Call after writing to the store: bumps the version and clears cached results."""
        self.handle.bump()
        self.clear()


def target_name(fn: Callable) -> str:
    """``"module:qualname"`` of a data function (the cache key part naming it)."""
    return f"{fn.__module__}:{fn.__qualname__}"


def resolve(target: str) -> Callable:
    """The function named by :func:`target_name`. Only ``graph.*`` modules are allowed;
    ``ValueError`` otherwise."""
    mod, _, name = target.partition(":")
    if not (mod == "graph" or mod.startswith("graph.")) or not name or "." in name:
        raise ValueError(f"not a data function: {target!r}")
    return getattr(importlib.import_module(mod), name)


def fold(text: str | None) -> str:
    """Search key: lower case, accents and tone marks removed, đ → d, spaces collapsed.
    ``fold("Trẻ  Em")`` → ``"tre em"``."""
    return " ".join(strip_accents((text or "").lower()).split())


def matches(query: str, *fields: str | None) -> bool:
    """True if every word of ``query`` occurs (accent-insensitively) in one of ``fields``."""
    words = fold(query).split()
    if not words:
        return True
    hay = " | ".join(fold(f) for f in fields if f)
    return all(w in hay for w in words)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~$])")


def md(text: str | None) -> str:
    """Escape ``text`` for ``st.markdown`` so it shows as written: every Markdown/HTML
    metacharacter gets a backslash (CommonMark escapes any ASCII punctuation), newlines kept."""
    return _MD_SPECIAL.sub(r"\\\1", str(text or "")).replace("\n", "  \n")


def iri(value: str) -> str:
    """``<value>`` for embedding an IRI in SPARQL; ``ValueError`` if it holds characters an
    IRI cannot (so user input cannot change the query)."""
    if not value or not _IRI_OK.match(value):
        raise ValueError(f"not an IRI: {value!r}")
    return f"<{value}>"


def page_url(page: str, **params: str) -> str:
    """Relative URL of an app page with query parameters (``page_url("agencies", agency=x)``
    → ``"agencies?agency=…"``), for links inside generated HTML."""
    q = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in params.items() if v)
    return f"{page}?{q}" if q else page


def provision_path(eid: str | None) -> str:
    """Printed path of a provision from its eid: ``part_II__item_1__point_a`` → ``II.1.a``."""
    if not eid:
        return ""
    parts = []
    for p in eid.split("__"):
        parts.append(p.split("_", 1)[1] if "_" in p else p)
    return ".".join(parts)


def query_param_once(st, name: str, key: str) -> None:
    """Seed widget ``key`` from URL query parameter ``name`` once per distinct value (deep links
    such as ``agencies?agency=…``); later widget changes win."""
    value = st.query_params.get(name)
    seen = f"_qp_{key}"
    if value and st.session_state.get(seen) != value:
        st.session_state[key] = value
        st.session_state[seen] = value


_UNSET = object()


def choose(ctx: Context, widget, label: str, options, *, key: str, default=None, format_func=str,
           multi: bool = False, **kw):
    """A choice widget (``st.selectbox``, ``st.multiselect``, ``st.pills`` …, or the same method
    of a column) whose option labels follow the interface language.

    The widget's own key carries the language (``key__vi``/``key__en``) so a language switch
    redraws its labels (the browser keeps the old label text of a keyed widget otherwise); the
    chosen value lives in ``st.session_state[key]`` across languages and pages, and code or deep
    links may set it before the call. ``default`` is used when nothing (valid) is chosen;
    ``multi``: the value is a list. Returns the chosen value.
    """
    import streamlit as st  # noqa: PLC0415

    options = list(options)
    wkey = f"{key}__{ctx.lang}"
    value = st.session_state.get(key, default)
    if multi:
        value = [v for v in (value if value is not None else default or []) if v in options]
    elif value not in options:
        value = default if default in options else (options[0] if options else None)
    if st.session_state.get(wkey, _UNSET) != value:
        st.session_state[wkey] = value

    def sync() -> None:
        st.session_state[key] = st.session_state[wkey]

    out = widget(label, options, key=wkey, format_func=format_func, on_change=sync, **kw)
    st.session_state[key] = out
    return out


def download_frames(st, df, base: str, ctx: Context, *, key: str) -> None:
    """CSV (UTF-8 with BOM, for Excel) and XLSX (openpyxl) download buttons for ``df``."""
    import io  # noqa: PLC0415

    c1, c2 = st.columns(2)
    c1.download_button(ctx.t("download.csv"), df.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{base}.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore")
    buf = io.BytesIO()
    df.to_excel(buf, index=False, engine="openpyxl")
    c2.download_button(ctx.t("download.xlsx"), buf.getvalue(), file_name=f"{base}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{key}_xlsx", on_click="ignore")


def first_run(st, ctx: Context, documents_dir: Path | None = None) -> None:
    """On a fresh checkout (store without documents), build the store from ``data/documents``
    with a progress bar (:func:`graph.batch.build_paths`). A store built by another graph model
    (:func:`graph.batch.model_outdated`) is rebuilt from its own documents' recorded source
    files instead (or, when none of them is on disk any more, the page says how to rebuild it).
    Runs at most once per process and store."""
    h = ctx.handle
    if h.first_run_done or h.read_only:
        return
    with h.lock:
        if h.first_run_done:
            return
        h.first_run_done = True
    from graph.batch import model_outdated, recorded_paths  # noqa: PLC0415
    from graph.stats import store_stats  # noqa: PLC0415

    if store_stats(h.store)["documents"]:
        if not model_outdated(h.store):
            return
        paths = [p for p in recorded_paths(h.store) if Path(p).is_file()]
        if not paths:
            st.warning(ctx.t("firstrun.outdated_manual"))
            return
        info = ctx.t("firstrun.outdated", n=len(paths))
    else:
        folder = documents_dir or APP_DIR / "data" / "documents"
        if not folder.is_dir() or not any(folder.iterdir()):
            return
        try:
            paths = [str(folder.relative_to(Path.cwd()))]
        except ValueError:
            paths = [str(folder)]
        info = ctx.t("firstrun.info", folder=str(folder))
    box = st.container()
    box.info(info)
    bar = box.progress(0.0, text=ctx.t("firstrun.start"))

    def progress(done: int, total: int, path: str) -> None:
        bar.progress(done / total if total else 1.0,
                     text=ctx.t("firstrun.progress", done=done, total=total, name=Path(path).name if path else ""))

    try:
        from graph.batch import build_paths  # noqa: PLC0415

        summary = build_paths(h.store, paths, progress=progress)
    except Exception as e:  # noqa: BLE001 - the app must still start (pipeline missing, bad file …)
        box.error(ctx.t("firstrun.failed", error=f"{type(e).__name__}: {e}"))
        return
    ctx.after_write()
    bar.progress(1.0, text=ctx.t("firstrun.done", n=summary.documents))
    for path, reason in summary.failures:
        box.warning(f"{path}: {reason}")
