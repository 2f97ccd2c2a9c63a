"""The app in a real browser: Debian's headless Chromium driven by Playwright.

Starts ``streamlit run app.py`` on a free port with ``POLICYGRAPH_STORE`` pointing at a temporary
copy of the fixture store, visits every page, asserts on visible text, saves a screenshot of each
under ``tests/artifacts/`` (gitignored), and blocks and records every request to a host other
than 127.0.0.1/localhost (asserting there is none). Also checks that a label
``<script>alert(1)</script> Sở KH&ĐT`` shows as written and runs nothing, and that a
1,000-node graph view is interactive within 3 s.

Skipped, with the reason, when /usr/bin/chromium or the playwright package is missing
(``make browser`` installs Debian's chromium).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from fixture_graph import XSS_LABEL, make_store  # noqa: E402

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LDTBXH = "https://w3id.org/plg/org/so-lao-dong-thuong-binh-va-xa-hoi-tinh-dak-nong"
XSS_IRI = "https://w3id.org/plg/org/script-alert-1-script-so-kh-dt"


def _need_browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (make browser) to run browser tests")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _need_browser()
    store = tmp_path_factory.mktemp("browser") / "store"
    s = make_store(str(store))
    del s  # release the write lock for the app
    port = _free_port()
    env = dict(os.environ, POLICYGRAPH_STORE=str(store), PYTHONUNBUFFERED="1")
    log = (tmp_path_factory.mktemp("log") / "streamlit.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                             "--server.port", str(port), "--server.address", "127.0.0.1"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail("streamlit did not answer /_stcore/health within 90 s")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="vi-VN")
        outside: list[str] = []

        def guard(route):
            url = route.request.url
            host = urlparse(url).hostname or ""
            if url.startswith(("http:", "https:", "ws:", "wss:")) and host not in LOCAL_HOSTS:
                outside.append(url)
                route.abort()
            else:
                route.continue_()

        context.route("**/*", guard)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.set_default_timeout(60_000)
        yield page, outside, dialogs
        context.close()
        browser.close()


def _open(page, base: str, path: str, heading: str):
    page.goto(f"{base}/{path}")
    page.get_by_role("heading", name=heading).first.wait_for()
    _settle(page)


def _settle(page):
    """Wait until the script run is over and every element is drawn (no skeleton left)."""
    page.wait_for_function("""() => {
        const app = document.querySelector('[data-testid="stApp"]');
        return app && app.getAttribute('data-test-script-state') === 'notRunning'
            && document.querySelectorAll('[data-testid="stSkeleton"]').length === 0; }""")


def _shot(page, name: str):
    _settle(page)
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _graph_frame(page):
    """The first graph iframe, once vis-network has drawn."""
    page.locator("iframe").first.wait_for()
    for _ in range(120):
        for f in page.frames:
            try:
                if f.evaluate("() => !!(window.__plg && window.__plg.ready)"):
                    return f
            except Exception:  # noqa: BLE001 - frames come and go while Streamlit renders
                pass
        page.wait_for_timeout(250)
    raise AssertionError("no graph iframe finished drawing")


def test_every_page_in_chromium(server, browser_page):
    page, outside, dialogs = browser_page
    # visible DOM text only (dataframe cells are drawn on a canvas)
    checks = [
        ("", "overview", "Tổng quan", ["Kế hoạch chính", "Văn bản trong kho", "Tôn Thị Ngọc Hạnh",
                                        "Kế hoạch thực hiện Chương trình số 76-CTr/TU"]),
        ("chain?node=https%3A%2F%2Fw3id.org%2Fplg%2Feli%2Fvn%2Fct%2F2023%2F28-ct-tw", "chain", "Chuỗi chỉ đạo",
         ["Xuống dưới: văn bản thực hiện nó (4)", "Lên trên: văn bản này thực hiện (0)"]),
        ("explorer", "explorer", "Khám phá đồ thị", ["Loại nút", "Nút trung tâm", "Số nút tối đa"]),
        ("agencies?agency=" + LDTBXH.replace(":", "%3A").replace("/", "%2F"), "agencies", "Cơ quan và nhiệm vụ",
         ["Tên gọi khác: Department of Labour, Invalids and Social Affairs of Đắk Nông",
          "Ma trận cơ quan × nhiệm vụ", "CT = chủ trì"]),
        ("reader", "reader", "Đọc văn bản", ["Cấu trúc văn bản", "II. NHIỆM VỤ VÀ GIẢI PHÁP",
                                             "Căn cứ Luật Trẻ em năm 2016"]),
        ("console", "console", "Truy vấn SPARQL", ["Truy vấn mẫu", "dòng"]),
        ("upload", "upload", "Thêm văn bản", ["Chọn tệp", "không bị mất"]),
        ("analytics", "analytics", "Phân tích mạng lưới", ["Đường nối hai văn bản",
                                                           "1 văn bản không thực hiện", "Xuất đồ thị"]),
    ]
    for path, name, heading, expected in checks:
        if "?" in path or not path:  # deep link: load the URL
            _open(page, server, path, heading)
        else:  # like a user: the sidebar navigation (no page reload)
            page.locator('[data-testid="stSidebarNav"] a[href$="/' + path + '"]').first.click()
            page.get_by_role("heading", name=heading).first.wait_for()
            _settle(page)
        if name == "chain":
            assert page.get_by_role("combobox", name="Văn bản").input_value().startswith("Chỉ thị 28-CT/TW")
        for text in expected:
            page.get_by_text(text, exact=False).filter(visible=True).first.wait_for(state="visible")
        if name in ("chain", "explorer"):
            frame = _graph_frame(page)
            frame.get_by_text("Văn bản (có nguồn)").first.wait_for(state="visible")  # the legend
        if name == "chain":  # each edge's tooltip is its evidence sentence
            titles = frame.evaluate("() => window.__plg.edges.get().map(e => e.title)")
            assert any("Thực hiện Chỉ thị số 28-CT/TW" in t for t in titles), titles
        _shot(page, name)
    assert not outside, f"requests left the machine: {outside}"
    assert not dialogs


def test_hostile_label_shows_as_written_and_runs_nothing(server, browser_page):
    page, outside, dialogs = browser_page
    # reader: the text, highlighted
    _open(page, server, "reader", "Đọc văn bản")
    mention = page.locator("a.m-agency", has_text="Sở KH&ĐT").first
    mention.wait_for()
    assert mention.inner_text() == XSS_LABEL
    # agencies page: in the selectbox, the tables and the matrix
    _open(page, server, "agencies?agency=" + XSS_IRI.replace(":", "%3A").replace("/", "%2F"), "Cơ quan và nhiệm vụ")
    box = page.get_by_role("combobox", name="Cơ quan (số nhiệm vụ)")
    box.wait_for()
    assert box.input_value() == XSS_LABEL + " (1)"
    _shot(page, "agencies-xss")
    # graph: click the node, read the details panel
    _open(page, server, "explorer?focus=" + XSS_IRI.replace(":", "%3A").replace("/", "%2F"), "Khám phá đồ thị")
    frame = _graph_frame(page)
    xy = frame.evaluate(f"""() => {{ const n = window.__plg.network;
        const p = n.canvasToDOM(n.getPositions([{XSS_IRI!r}])[{XSS_IRI!r}]); return [p.x, p.y]; }}""")
    frame.locator("#mynetwork canvas").click(position={"x": xy[0], "y": xy[1]})
    title = frame.locator("#d-title")
    title.wait_for(state="visible")
    assert title.inner_text() == XSS_LABEL
    assert frame.evaluate("() => document.querySelectorAll('#details script').length") == 0
    _shot(page, "explorer-details")
    # the panel's link opens the agency's page (in a new tab: the iframe sandbox allows popups only)
    with page.context.expect_page() as opened:
        frame.get_by_role("link", name="Nhiệm vụ của cơ quan").click()
    tab = opened.value
    tab.get_by_role("heading", name="Cơ quan và nhiệm vụ").first.wait_for()
    assert "/agencies?agency=" in tab.url
    box = tab.get_by_role("combobox", name="Cơ quan (số nhiệm vụ)")
    box.wait_for()
    assert box.input_value() == XSS_LABEL + " (1)"
    tab.close()
    assert not dialogs, f"a script ran: {dialogs}"
    assert not outside


def test_language_toggle(server, browser_page):
    page, outside, _ = browser_page
    _open(page, server, "", "Tổng quan")
    page.get_by_role("radio", name="English").click()
    page.get_by_role("heading", name="Overview").first.wait_for()
    page.get_by_text("Documents in the store").filter(visible=True).first.wait_for()
    _shot(page, "overview-en")
    page.get_by_role("radio", name="Tiếng Việt").click()
    page.get_by_role("heading", name="Tổng quan").first.wait_for()
    assert not outside


def test_thousand_node_graph_is_interactive(browser_page):
    """A 1,000-node view draws and answers a click. Its speed is measured and printed by
    bench/bench_app.py --browser (a benchmark, not a timed test); this prints the figure only."""
    import networkx as nx

    from graph import network as gn
    from graph.viz import network_html

    page, outside, dialogs = browser_page
    H = nx.barabasi_albert_graph(1000, 2, seed=3)
    pos = gn.layout(H)
    kinds = ["document", "instrument", "agency", "task"]
    nodes = [{"id": str(n), "label": (XSS_LABEL if n == 0 else f"Kế hoạch {n}/KH-UBND"), "kind": kinds[n % 4],
              "x": pos[n][0], "y": pos[n][1], "details": [["n", str(n)]]} for n in H.nodes]
    edges = [{"from": str(a), "to": str(b), "relation": "implements", "title": "Thực hiện …"} for a, b in H.edges]
    html = network_html(nodes, edges, height=800)
    t0 = time.perf_counter()
    page.set_content(html)
    page.wait_for_function("() => window.__plg && window.__plg.ready", timeout=10_000)
    xy = page.evaluate("""() => { const n = window.__plg.network;
        const p = n.canvasToDOM(n.getPositions(['0'])['0']); return [p.x, p.y]; }""")
    page.locator("#mynetwork canvas").click(position={"x": xy[0], "y": xy[1]})
    page.locator("#d-title").wait_for(state="visible")
    elapsed = time.perf_counter() - t0
    draw_ms = page.evaluate("() => window.__plg.drawMs")
    page.screenshot(path=str(ARTIFACTS / "graph-1000.png"))
    assert page.locator("#d-title").inner_text() == XSS_LABEL
    print(f"1,000-node view interactive after {elapsed:.2f} s (first draw {draw_ms:.0f} ms)")
    assert not dialogs and not outside


UPLOAD_TEXT = """ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH
Số: 12/KH-UBND
Hòa Bình, ngày 5 tháng 3 năm 2024

