"""Extraction benchmark: pressflow's extractor and trafilatura alone, on the same pages, in one run.

Prints body token F1 against gold and pages per second for each, and their ratios:
- Korean pages: the bundled HTML samples with gold (pipelines/samples), CMS families and EUC-KR;
- the public Scrapinghub benchmark (../shared/bench/scrapinghub, 181 mostly English pages) when present.
trafilatura gets the page decoded the same way (it ignores <meta charset>, see FIELD-NOTES).

Run: .venv/bin/python benchmarks/extract.py [--repeat N]
"""
from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter
from pathlib import Path

import trafilatura

from extractors import RawPage, extract
from extractors.encoding import decode

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "pipelines" / "samples"
SCRAPINGHUB = ROOT.parent / "shared" / "bench" / "scrapinghub"


def token_f1(predicted: str, gold: str) -> float:
    p, g = predicted.split(), gold.split()
    if not p or not g:
        return float(p == g)
    overlap = sum((Counter(p) & Counter(g)).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / len(p), overlap / len(g)
    return 2 * precision * recall / (precision + recall)


def korean_pages() -> list[tuple[bytes, str | None, str]]:
    pages = []
    for gold_path in sorted((SAMPLES / "gold").glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if gold.get("is_article") is False:
            continue
        html_path = SAMPLES / "html" / gold_path.name.replace(".gold.json", ".html")
        pages.append((html_path.read_bytes(), gold.get("url"), gold["body"]))
    return pages


def scrapinghub_pages() -> list[tuple[bytes, str | None, str]]:
    truth_path = SCRAPINGHUB / "ground-truth.json"
    if not truth_path.exists():
        return []
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    return [(gzip.decompress((SCRAPINGHUB / "html" / f"{key}.html.gz").read_bytes()), item.get("url"),
             item["articleBody"]) for key, item in truth.items()]


def run_pressflow(pages, repeat: int) -> tuple[float, float]:
    scores = [token_f1(extract(RawPage(body=body, url=url)).body, gold) for body, url, gold in pages]
    started = time.perf_counter()
    for _ in range(repeat):
        for body, url, _gold in pages:
            extract(RawPage(body=body, url=url))
    return sum(scores) / len(scores), repeat * len(pages) / (time.perf_counter() - started)


def run_trafilatura(pages, repeat: int) -> tuple[float, float]:
    def one(body: bytes, url: str | None) -> str:
        return trafilatura.extract(decode(body)[0], url=url) or ""

    scores = [token_f1(one(body, url), gold) for body, url, gold in pages]
    started = time.perf_counter()
    for _ in range(repeat):
        for body, url, _gold in pages:
            one(body, url)
    return sum(scores) / len(scores), repeat * len(pages) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over each page set")
    args = parser.parse_args()
    for label, pages, repeat in (("Korean samples", korean_pages(), args.repeat * 5),
                                 ("Scrapinghub", scrapinghub_pages(), args.repeat)):
        if not pages:
            print(f"{label}: no pages found, skipped")
            continue
        ours_f1, ours_speed = run_pressflow(pages, repeat)
        theirs_f1, theirs_speed = run_trafilatura(pages, repeat)
        print(f"{label} ({len(pages)} pages)")
        print(f"  pressflow    body F1 {ours_f1:.3f}   {ours_speed:7.1f} pages/s")
        print(f"  trafilatura  body F1 {theirs_f1:.3f}   {theirs_speed:7.1f} pages/s")
        print(f"  F1 difference {ours_f1 - theirs_f1:+.3f}; pressflow takes {theirs_speed / ours_speed:.2f}x "
              f"trafilatura's time per page")


if __name__ == "__main__":
    main()
