"""The Streamlit app, page by page, with ``streamlit.testing.v1.AppTest`` on the fixture store
(``tests/fixture_graph.py``), plus the pure functions behind the pages."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from fixture_graph import XSS_LABEL, make_store  # noqa: E402

from graph.views import PAGES, common, data, i18n  # noqa: E402

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest

PLAN = "https://w3id.org/plg/eli/vn/dak-nong/kh/2024/377-kh-ubnd"
DIRECTIVE = "https://w3id.org/plg/eli/vn/ct/2023/28-ct-tw"
LDTBXH = "https://w3id.org/plg/org/so-lao-dong-thuong-binh-va-xa-hoi-tinh-dak-nong"
SYT = "https://w3id.org/plg/org/so-y-te-tinh-dak-nong"


@pytest.fixture(scope="module", autouse=True)
def _scan_components_once():
    """AppTest scans every installed package for Streamlit v2 component manifests on each new
    instance (1–2 s); the app uses none, so scan once per module and reuse the answer."""
    try:
        import streamlit.components.v2.manifest_scanner as ms
    except ImportError:
        yield
        return
    original = ms.scan_component_manifests
    found = original()
    ms.scan_component_manifests = lambda *a, **k: list(found)
    yield
    ms.scan_component_manifests = original


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("store") / "fixture"
    s = make_store(str(d))
    del s  # release the write lock: the app opens it
    return str(d)


@pytest.fixture(scope="module")
def source():
    return common.Source(make_store())


def _script(page: str, lang: str = "vi") -> None:
    import streamlit as st

    import app

    if lang != "vi":
        st.session_state.setdefault("app_lang", lang)
    app.main(default_page=page)


def run_page(store_dir: str, page: str, monkeypatch, *, lang: str = "vi", query: dict | None = None,
             timeout: float = 60):
    monkeypatch.setenv("POLICYGRAPH_STORE", store_dir)
    at = AppTest.from_function(_script, args=(page, lang), default_timeout=timeout)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at) -> str:
    """All visible text of the page (titles, markdown, captions, alerts, metrics, widget labels,
    dataframe cells, HTML blocks)."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "info", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    for w in ("selectbox", "text_input", "multiselect", "button", "slider", "text_area", "file_uploader"):
        out += [str(x.label) for x in getattr(at, w)]
    out += [str(x.value) for x in at.selectbox]
    for df in at.dataframe:
        out.append(df.value.to_csv(index=False))
    out += [h.proto.body for h in at.get("html")]
    return "\n".join(out)


# ---- every page renders --------------------------------------------------------------------

@pytest.mark.parametrize("page, expected", [
    ("overview", ["Tổng quan", "Kế hoạch chính", "377/KH-UBND", "Văn bản trong kho", "Tôn Thị Ngọc Hạnh"]),
    ("chain", ["Chuỗi chỉ đạo", "Lên trên", "Xuống dưới", "76-CTr/TU", "99/KH-UBND"]),
    ("explorer", ["Khám phá đồ thị", "Loại nút", "Nút trung tâm"]),
    ("agencies", ["Cơ quan và nhiệm vụ", "Ma trận cơ quan × nhiệm vụ", "Chủ trì", "tham mưu triển khai"]),
    ("reader", ["Đọc văn bản", "Cấu trúc văn bản", "NHIỆM VỤ VÀ GIẢI PHÁP", "Sở Y tế"]),
    ("console", ["Truy vấn SPARQL", "Truy vấn mẫu", "Chạy"]),
    ("upload", ["Thêm văn bản", "Chọn tệp"]),
    ("analytics", ["Phân tích mạng lưới", "Chỉ thị 28-CT/TW", "PageRank", "501/UBND-VX", "Xuất đồ thị"]),
])
def test_every_page_renders(store_dir, monkeypatch, page, expected):
    at = run_page(store_dir, page, monkeypatch)
    body = texts(at)
    for e in expected:
        assert e in body, f"{page}: {e!r} not shown"


def test_pages_in_english(store_dir, monkeypatch):
    at = run_page(store_dir, "overview", monkeypatch, lang="en")
    body = texts(at)
    assert "Main plan" in body and "Documents in the store" in body
    assert "Plan" in body  # the document type's skos:prefLabel@en
    at = run_page(store_dir, "agencies", monkeypatch, lang="en", query={"agency": LDTBXH})
    body = texts(at)
    assert "Department of Labour, Invalids and Social Affairs of Đắk Nông" in body
    assert "L = lead" in body


