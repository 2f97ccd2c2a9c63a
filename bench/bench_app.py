"""How fast the app answers, page by page (target: every page < 2 s warm with the bulk corpus),
and how fast a 1,000-node graph view becomes interactive in headless Chromium (target < 3 s).

Usage::

    .venv/bin/python bench/bench_app.py --store DIR [--repeat 3] [--browser] [--json OUT]
    .venv/bin/python bench/bench_app.py --synthetic 300      # no store: a generated corpus

Server side (``streamlit.testing.v1.AppTest``, in process, the real ``app.py``): each page is run
once cold (empty caches: SPARQL, projection, layout) and ``--repeat`` times warm; times are wall
seconds of a whole script run (what a click costs before the browser draws). The first page run
also pays the imports.

Browser side (``--browser``, needs /usr/bin/chromium and playwright): ``streamlit run`` on a free
port; the first load of the app, then each page visited twice through the sidebar (as a user
clicks; the second visit is warm); the time runs from the click to the page's heading shown,
Streamlit's "running" indicator gone, no element left as a skeleton, and on graph pages the graph
drawn. Then a 1,000-node
``graph.viz.network_html`` page: time from load to first draw (``afterDrawing``) and to the
details panel after a click on a node. Every request to a host other than 127.0.0.1/localhost is
blocked and counted.

Build the bulk store first, e.g.::

    .venv/bin/policygraph build --store /tmp/bulkstore ../shared/corpus/bulk/documents -j 2
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

PAGES = ("overview", "chain", "explorer", "agencies", "reader", "console", "upload", "analytics")


def _script(page: str) -> None:
    import sys
    import time

    import app

    t0 = time.perf_counter()
    try:
        app.main(default_page=page)
    finally:
        sys.modules["bench_app_times"].append(time.perf_counter() - t0)


class _Times(list):
    """Script-run times recorded by :func:`_script` (a list registered as a module so the AppTest
    script, which runs as its own module, can reach it)."""


def bench_server(store: str, repeat: int) -> dict:
    """Cold and warm wall times (s) of the app script's run (``app.main``) per page, measured
    inside the script: AppTest's own per-instance setup (component manifest scan, ~1–2 s) is
    not part of what a click costs on a running server."""
    from streamlit.testing.v1 import AppTest

    os.environ["POLICYGRAPH_STORE"] = store
    rec = sys.modules.setdefault("bench_app_times", _Times())
    out = {}
    for page in PAGES:
        times = []
        for _ in range(repeat + 1):
            at = AppTest.from_function(_script, args=(page,), default_timeout=600)
            n = len(rec)
            at.run()
            if at.exception:
                raise SystemExit(f"{page}: {at.exception[0].value}")
            times.append(sum(rec[n:]))
        out[page] = {"cold_s": round(times[0], 3), "warm_median_s": round(statistics.median(times[1:]), 3),
                     "warm_max_s": round(max(times[1:]), 3)}
        print(f"  {page:10s} cold {times[0]:7.2f} s   warm median {statistics.median(times[1:]):6.2f} s"
              f"   max {max(times[1:]):6.2f} s", flush=True)
    return out


def bench_browser(store: str) -> dict:
    """Page times in headless Chromium against a real server, and the 1,000-node graph."""
    import socket
    import subprocess
    import urllib.request
    from urllib.parse import urlparse

    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, POLICYGRAPH_STORE=store)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    out: dict = {"pages": {}}
    try:
        for _ in range(180):
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        outside: list[str] = []
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            ctx = b.new_context(viewport={"width": 1400, "height": 1200})

            def guard(route):
                host = urlparse(route.request.url).hostname or ""
                if route.request.url.startswith(("http", "ws")) and host not in ("127.0.0.1", "localhost"):
                    outside.append(route.request.url)
                    route.abort()
                else:
                    route.continue_()

            ctx.route("**/*", guard)
            page = ctx.new_page()
            page.set_default_timeout(600_000)
            t0 = time.perf_counter()
            page.goto(base)
            _settle(page, "overview")
            out["first_load_s"] = round(time.perf_counter() - t0, 3)
            print(f"  first load (overview, new session) {out['first_load_s']:.2f} s", flush=True)
            for name in PAGES:
                times = []
                for _ in range(2):
                    if name != "overview":  # leave the page, then come back through the sidebar
                        _nav(page, "overview")
                    else:
                        _nav(page, "reader")
                    t0 = time.perf_counter()
                    _nav(page, name)
                    times.append(time.perf_counter() - t0)
                out["pages"][name] = {"first_s": round(times[0], 3), "warm_s": round(times[1], 3)}
                print(f"  {name:10s} first {times[0]:7.2f} s   warm {times[1]:6.2f} s", flush=True)
            out["graph_1000"] = graph_1000(page)
            out["requests_outside"] = outside
            b.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return out


TITLES = {"overview": "overview.title", "chain": "chain.title", "explorer": "explorer.title",
          "agencies": "agencies.title", "reader": "reader.title", "console": "console.title",
          "upload": "upload.title", "analytics": "analytics.title"}


def _settle(page, name: str) -> None:
    """Wait for the page's heading, the end of the script run, every element drawn (no
    skeleton), and — on graph pages — the graph drawn."""
    from graph.views import i18n

    page.get_by_role("heading", name=i18n.t(TITLES[name], "vi")).first.wait_for()
    page.wait_for_function("""() => {
        const app = document.querySelector('[data-testid="stApp"]');
        return app && app.getAttribute('data-test-script-state') === 'notRunning'
            && document.querySelectorAll('[data-testid="stSkeleton"]').length === 0; }""")
    if name in ("chain", "explorer"):
        page.wait_for_function("""() => Array.from(document.querySelectorAll('iframe')).some(f => {
            try { return f.contentWindow.__plg && f.contentWindow.__plg.ready; } catch (e) { return false; } })""")


def _nav(page, name: str) -> None:
    """Go to page ``name`` through the sidebar (no reload), and wait until it is drawn."""
    href = "/" if name == "overview" else "/" + name
    page.locator(f'[data-testid="stSidebarNav"] a[href$="{href}"]').first.click()
    _settle(page, name)


def graph_1000(page) -> dict:
    """Load a 1,000-node / ~2,000-edge view and click a node; seconds to first draw and to the
    details panel."""
    import networkx as nx

    from graph import network as gn
    from graph.viz import network_html

    H = nx.barabasi_albert_graph(1000, 2, seed=3)
    pos = gn.layout(H)
    nodes = [{"id": str(n), "label": f"Kế hoạch {n}/KH-UBND", "kind": "document", "x": pos[n][0], "y": pos[n][1]}
             for n in H.nodes]
    edges = [{"from": str(a), "to": str(b), "relation": "implements", "title": "Thực hiện …"} for a, b in H.edges]
    t_build = time.perf_counter()
    html = network_html(nodes, edges, height=800)
    build_s = time.perf_counter() - t_build
    t0 = time.perf_counter()
    page.set_content(html)
    page.wait_for_function("() => window.__plg && window.__plg.ready")
    drawn = time.perf_counter() - t0
    xy = page.evaluate("() => { const n = window.__plg.network;"
                       " const p = n.canvasToDOM(n.getPositions(['0'])['0']); return [p.x, p.y]; }")
    page.locator("#mynetwork canvas").click(position={"x": xy[0], "y": xy[1]})
    page.locator("#d-title").wait_for(state="visible")
    clicked = time.perf_counter() - t0
    res = {"html_build_s": round(build_s, 3), "html_bytes": len(html), "first_draw_s": round(drawn, 3),
           "interactive_s": round(clicked, 3)}
    print(f"  1,000-node graph: html {build_s:.2f} s ({len(html) / 1e6:.2f} MB), first draw {drawn:.2f} s, "
          f"click → details {clicked:.2f} s", flush=True)
    return res


def main() -> None:
    """Command line: see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", help="store directory (default: a synthetic corpus in a temp dir)")
    ap.add_argument("--synthetic", type=int, default=300, help="documents in the synthetic corpus")
    ap.add_argument("--repeat", type=int, default=3, help="warm runs per page")
    ap.add_argument("--browser", action="store_true", help="also time pages in headless Chromium")
    ap.add_argument("--json", help="write the figures as JSON here")
    args = ap.parse_args()
    store = args.store
    if not store:
        from fixture_graph import make_store, synthetic_graphs

        store = str(Path(tempfile.mkdtemp(prefix="plg-bench-")) / "store")
        print(f"generating a synthetic corpus of {args.synthetic} documents in {store} …", flush=True)
        s = make_store(store, synthetic_graphs(args.synthetic))
        del s
    from graph.store import open_store

    s = open_store(store, read_only=True)
    print(f"store {store}: {len(s):,} quads, {len(s.named_graphs())} graphs", flush=True)
    del s
    result: dict = {"store": store}
    print("server side (AppTest, whole script run):", flush=True)
    result["server"] = bench_server(store, args.repeat)
    if args.browser:
        print("browser side (headless Chromium):", flush=True)
        result["browser"] = bench_browser(store)
    worst = max(v["warm_median_s"] for v in result["server"].values())
    print(f"slowest warm page (server): {worst:.2f} s — target < 2 s: {'OK' if worst < 2 else 'MISSED'}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
