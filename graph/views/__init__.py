"""The app's pages, one module each, every one exposing ``render(ctx)`` (see
:class:`graph.views.common.Context`): ``overview``, ``chain``, ``explorer``, ``agencies``,
``reader``, ``console``, ``upload``, ``analytics``; interface text in ``i18n``; data functions
behind the pages in ``data``. ``app.py`` routes to them and holds every ``st.cache_*``.
"""

PAGES = ("overview", "chain", "explorer", "agencies", "reader", "console", "upload", "analytics")
"""Page names, in navigation order (each is also a module of this package and a URL path)."""