def test_language_toggle_switches_interface(store_dir, monkeypatch):
    at = run_page(store_dir, "overview", monkeypatch)
    assert at.title[0].value == "Tổng quan"
    at.button_group(key="app_lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    # a choice survives the switch, and its label follows the language
    at = run_page(store_dir, "agencies", monkeypatch, query={"agency": LDTBXH})
    assert at.selectbox(key="agency_pick__vi").value == LDTBXH
    at.button_group(key="app_lang").set_value("en").run()
    box = at.selectbox(key="agency_pick__en")
    assert box.value == LDTBXH
    assert box.format_func(LDTBXH).startswith("Department of Labour, Invalids and Social Affairs")


def test_overview_search_is_accent_insensitive(store_dir, monkeypatch):
    at = run_page(store_dir, "overview", monkeypatch)
    at.text_input(key="overview_q").set_value("tre em").run()
    df = at.dataframe[0].value
    assert len(df) == 4 and all("trẻ em" in t for t in df.iloc[:, 4])
    at.text_input(key="overview_q").set_value("nguoi cao tuoi").run()
    assert list(at.dataframe[0].value.iloc[:, 0]) == ["501/UBND-VX"]
    at.text_input(key="overview_q").set_value("377/kh-ubnd").run()  # its number, and 99's title
    assert set(at.dataframe[0].value.iloc[:, 0]) == {"377/KH-UBND", "99/KH-UBND"}


def test_overview_card_shows_label_as_written(store_dir, monkeypatch):
    at = run_page(store_dir, "overview", monkeypatch)
    card = at.get("html")[0].proto.body
    assert "Tôn Thị Ngọc Hạnh" in card and "7 đề mục · 3 nhiệm vụ" in card
    assert "&amp;amp;" not in card


def test_chain_of_a_directive_goes_down(store_dir, monkeypatch):
    at = run_page(store_dir, "chain", monkeypatch, query={"node": DIRECTIVE})
    assert "Không có." in texts(at)  # nothing up from a directive
    down = at.dataframe[0].value
    assert set(down.iloc[:, 2]) == {"76-CTr/TU", "88/QĐ-UBND", "377/KH-UBND", "99/KH-UBND"}
    assert "Thực hiện Chỉ thị số 28-CT/TW" in down.to_csv()
    html = at.get("iframe")[0].proto.srcdoc
    assert "Chỉ thị" in html or "\\u1ec9" in html  # drawn (labels JSON-escaped)


def test_explorer_focus_and_search(store_dir, monkeypatch):
    at = run_page(store_dir, "explorer", monkeypatch, query={"focus": LDTBXH})
    assert at.selectbox(key="explorer_focus__vi").value == LDTBXH
    frame = at.get("iframe")[0].proto.srcdoc
    assert '"focus": "' + LDTBXH in frame
    assert "<script>alert" not in frame
    at.text_input(key="explorer_q").set_value("so y te").run()
    assert at.selectbox(key="explorer_hit__vi").value == SYT
    at.button(key="explorer_centre").click().run()
    assert at.selectbox(key="explorer_focus__vi").value == SYT


def test_agencies_search_by_variant_and_downloads(store_dir, monkeypatch):
    at = run_page(store_dir, "agencies", monkeypatch)
    at.text_input(key="agency_q").set_value("so ld - tb va xh").run()
    at.text_input(key="agency_q").set_value("lao dong thuong binh tinh dak nong").run()
    assert at.selectbox(key="agency_pick__vi").value == LDTBXH
    tasks = at.dataframe[0].value
    assert len(tasks) == 3
    roles = list(tasks.iloc[:, 2])
    assert "Chủ trì" in roles and "Phối hợp" in roles
    assert any("qua các Sở, ban, ngành" in r for r in roles)  # through the group it belongs to
    assert "2024-09-30" in set(tasks.iloc[:, 3])
    matrix = at.dataframe[1].value
    assert list(matrix.columns) == ["", "T1", "T2", "T3"]
    row = matrix[matrix[""] == XSS_LABEL].iloc[0]
    assert row["T1"] == "PH"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("Tải CSV") == 2 and labels.count("Tải XLSX") == 2


def test_reader_highlights_and_escapes(store_dir, monkeypatch):
    at = run_page(store_dir, "reader", monkeypatch, query={"doc": PLAN})
    body = at.get("html")[-1].proto.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Sở KH&amp;ĐT" in body
    assert "<script>" not in body and "&amp;lt;" not in body
    assert 'class="m-agency' in body and "m-reference" in body and "m-date" in body and "m-task" in body
    assert 'href="agencies?agency=' in body and 'href="chain?node=' in body
    tree = at.get("html")[-2].proto.body
    assert 'href="#p-part_II__item_1"' in tree and "II.1" in tree


def test_console_runs_and_refuses(store_dir, monkeypatch):
    at = run_page(store_dir, "console", monkeypatch)
    at.selectbox(key="console_name__vi").set_value("documents").run()
    at.button(key="console_run").click().run()
    assert len(at.dataframe[0].value) >= 5
    assert {"Tải CSV", "Tải JSON"} <= {b.proto.label for b in at.get("download_button")}
    for bad, msg in [("SELECT ?x WHERE { ?x ?y }", "Lỗi truy vấn"),
                     ("DELETE WHERE { ?s ?p ?o }", "read-only"),
                     ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE")]:
        at.text_area(key="console_text").set_value(bad).run()
        at.button(key="console_run").click().run()
        assert at.error and msg in at.error[0].value, bad


def test_analytics_tables(store_dir, monkeypatch):
    at = run_page(store_dir, "analytics", monkeypatch)
    ranking = at.dataframe[0].value
    assert ranking.iloc[0, 1] == "28-CT/TW"
    orphans = at.dataframe[-1].value
    assert list(orphans.iloc[:, 1]) == ["501/UBND-VX"]
    assert {"GraphML", "GEXF"} <= {b.proto.label for b in at.get("download_button")}


def test_upload_adds_a_document_and_reports_bad_files(tmp_path, monkeypatch):
    d = tmp_path / "store"
    del_store = make_store(str(d))
    del del_store
    main = ROOT / "data" / "documents"
    txt = next(main.glob("*.txt")).read_bytes()
    at = run_page(str(d), "upload", monkeypatch, timeout=120)
    at.file_uploader[0].set_value([("plan.txt", txt, "text/plain"), ("broken.pdf", b"%PDF-1.4 not really", "application/pdf"),
                                   ("image.docx", b"\x89PNG\r\n\x1a\n\x00\x00", "application/octet-stream")])
    at.run()
    at.button(key="upload_go").click().run(timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    assert at.success and "1" in at.success[0].value
    errors = " ".join(e.value for e in at.error)
    assert "broken.pdf" in errors and "image.docx" in errors
    table = at.dataframe[0].value
    # the real plan has the fixture plan's identity: it replaces its extraction, nothing else changes
    assert list(table.iloc[:, 1]) == ["đã cập nhật", "lỗi", "lỗi"]
    assert table.iloc[0, 2] == "377/KH-UBND" and table.iloc[0, 7] > 0
    at2 = run_page(str(d), "overview", monkeypatch)  # same process: the app's cached handle
    assert at2.metric[0].value == "5"
    numbers = set(at2.dataframe[0].value.iloc[:, 0])
    assert {"76-CTr/TU", "99/KH-UBND", "88/QĐ-UBND", "501/UBND-VX", "377/KH-UBND"} == numbers
    at2.text_input(key="overview_q").set_value("").run()
    card_sources = texts(at2)
    assert "upload/plan.txt" in card_sources or "data/documents/377.txt" in card_sources


def test_first_run_builds_an_empty_store(tmp_path, monkeypatch):
    pytest.importorskip("graph.pipeline")
    at = run_page(str(tmp_path / "fresh"), "overview", monkeypatch, timeout=180)
    assert at.metric[0].value == "1", texts(at)
    assert any("Đã xây dựng" in str(p.proto.text) for p in at.get("progress"))


def _strip_model_version(store_path: str) -> None:
    """Make the store at ``store_path`` look built by an earlier graph model (no version recorded)."""
    from graph.store import GraphStore

    st = GraphStore(store_path)
    st.ox.update("DELETE WHERE { GRAPH ?g { ?s <https://w3id.org/plg/ontology#modelVersion> ?v } }")
    st.resync_default_graph()
    st.flush()
    del st


def test_first_run_rebuilds_an_outdated_store_from_its_sources(tmp_path, monkeypatch):
    """A store built by an earlier graph model is rebuilt from its own recorded source files
    (not from data/documents; that it then records the current model is checked in
    tests/test_batch.py)."""
    pytest.importorskip("graph.pipeline")
    from graph.batch import build_paths
    from graph.store import GraphStore

    monkeypatch.chdir(tmp_path)
    src = next((ROOT / "data" / "documents").glob("*.txt"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "plan.txt").write_bytes(src.read_bytes())
    store = str(tmp_path / "old")
    st = GraphStore(store)
    build_paths(st, ["docs"])
    st.flush()
    del st
    _strip_model_version(store)
    at = run_page(store, "overview", monkeypatch, timeout=180)
    shown = " ".join(str(p.proto.text) for p in at.get("progress"))
    assert "Đã xây dựng: 1 văn bản" in shown, texts(at)
    assert any("mô hình đồ thị cũ" in str(i.value) for i in at.info)
    assert at.metric[0].value == "1"


def test_outdated_store_without_its_sources_says_how_to_rebuild(tmp_path, monkeypatch):
    """The fixture store's sources ("fixture/…") are not on disk: the app warns and shows the
    store as it is."""
    d = str(tmp_path / "fixture_old")
    s = make_store(d)
    del s
    _strip_model_version(d)
    at = run_page(d, "overview", monkeypatch)
    assert any("policygraph build --force" in str(w.value) for w in at.warning), texts(at)
    assert "377/KH-UBND" in texts(at)


# ---- pure functions behind the pages ------------------------------------------------------

@pytest.mark.parametrize("query, fields, expected", [
    ("tre em", ["Kế hoạch bảo vệ trẻ em"], True),
    ("TRẺ EM", ["ke hoach bao ve tre em"], True),
    ("dak nong", ["Ủy ban nhân dân tỉnh Đắk Nông"], True),
    ("so y te", ["Sở Y tế"], True),
    ("tre em 2024", ["trẻ em", "2024"], True),
    ("tre nho", ["trẻ em"], False),
    ("", ["x"], True),
])
def test_accent_insensitive_match(query, fields, expected):
    assert common.matches(query, *fields) is expected


@pytest.mark.parametrize("text, shown", [
    (XSS_LABEL, r"\<script\>alert\(1\)\</script\> Sở KH\&ĐT"),
    ("a_b*c* [x](y) :red[z]", r"a\_b\*c\* \[x\]\(y\) :red\[z\]"),
])
def test_markdown_escape(text, shown):
    assert common.md(text) == shown


@pytest.mark.parametrize("bad", ["x> <y", "a b", 'q"', "", "a{b}"])
def test_iri_guard(bad):
    with pytest.raises(ValueError):
        common.iri(bad)


def test_provision_path_and_urls():
    assert common.provision_path("part_II__item_1__point_a") == "II.1.a"
    assert common.page_url("agencies", agency="https://w3id.org/plg/org/x y", lang="vi") == \
        "agencies?agency=https%3A%2F%2Fw3id.org%2Fplg%2Forg%2Fx%20y&lang=vi"


def test_data_mentions_kinds(source):
    ms = data.mentions(source, PLAN)
    kinds = {m["kind"] for m in ms}
    assert kinds == {"reference", "agency", "date", "task", "metadata"}
    content = data.source_text(source, PLAN)["content"]
    for m in ms:
        assert 0 <= m["start"] < m["end"] <= len(content)
    xss = [m for m in ms if m["kind"] == "agency" and content[m["start"]:m["end"]] == XSS_LABEL]
    assert xss and xss[0]["label"] == XSS_LABEL


def test_highlight_html_nesting_and_escaping():
    from graph.views.reader import highlight_html

    content = "Sở A & <b> chủ trì, ngày 1/2/2024."
    ms = [{"start": 0, "end": 33, "kind": "task", "target": "t1", "relation": "inProvision", "label": "nhiệm vụ"},
          {"start": 0, "end": 11, "kind": "agency", "target": "o1", "relation": "lead", "label": "Sở <A>"},
          {"start": 23, "end": 32, "kind": "date", "target": "d", "relation": "date_document", "label": ""},
          {"start": 40, "end": 50, "kind": "date", "target": "d", "relation": "x", "label": ""}]  # outside: skipped
    out = highlight_html(content, ms, [{"start": 0, "eid": "part_I"}], kinds=("task", "agency", "date"))
    assert out.count("<a ") == 4  # [0,11) agency+task, [11,23) task, [23,32) date+task, [32,33) task
    assert "Sở A &amp; &lt;b&gt;" in out and "<b>" not in out
    assert 'title="Nhiệm vụ: nhiệm vụ\nCơ quan: Sở &lt;A&gt;"' in out
    assert out.index('<span id="p-part_I"></span>') < out.index("<a ")
    assert out.endswith("</a>.</div>")  # the last character is outside every mention


def test_i18n_keys_used_by_pages_exist_in_both_languages():
    used = set()
    for path in (ROOT / "graph" / "views").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name == "t" and re.fullmatch(r"[a-z_]+\.[a-z_.]+", node.args[0].value):
                    used.add(node.args[0].value)
    from graph.network import KINDS, RELATIONS

    used |= {f"kind.{k}" for k in KINDS} | {f"rel.{r}" for r in RELATIONS} | {f"page.{p}" for p in PAGES}
    used |= {f"mention.{k}" for k in data.MENTION_KINDS}
    missing = sorted(k for k in used if k not in i18n.STRINGS)
    assert not missing, missing
    for key, (vi, en) in i18n.STRINGS.items():
        assert vi.strip() and en.strip(), key
        assert re.findall(r"{(\w+)}", vi) == re.findall(r"{(\w+)}", en) or \
            sorted(re.findall(r"{(\w+)}", vi)) == sorted(re.findall(r"{(\w+)}", en)), key


def test_streamlit_config_is_offline():
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["browser"]["serverAddress"]  # no external-IP lookup at start