KẾ HOẠCH
Thực hiện công tác bảo vệ trẻ em năm 2024

Căn cứ Luật Trẻ em năm 2016;
Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. NHIỆM VỤ
1. Sở Y tế chủ trì, phối hợp với Sở Tư pháp tổ chức tuyên truyền, hoàn thành trước ngày 30/6/2024.
"""


def test_upload_in_the_browser(server, browser_page):
    """Runs last: it adds a document to the server's store (through the real pipeline)."""
    pytest.importorskip("graph.pipeline")
    from playwright.sync_api import expect

    page, outside, dialogs = browser_page
    _open(page, server, "upload", "Thêm văn bản")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([
        {"name": "ke-hoach-12.txt", "mimeType": "text/plain", "buffer": UPLOAD_TEXT.encode("utf-8")},
        {"name": "hong.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 not a pdf"},
    ])
    page.get_by_text("ke-hoach-12.txt").first.wait_for()
    page.get_by_text("hong.pdf").first.wait_for()
    add = page.get_by_role("button", name="Thêm vào kho")
    # the button stays disabled until Streamlit has registered the files (under load that
    # takes a while; a click before then is lost)
    expect(add).to_be_enabled(timeout=60_000)
    add.click()
    page.get_by_text("Đã thêm hoặc cập nhật 1 văn bản").first.wait_for(timeout=120_000)
    page.get_by_text("Không đọc được hong.pdf").first.wait_for()
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for()  # the summary table
    _shot(page, "upload-done")
    _open(page, server, "", "Tổng quan")
    page.get_by_text("6 / 6 văn bản").first.wait_for()  # the five fixture documents are all still there
    assert not outside and not dialogs
