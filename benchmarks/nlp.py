"""Analysis benchmark: the full analysis against Kiwi tokenisation alone, on the same texts, in one run.

Texts: the bodies of the bundled sample pages and of ../shared/eval (seeds, dev, real_html) when
present, repeated to a few hundred articles; not ../shared/eval/corpus, whose sealed pool only the
scorer may read. Prints articles per second for each and their ratio
(the full analysis should keep at least 0.7 of Kiwi's speed).

Run: .venv/bin/python benchmarks/nlp.py [--copies N]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# this file is named like the `nlp` package it measures: keep its folder off the import path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from extractors import RawPage, extract  # noqa: E402
from nlp.analyse import analyse_batch  # noqa: E402
from nlp.kiwi_runtime import get_kiwi  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "pipelines" / "samples", ROOT.parent / "shared" / "eval"]


def articles():
    found = []
    for folder in SOURCES:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".txt", ".html"} and "corpus" not in path.relative_to(folder).parts:
                article = extract(RawPage(body=path.read_bytes(), source_path=str(path)))
                if article.is_article:
                    found.append(article)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=8, help="how many times the article set is repeated")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of each")
    args = parser.parse_args()
    batch = articles() * args.copies
    texts = [a.body for a in batch]
    kiwi = get_kiwi()
    analyse_batch(batch)  # warm up both: gazetteer, Kiwi's user words and worker threads
    list(kiwi.tokenize(texts))

    kiwi_seconds, full_seconds = [], []
    for _ in range(args.rounds):  # alternate, keep each one's best round: the machine is shared
        started = time.perf_counter()
        list(kiwi.tokenize(texts))
        kiwi_seconds.append(time.perf_counter() - started)
        started = time.perf_counter()
        analyse_batch(batch)
        full_seconds.append(time.perf_counter() - started)
    kiwi_speed, full_speed = len(texts) / min(kiwi_seconds), len(batch) / min(full_seconds)

    chars = sum(map(len, texts))
    print(f"{len(batch)} articles, {chars / len(batch):.0f} characters each on average")
    print(f"  Kiwi tokenisation alone  {kiwi_speed:7.1f} articles/s")
    print(f"  full analysis            {full_speed:7.1f} articles/s")
    print(f"  ratio full / Kiwi        {full_speed / kiwi_speed:.2f}")


if __name__ == "__main__":
    main()
