"""Policy Linkage Graph — the Streamlit app (``streamlit run app.py``).

A router only: it opens the store once (``st.cache_resource``), caches every data function's
result per store version (``st.cache_data``), builds the per-run
:class:`graph.views.common.Context`, draws the shared sidebar (language, store) and runs the page
chosen in ``st.navigation``. Page logic lives in ``graph/views/*.py``.

The store is ``$POLICYGRAPH_STORE`` (default ``var/store``); on a fresh checkout it is built from
``data/documents`` on first run. Nothing here or in the pages makes a network request
(``.streamlit/config.toml`` turns off usage statistics; graph views inline their assets).
"""

from __future__ import annotations

import threading

import streamlit as st

from graph import network
from graph.store import default_location
from graph.views import PAGES, common, i18n

ICONS = {"overview": ":material/dashboard:", "chain": ":material/account_tree:", "explorer": ":material/hub:",
         "agencies": ":material/apartment:", "reader": ":material/article:", "console": ":material/terminal:",
         "upload": ":material/upload_file:", "analytics": ":material/insights:"}


@st.cache_resource(show_spinner=False)
def _handle(location: str) -> common.StoreHandle:
    """The store, opened once per process and location."""
    return common.StoreHandle.open(location)


@st.cache_resource(show_spinner=False, max_entries=2)
def _projection(location: str, version: int):
    """The networkx projection of the store, built once per store version (shared, read-only)."""
    return network.project(_handle(location).store)


@st.cache_resource(show_spinner=False, max_entries=2)
def _positions(location: str, version: int) -> dict:
    """Layout positions of the whole projection, computed once per store version."""
    return network.layout(_projection(location, version))


@st.cache_data(show_spinner=False, max_entries=512)
def _call(location: str, version: int, target: str, args: tuple):
    """Cached result of data function ``target`` ("module:function" under ``graph.``) on the
    store at ``location``, as of ``version``."""
    fn = common.resolve(target)
    return fn(_source(location, version), *args)


def _source(location: str, version: int) -> common.Source:
    return common.Source(_handle(location).store, projection_fn=lambda: _projection(location, version),
                         positions_fn=lambda: _positions(location, version))


def _clear() -> None:
    _call.clear()
    _projection.clear()
    _positions.clear()


def _warm_up(location: str, h: common.StoreHandle) -> None:
    """Build the projection and the explorer's first drawing in a background thread, once per
    store version, so the graph pages find them ready (Streamlit's per-key compute lock makes a
    page that asks meanwhile wait for this computation instead of repeating it)."""
    with h.lock:
        if h.warmed == h.version:
            return
        h.warmed = version = h.version

    def work() -> None:
        from graph.views import explorer  # noqa: PLC0415

        try:
            _projection(location, version)
            _call(location, version, common.target_name(explorer.explorer_view), explorer.default_view_args())
        except Exception:  # noqa: BLE001 - the page that needs it will show the error
            pass

    threading.Thread(target=work, name="plg-warm-up", daemon=True).start()


def make_context(lang: str, location: str | None = None) -> common.Context:
    """The :class:`~graph.views.common.Context` for this run."""
    loc = location or default_location()
    h = _handle(loc)

    def call(fn, *args):
        return _call(loc, h.version, common.target_name(fn), tuple(args))

    return common.Context(handle=h, lang=lang, call=call, source=_source(loc, h.version), clear=_clear)


def _language() -> str:
    qp = st.query_params.get("lang")
    if "app_lang" not in st.session_state:
        st.session_state["app_lang"] = qp if qp in i18n.LANGS else "vi"
    choice = st.sidebar.segmented_control(
        i18n.t("app.lang", st.session_state.get("app_lang", "vi")), list(i18n.LANGS), key="app_lang",
        format_func=lambda x: {"vi": "Tiếng Việt", "en": "English"}[x], required=True)
    return choice if choice in i18n.LANGS else "vi"


def main(default_page: str = "overview") -> None:
    """Draw the app: sidebar, navigation, first-run build, then the chosen page.
    ``default_page`` is the page shown at the root URL (tests use it to open one page)."""
    # An emoji favicon is drawn locally (a data: URI); a Material-icon favicon would be fetched
    # from fonts.gstatic.com.
    st.set_page_config(page_title="Policy Linkage Graph", page_icon="🕸️", layout="wide")
    lang = _language()
    try:
        ctx = make_context(lang)
    except Exception as e:  # noqa: BLE001 - show why, instead of a traceback
        st.error(i18n.t("app.store_error", lang, error=str(e)))
        st.stop()
    modules = {name: __import__(f"graph.views.{name}", fromlist=["render"]) for name in PAGES}

    def page_fn(name: str):
        def run() -> None:
            modules[name].render(ctx)

        run.__name__ = f"page_{name}"
        return run

    pages = {name: st.Page(page_fn(name), title=i18n.t("page." + name, lang), icon=ICONS[name], url_path=name,
                           default=name == default_page) for name in PAGES}
    ctx.pages = pages
    nav = st.navigation(list(pages.values()))
    with st.sidebar:
        st.caption(i18n.t("app.store", lang, location=ctx.handle.location))
        if ctx.handle.read_only:
            st.caption(i18n.t("app.readonly", lang))
        if st.button(i18n.t("app.reload", lang), key="app_reload"):
            ctx.after_write()
            st.rerun()
    common.first_run(st, ctx)
    _warm_up(ctx.handle.location, ctx.handle)
    nav.run()


if __name__ == "__main__":
    main()
