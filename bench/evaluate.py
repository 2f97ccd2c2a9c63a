"""Accuracy of the extraction against the hand-annotated corpus (``../shared/corpus``).

Usage::

    .venv/bin/python bench/evaluate.py [--summary] [--doc PREFIX] [--no-bulk] [--bulk-only]
                                       [--shared DIR] [--json OUT]

Measures, per document and overall (schema: ``../shared/corpus/ANNOTATION.md``):

- metadata: accuracy of ``document_number``, ``document_type``, ``issuer``, ``date_issued``,
  ``place``, ``signer`` (case-, tone-placement- and whitespace-insensitive);
- references: precision/recall/F1. An extracted reference matches an expected one when the
  sources agree (both the document itself, or the same number) and the targets agree: by number
  when either side has one (case- and diacritic-insensitive, Đ → D, spaces ignored), else by
  name (accent-insensitive key equal, equal once a trailing period phrase such as "giai đoạn
  2021-2030" is removed, rapidfuzz ratio ≥ 90, or one name a ≥ 5-word prefix of the other);
  among several candidates the one with the same date wins;
- relation accuracy over matched references (``relation`` or one of ``relation_also_ok``);
- agencies P/R/F1 by normalised name; assignments P/R/F1 (same agency and role, task prefixes
  overlapping ≥ 0.6 of the expected task's tokens);
- bulk (``bulk/MANIFEST.tsv``): extracted type, number and year agree with the URL's
  (:func:`url_number_agrees`, :func:`url_type_agrees`); a second number figure counts only the
  texts that print the URL's number somewhere (:func:`number_printed`), so a crawl that lost
  its header is told apart from a miss of the extractor.

Misses and extras are listed per document unless ``--summary``. Exits 0 with a message when
``../shared`` is absent. The extraction comes from ``graph.pipeline.extract``/``to_annotation``
when that module exists, else from :func:`_adapter_annotation` (parse + references + resolve).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from graph.ingest.text import collapse_ws, fold_key, strip_accents  # noqa: E402
from graph.registry import name_key, strip_period  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"


# ------------------------------------------------------------------------------------------
# extraction adapter
# ------------------------------------------------------------------------------------------

def _pipeline():
    try:
        from graph.pipeline import extract_file, to_annotation  # type: ignore

        return extract_file, to_annotation
    except Exception:  # noqa: BLE001 - any import problem: fall back to the adapter
        return None


def _parse(path: Path):
    try:
        from graph.ingest.parse import parse_document  # type: ignore
    except ImportError:
        return _fallback_document(path)
    try:
        from graph.ingest.readers import read_source  # type: ignore

        source = read_source(path)
    except ImportError:
        from graph.models import SourceText

        source = SourceText(str(path), path.read_text(encoding="utf-8"))
    return parse_document(source)


def _fallback_document(path: Path):
    """A minimal Document (clean text, number, locality) used until the parser exists."""
    from graph.extract.numbers import parse_number
    from graph.ingest.text import clean_text
    from graph.models import Document, Metadata, SourceText

    text = path.read_text(encoding="utf-8")
    clean = clean_text(text)
    number = None
    m = re.search(r"Số\s*:\s*([^\n|]{0,60})", clean.text)
    if m:
        p = parse_number(m.group(1))
        number = p.canonical if p else None
    place = None
    pm = re.search(r"([A-ZĐÀ-Ỹ][^\n|,]{1,40}),\s*ngày\s+\d", clean.text)
    if pm:
        place = collapse_ws(pm.group(1))
    meta = Metadata(document_number=number, place=place, locality=place if place and place != "Hà Nội"
                    or (place == "Hà Nội" and "THÀNH PHỐ HÀ NỘI" in text.upper()[:600]) else None)
    return Document(source=SourceText(str(path), text), clean=clean, metadata=meta, provisions=())


def _adapter_annotation(path: Path) -> dict:
    from graph.extract.references import extract_references
    from graph.registry import load_registry
    from graph.resolve import resolve_references

    reg = load_registry()
    doc = _parse(path)
    refs = resolve_references(doc, extract_references(doc, reg), reg)
    md = doc.metadata
    return {
        "file": path.name,
        "document": {"document_number": md.document_number, "document_type": md.document_type,
                     "issuer": list(md.issuer), "date_issued": md.date_issued, "place": md.place,
                     "signer": md.signer},
        "references": [{"source": r.source, "document_number": r.document_number,
                        "document_type": r.document_type, "issuer": r.issuer,
                        "date_issued": r.date_issued, "name": r.name, "relation": r.relation,
                        "surfaces": r.surfaces} for r in refs],
        "agencies": None, "collective_agencies": None, "assignments": None,
    }


def annotate(path: Path) -> dict:
    """The extraction of one file as an ANNOTATION.md dict."""
    pl = _pipeline()
    if pl is not None:
        extract_file, to_annotation = pl
        ex = extract_file(path)
        for w in ex.warnings:
            print(f"   warning {path.name}: {w}")
        return to_annotation(ex)
    return _adapter_annotation(path)


# ------------------------------------------------------------------------------------------
# comparison helpers
# ------------------------------------------------------------------------------------------

def num_norm(s: str | None) -> str:
    """Number comparison key: case and diacritics removed, Đ → D, spaces dropped, dashes unified."""
    if not s:
        return ""
    s = re.sub(r"\s+", "", strip_accents(s)).upper()
    return re.sub(r"[–—‐]", "-", s)


def text_norm(s) -> str:
    if s is None:
        return ""
    if isinstance(s, list):
        return " | ".join(sorted(text_norm(x) for x in s))
    s = collapse_ws(str(s))
    for a, b in (("Uỷ", "Ủy"), ("uỷ", "ủy"), ("UBND", "Ủy ban nhân dân"), ("HĐND", "Hội đồng nhân dân")):
        s = s.replace(a, b)
    return fold_key(re.sub(r"\s*[–—-]\s*", " - ", s))


def names_match(a: str | None, b: str | None) -> float:
    """Score (0–100) that two instrument names are the same; 0 when they are not."""
    if not a or not b:
        return 0.0
    ka, kb = name_key(a), name_key(b)
    if ka == kb:
        return 100.0
    sa, sb = name_key(strip_period(a)), name_key(strip_period(b))
    if sa == sb:
        return 99.0
    r = fuzz.ratio(ka, kb)
    if r >= 90:
        return r
    r2 = fuzz.ratio(sa, sb)
    if r2 >= 90:
        return r2
    wa, wb = sa.split(), sb.split()
    n = min(len(wa), len(wb))
    if n >= 5 and wa[:n] == wb[:n]:
        return 90.0
    return 0.0


def _target_score(e: dict, x: dict) -> float:
    if e.get("document_number") or x.get("document_number"):
        if num_norm(e.get("document_number")) != num_norm(x.get("document_number")):
            return 0.0
        score = 100.0
        if e.get("date_issued") and x.get("date_issued") and e["date_issued"] == x["date_issued"]:
            score += 1
        return score
    return names_match(e.get("name") or (e.get("surfaces") or [None])[0],
                       x.get("name") or (x.get("surfaces") or [None])[0])


def match_references(expected: list[dict], extracted: list[dict]):
    """Greedy one-to-one matching; returns (pairs, misses, extras)."""
    cands = []
    for i, e in enumerate(expected):
        for j, x in enumerate(extracted):
            if num_norm(e.get("source")) != num_norm(x.get("source")):
                continue
            s = _target_score(e, x)
            if s > 0:
                cands.append((s, i, j))
    cands.sort(key=lambda t: -t[0])
    used_e, used_x, pairs = set(), set(), []
    for _s, i, j in cands:
        if i in used_e or j in used_x:
            continue
        used_e.add(i)
        used_x.add(j)
        pairs.append((expected[i], extracted[j]))
    misses = [e for i, e in enumerate(expected) if i not in used_e]
    extras = [x for j, x in enumerate(extracted) if j not in used_x]
    return pairs, misses, extras


def relation_ok(e: dict, x: dict) -> bool:
    return x.get("relation") == e.get("relation") or x.get("relation") in (e.get("relation_also_ok") or [])


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _agency_norm(s: str) -> str:
    return text_norm(s)


def _task_tokens(s: str) -> list[str]:
    return strip_accents(fold_key(collapse_ws(s or ""))).split()


def match_assignments(expected: list[dict], extracted: list[dict]) -> int:
    used, tp = set(), 0
    for e in expected:
        et = _task_tokens(e.get("task", ""))
        for j, x in enumerate(extracted):
            if j in used or _agency_norm(e.get("agency", "")) != _agency_norm(x.get("agency", "")):
                continue
            if e.get("role") != x.get("role"):
                continue
            xt = _task_tokens(x.get("task", ""))
            n = min(len(et), len(xt))
            if not et or not n:
                continue
            common = sum(1 for a, b in zip(et[:n], xt[:n], strict=False) if a == b)
            overlap = max(common, len(set(et) & set(xt))) / len(et)
            if overlap >= 0.6:
                used.add(j)
                tp += 1
                break
    return tp


META_FIELDS = ("document_number", "document_type", "issuer", "date_issued", "place", "signer")


def _meta_equal(field: str, e, x) -> bool:
    if field == "document_number":
        return num_norm(e) == num_norm(x)
    if field == "document_type":
        return text_norm(e).split(" (")[0] == text_norm(x).split(" (")[0]
    return text_norm(e) == text_norm(x)


# ------------------------------------------------------------------------------------------
# runs
# ------------------------------------------------------------------------------------------

def evaluate_corpus(shared: Path, only: str | None, summary: bool, out: dict) -> None:
    docs = sorted((shared / "corpus" / "documents").glob("*.txt"))
    if only:
        docs = [d for d in docs if d.name.startswith(only)]
    meta_ok = defaultdict(int)
    meta_n = 0
    R = {"tp": 0, "pred": 0, "gold": 0, "rel_ok": 0}
    A = {"tp": 0, "pred": 0, "gold": 0, "have": False}
    S = {"tp": 0, "pred": 0, "gold": 0, "have": False}
    rows = []
    t0 = time.perf_counter()
    for path in docs:
        exp_path = shared / "corpus" / "expected" / (path.stem + ".json")
        if not exp_path.exists():
            continue
        exp = json.loads(exp_path.read_text(encoding="utf-8"))
        try:
            got = annotate(path)
        except Exception as e:  # noqa: BLE001 - report and go on
            print(f"ERROR {path.name}: {type(e).__name__}: {e}")
            got = {"document": {}, "references": [], "agencies": None, "assignments": None}
        meta_n += 1
        mbad = []
        for f in META_FIELDS:
            if _meta_equal(f, exp["document"].get(f), (got.get("document") or {}).get(f)):
                meta_ok[f] += 1
            else:
                mbad.append((f, exp["document"].get(f), (got.get("document") or {}).get(f)))
        pairs, misses, extras = match_references(exp["references"], got.get("references") or [])
        rel_ok = sum(1 for e, x in pairs if relation_ok(e, x))
        R["tp"] += len(pairs)
        R["pred"] += len(got.get("references") or [])
        R["gold"] += len(exp["references"])
        R["rel_ok"] += rel_ok
        ag_f = as_f = None
        gold_names = pred_names = set()
        if got.get("agencies") is not None:
            A["have"] = True
            gold_names = {_agency_norm(a["name"]) for a in exp.get("agencies", [])}
            pred_names = {_agency_norm(a["name"] if isinstance(a, dict) else a) for a in got["agencies"]}
            A["tp"] += len(gold_names & pred_names)
            A["pred"] += len(pred_names)
            A["gold"] += len(gold_names)
            ag_f = prf(len(gold_names & pred_names), len(pred_names), len(gold_names))[2]
        if got.get("assignments") is not None:
            S["have"] = True
            stp = match_assignments(exp.get("assignments", []), got["assignments"])
            S["tp"] += stp
            S["pred"] += len(got["assignments"])
            S["gold"] += len(exp.get("assignments", []))
            as_f = prf(stp, len(got["assignments"]), len(exp.get("assignments", [])))[2]
        p, r, f = prf(len(pairs), len(got.get("references") or []), len(exp["references"]))
        rows.append((path.name[:44], len(exp["references"]), len(got.get("references") or []), len(pairs),
                     f, rel_ok, len(pairs), ag_f, as_f))
        if not summary and (misses or extras or mbad or rel_ok < len(pairs) or gold_names != pred_names):
            print(f"\n== {path.name}")
            for fld, ev, xv in mbad:
                print(f"   meta {fld}: expected {ev!r} got {xv!r}")
            for e in misses:
                print(f"   MISS  src={e.get('source')} {e.get('document_number') or e.get('name')!r}"
                      f" [{e.get('relation')}] {e.get('surfaces', [''])[:1]}")
            for x in extras:
                print(f"   EXTRA src={x.get('source')} {x.get('document_number') or x.get('name')!r}"
                      f" [{x.get('relation')}] {x.get('surfaces', [''])[:1]}")
            for e, x in pairs:
                if not relation_ok(e, x):
                    print(f"   REL   src={e.get('source')} {e.get('document_number') or e.get('name')!r}: "
                          f"expected {e.get('relation')} (+{e.get('relation_also_ok') or []}) got {x.get('relation')}")
            for n in sorted(gold_names - pred_names):
                print(f"   AGENCY MISS  {n}")
            for n in sorted(pred_names - gold_names):
                print(f"   AGENCY EXTRA {n}")
    elapsed = time.perf_counter() - t0
    print("\nReferences per document")
    print(f"{'document':44} {'gold':>5} {'pred':>5} {'tp':>4} {'F1':>6} {'rel':>7} {'agF1':>6} {'asgF1':>6}")
    for name, g, pr, tp, f, rok, n, agf, asf in rows:
        ag = f"{agf:6.3f}" if agf is not None else "   n/a"
        sg = f"{asf:6.3f}" if asf is not None else "   n/a"
        print(f"{name:44} {g:5d} {pr:5d} {tp:4d} {f:6.3f} {rok:3d}/{n:<3d} {ag} {sg}")
    p, r, f = prf(R["tp"], R["pred"], R["gold"])
    racc = R["rel_ok"] / R["tp"] if R["tp"] else 0.0
    print("\nOverall")
    print(f"  references   P={p:.3f} R={r:.3f} F1={f:.3f}  (tp={R['tp']} pred={R['pred']} gold={R['gold']})")
    print(f"  relations    accuracy={racc:.3f}  ({R['rel_ok']}/{R['tp']})")
    for fld in META_FIELDS:
        print(f"  metadata     {fld:16} {meta_ok[fld]}/{meta_n} = {meta_ok[fld] / meta_n if meta_n else 0:.4f}")
    if A["have"]:
        ap, ar, af = prf(A["tp"], A["pred"], A["gold"])
        print(f"  agencies     P={ap:.3f} R={ar:.3f} F1={af:.3f}")
    else:
        print("  agencies     n/a (the extraction gives none yet)")
    if S["have"]:
        sp, sr, sf = prf(S["tp"], S["pred"], S["gold"])
        print(f"  assignments  P={sp:.3f} R={sr:.3f} F1={sf:.3f}")
    else:
        print("  assignments  n/a (the extraction gives none yet)")
    print(f"  time         {elapsed:.2f} s for {len(rows)} documents")
    out["references"] = {"precision": p, "recall": r, "f1": f, "relation_accuracy": racc, **R}
    out["metadata"] = {fld: meta_ok[fld] / meta_n if meta_n else 0 for fld in META_FIELDS}


def _url_number_norm(s: str) -> str:
    """A number as a URL slug writes it: folded (:func:`num_norm`), "/" and "." → "-" (the
    portal's slugs turn every separator into a dash: ``66.8/2025/NQ-CP`` → ``66-8-2025-NQ-CP``)."""
    return re.sub(r"[/.]", "-", num_norm(s))


def url_number_agrees(ours: str | None, url: str) -> bool:
    """Our number against the URL's: equal once folded (``2820/QĐ-UBND`` ~ ``2820-QD-UBND``,
    ``66.8/2025/NQ-CP`` ~ ``66-8-2025-NQ-CP``), or the URL's is ours without the trailing issuer
    code(s) — the portal's URLs drop "TTg" (``2634/QĐ-TTg`` ~ ``2634-QD``, ``232/CĐ-TTg`` ~
    ``232-CD``)."""
    a, b = _url_number_norm(ours or ""), _url_number_norm(url)
    return bool(a) and (a == b or a.startswith(b + "-"))


def _slug(s: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_accents(s or "").lower()).strip("-")


def url_type_agrees(ours: str | None, manifest_type: str, url: str) -> bool:
    """Our type against the manifest's: equal once normalised, or the manifest's type is a cut
    of ours that the URL itself spells in full before the number (the manifest reads
    "Van-ban-hop-nhat-57-VBHN-BCT-…" as "Văn bản"; the URL says "Văn bản hợp nhất")."""
    if text_norm(ours) == text_norm(manifest_type):
        return True
    so, sm = _slug(ours), _slug(manifest_type)
    seg = _slug(url.rsplit("/", 1)[-1].split(".aspx")[0])
    return bool(so and sm) and so.startswith(sm + "-") and re.match(re.escape(so) + r"-\d", seg) is not None


_OCR_DIGIT = {"0": "0Oo", "1": "1lI|", "2": "2Zz", "5": "5Ss", "8": "8B"}


def number_printed(text: str, url_number: str) -> bool:
    """True if ``text`` prints the running number of ``url_number`` (its first digit group)
    anywhere, read loosely: digits split by spaces, line breaks or markup (``**22**1``), OCR
    glyphs for digits (O/o for 0, l/I/| for 1, Z for 2, S for 5, B for 8); not inside a longer
    digit run. Tells the misses of the extractor from texts that never state the number."""
    lead = re.match(r"\d+", url_number or "")
    if not lead:
        return False
    body = r"[\s*_\\]*".join("[" + re.escape(_OCR_DIGIT.get(c, c)) + "]" for c in lead.group(0))
    return re.search(r"(?<![0-9])" + body + r"(?![0-9])", text) is not None


def evaluate_bulk(shared: Path, summary: bool, out: dict) -> None:
    man = shared / "corpus" / "bulk" / "MANIFEST.tsv"
    if not man.exists():
        print("bulk: no MANIFEST.tsv, skipped")
        return
    rows = list(csv.DictReader(man.open(encoding="utf-8"), delimiter="\t"))
    n = ok_type = ok_num = ok_year = errors = 0
    n_num = n_year = n_type = 0
    bad = []
    unstated: list[str] = []
    t0 = time.perf_counter()
    for row in rows:
        path = shared / "corpus" / "bulk" / "documents" / row["file"]
        if not path.exists():
            continue
        n += 1
        try:
            doc = _parse(path)
            md = doc.metadata
        except Exception as e:  # noqa: BLE001
            errors += 1
            bad.append((row["file"], f"error {type(e).__name__}: {e}"))
            continue
        if row.get("number_from_url"):
            n_num += 1
            if url_number_agrees(md.document_number, row["number_from_url"]):
                ok_num += 1
            elif not number_printed(doc.text, row["number_from_url"]):
                unstated.append(row["file"])
                bad.append((row["file"], f"number {md.document_number!r} vs url {row['number_from_url']!r}"
                                         " (the text never prints it)"))
            else:
                bad.append((row["file"], f"number {md.document_number!r} vs url {row['number_from_url']!r}"))
        if row.get("year_from_url"):
            n_year += 1
            if (md.date_issued or "")[:4] == row["year_from_url"]:
                ok_year += 1
            else:
                bad.append((row["file"], f"year {md.date_issued!r} vs url {row['year_from_url']!r}"))
        if row.get("document_type_from_url"):
            n_type += 1
            if url_type_agrees(md.document_type, row["document_type_from_url"], row.get("url") or ""):
                ok_type += 1
            else:
                bad.append((row["file"], f"type {md.document_type!r} vs url {row['document_type_from_url']!r}"))
    elapsed = time.perf_counter() - t0
    if not summary:
        for f, msg in bad[:80]:
            print(f"   bulk {f}: {msg}")
    print("\nBulk (metadata vs URL)")
    print(f"  documents {n}, errors {errors}, {elapsed:.1f} s")
    for label, ok, tot in (("number", ok_num, n_num), ("type", ok_type, n_type), ("year", ok_year, n_year)):
        print(f"  {label:7} {ok}/{tot} = {ok / tot if tot else 0:.3f}")
    stated = n_num - len(unstated)
    print(f"          number, texts that print the URL's number: {ok_num}/{stated} = "
          f"{ok_num / stated if stated else 0:.3f} ({len(unstated)} never print it)")
    out["bulk"] = {"documents": n, "errors": errors, "number": ok_num / n_num if n_num else 0,
                   "number_printed": ok_num / stated if stated else 0, "number_never_printed": unstated,
                   "type": ok_type / n_type if n_type else 0, "year": ok_year / n_year if n_year else 0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--summary", action="store_true", help="print only the tables")
    ap.add_argument("--doc", help="only documents whose file name starts with this")
    ap.add_argument("--no-bulk", action="store_true", help="skip the bulk metadata check")
    ap.add_argument("--bulk-only", action="store_true", help="only the bulk metadata check")
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data directory")
    ap.add_argument("--json", type=Path, help="write the figures as JSON here")
    a = ap.parse_args(argv)
    if not (a.shared / "corpus").exists():
        print(f"skipped: {a.shared / 'corpus'} not found (the shared corpus is not available here)")
        return 0
    out: dict = {}
    if not a.bulk_only:
        evaluate_corpus(a.shared, a.doc, a.summary, out)
    if not a.no_bulk and not a.doc:
        evaluate_bulk(a.shared, a.summary, out)
    if a.json:
        a.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
