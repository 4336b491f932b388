"""Press-release clusters: which shingle size and threshold tell a reprint from another story.

Measured in one run on real pages (../shared/eval dev and the corpus's tuning pool, pages
01-16 of each batch, extracted as pressflow extracts them) and reprints made from them here: the same release with another outlet's lead,
byline, copyright line, photo caption, a paragraph cut and other punctuation. Pairs:
- reprints: each page with each of its two reprints, and the two reprints with each other;
- other stories: every two different pages; 'same agency' are those whose gold names a common
  agency (the hard case: two releases of one city hall share its boilerplate).

For each shingle size (characters of the normalised body) it prints the exact Jaccard of the
pairs (lowest reprint, highest other story) and, per threshold, reprint recall and the share of
other-story pairs wrongly joined; then, for the chosen size, the same through MinHash and LSH
as warehouse/stories.py runs them.

Last, the cost of clustering one batch of 40 articles against 1k, 10k and 100k stored ones (CPU
seconds, same run): the band index is looked up, never all pairs compared.

Run: .venv/bin/python benchmarks/story_clusters.py [--eval-root ../shared/eval] [--scale 1000,10000,100000]
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import time
from pathlib import Path

# benchmarks/nlp.py is named like the `nlp` package: keep this folder off the import path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from extractors import extract  # noqa: E402
from pipelines.inputs import read_file  # noqa: E402
from warehouse import stories  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

OUTLETS = ["한빛일보", "새누리신문", "동녘타임즈", "바른지역뉴스", "고을매일"]
REPORTERS = ["김도윤", "이서연", "박지호", "최민준", "정하은"]
LEADS = [
    "{title} 소식이 전해졌다. 관계 부서는 주민 누구나 쉽게 참여할 수 있도록 안내를 강화할 계획이라고 밝혔다.",
    "지역 주민의 관심이 높은 사업이 다시 추진된다. {title}와 관련해 담당 부서는 자세한 일정을 곧 공개하기로 했다.",
    "[{outlet}={reporter} 기자] {title}.",
]
REWORDS = [("밝혔다", "전했다"), ("했다", "하였다"), ("한다", "할 예정이다"), ("시는", "시에서는"), ("등을", "등의"),
           ("이번", "올해"), ("지원한다", "돕는다")]
BOILERPLATE = ["자세한 내용은 {agency} 누리집을 참고하거나 담당 부서로 문의하면 된다.",
               "한편 {agency}는 올해 주민이 체감할 수 있는 생활 밀착형 사업을 꾸준히 늘려 나가고 있다."]
CAPTIONS = ["▲ 지난해 열린 사업 설명회 모습. (사진={outlet} DB)", "사진은 관계자들이 기념촬영을 하는 모습. /{outlet} 제공"]
ENDINGS = ["{reporter} 기자 news{n}@{host}.co.kr", "<저작권자 © {outlet} 무단전재 및 재배포금지>",
           "관련기사\n· 지역 축제 준비 한창\n· 버스 노선 개편 안내"]


def pages(eval_root: Path) -> list[tuple[str, str, str, set[str]]]:
    """(name, title, body, gold agencies) of every page that extracts to an article."""
    found = []
    # the corpus's tuning pool only (pages 01-16): its sealed pool is for the scorer alone
    tuning = [p for p in eval_root.glob("corpus/*/*.txt") if p.stem[1:].isdigit() and int(p.stem[1:]) <= 16]
    for path in sorted([*eval_root.glob("dev/*.txt"), *tuning]):
        raws, _ = read_file(path)
        for raw in raws:
            try:
                article = extract(raw)
            except Exception:  # noqa: BLE001 - a page that fails extraction is simply not measured
                continue
            if article.page_kind != "article" or len(article.body) < 200:
                continue
            gold_path = path.with_suffix(".gold.json")
            gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
            agencies = {a["name"] for a in gold.get("agencies") or []}
            found.append((path.stem, article.title or "", article.body, agencies))
    return found


def reprint(body: str, title: str, rng: random.Random) -> str:
    """Another outlet's copy of the same release."""
    outlet, reporter = rng.choice(OUTLETS), rng.choice(REPORTERS)
    fill = {"title": title or "새 사업 추진", "outlet": outlet, "reporter": reporter, "n": rng.randint(1, 99),
            "host": "news" + str(rng.randint(1, 9))}
    paragraphs = [p for p in body.split("\n") if p.strip()]
    if len(paragraphs) > 3 and rng.random() < 0.5:
        paragraphs = paragraphs[:-1]  # the original byline or closing line
    if len(paragraphs) > 2 and rng.random() < 0.5:
        paragraphs = paragraphs[1:]  # its own lead instead of the agency's
    if len(paragraphs) > 4 and rng.random() < 0.5:
        del paragraphs[rng.randrange(1, len(paragraphs) - 1)]  # an editor's cut
    paragraphs.insert(0, rng.choice(LEADS).format(**fill))
    if rng.random() < 0.6:
        paragraphs.insert(0, rng.choice(CAPTIONS).format(**fill))
    paragraphs += [ending.format(**fill) for ending in rng.sample(ENDINGS, rng.randint(1, 3))]
    text = "\n\n".join(paragraphs)
    for old, new in REWORDS:  # a desk's own wording
        if rng.random() < 0.5:
            text = text.replace(old, new)
    if rng.random() < 0.5:
        text = text.replace("·", "ㆍ").replace("‘", "'").replace("’", "'").replace("“", '"').replace("”", '"')
    return text


def same_agency_release(body: str, agency: str) -> str:
    """A page as one agency's release through one outlet: its boilerplate and the outlet's chrome
    around it. Two of these around different bodies are the hard case: different stories, one
    voice."""
    fill = {"agency": agency, "outlet": OUTLETS[0], "reporter": REPORTERS[0], "n": 7, "host": "news1"}
    return "\n\n".join([CAPTIONS[1].format(**fill), body, *(b.format(**fill) for b in BOILERPLATE),
                         ENDINGS[0].format(**fill), ENDINGS[1].format(**fill)])


def rate(values: list[float], threshold: float) -> float:
    return sum(v >= threshold for v in values) / len(values) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-root", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--sizes", default="2,3,4,5,6,8")
    parser.add_argument("--scale", default="1000,10000,100000", help="stored articles to time a batch against")
    args = parser.parse_args()
    found = pages(args.eval_root)
    if len(found) < 10:
        raise SystemExit(f"{args.eval_root}: fewer than 10 pages to measure on")
    rng = random.Random(15)
    copies = {name: [reprint(body, title, rng) for _ in range(2)] for name, title, body, _ in found}
    # pairs of different pages of one batch, both dressed as releases of one agency by one outlet
    batches: dict[str, list[str]] = {}
    for name, *_ in found:
        batches.setdefault(name.rstrip("0123456789"), []).append(name)
    bodies = {name: body for name, _, body, _ in found}
    dressed = [(same_agency_release(bodies[a], "한빛시"), same_agency_release(bodies[b], "한빛시"))
               for names in batches.values() for a, b in itertools.combinations(names, 2)]
    thresholds = [0.2, 0.25, 0.3, 0.35, 0.4, 0.5]
    print(f"{len(found)} pages, {len(found) * 3} reprint pairs, {len(found) * (len(found) - 1) // 2} other-story pairs,"
          f" {len(dressed)} pairs of different releases in one agency's and outlet's boilerplate")
    print("size | reprints: min  p5  median | other: max  same-agency max  boilerplate max | reprints joined / "
          "others joined (incl. boilerplate pairs) at " + " ".join(f"{t:.2f}" for t in thresholds))
    for size in (int(s) for s in args.sizes.split(",")):
        sets = {name: stories.shingles(body, size) for name, _, body, _ in found}
        copy_sets = {name: [stories.shingles(c, size) for c in cs] for name, cs in copies.items()}
        positive = [v for name in sets for v in (stories.jaccard(sets[name], copy_sets[name][0]),
                                                 stories.jaccard(sets[name], copy_sets[name][1]),
                                                 stories.jaccard(*copy_sets[name]))]
        negative, same_agency = [], []
        for (a, _, _, ag_a), (b, _, _, ag_b) in itertools.combinations(found, 2):
            value = stories.jaccard(sets[a], sets[b])
            negative.append(value)
            if ag_a & ag_b:
                same_agency.append(value)
        boiler = [stories.jaccard(stories.shingles(a, size), stories.shingles(b, size)) for a, b in dressed]
        positive.sort()
        cells = " ".join(f"{rate(positive, t):.3f}/{rate(negative + boiler, t):.4f}" for t in thresholds)
        print(f"{size:4d} | {positive[0]:.3f} {positive[len(positive) // 20]:.3f} {statistics.median(positive):.3f}"
              f" | {max(negative):.3f} {max(same_agency, default=0):.3f} ({len(same_agency)} pairs) {max(boiler):.3f}"
              f" | {cells}")
    worst = sorted(((stories.jaccard(stories.shingles(b1), stories.shingles(b2)), n1, n2)
                    for (n1, _, b1, _), (n2, _, b2, _) in itertools.combinations(found, 2)), reverse=True)[:3]
    print("closest other-story pairs at the chosen size:", ", ".join(f"{a}~{b} {v:.3f}" for v, a, b in worst))
    # the chosen size and threshold through MinHash and LSH, as the loader runs them
    originals = {name: body for name, _, body, _ in found}
    for num_perm in (128, 256):
        lsh_figures(originals, copies, dressed, num_perm)
    batch = [(f"new-{i}", body, None) for i, body in enumerate(list(originals.values())[:40])]
    timings = {int(n): batch_seconds(int(n), batch) for n in args.scale.split(",") if n}
    first = next(iter(timings.values()))
    print("one batch of 40 against stored articles (CPU s): " + ", ".join(
        f"{n:,}: {t:.3f} ({t / first:.2f}x)" for n, t in timings.items()))


def batch_seconds(stored: int, batch: list[tuple[str, str, None]]) -> float:
    """CPU seconds to cluster `batch` in a database already holding `stored` articles (random
    signatures: unrelated stories, as most stored articles are to a new one)."""
    import tempfile

    import numpy as np
    import pandas as pd

    from warehouse import connect

    with tempfile.TemporaryDirectory() as folder:
        con = connect(Path(folder) / "scale.duckdb")
        rng = np.random.default_rng(stored)
        sigs = rng.integers(0, 2**32 - 1, size=(stored, stories.NUM_PERM), dtype=np.uint32)
        ids = [f"old-{i}" for i in range(stored)]
        con.register("old", pd.DataFrame({"article_id": ids}))
        con.execute("INSERT INTO articles (article_id, body, extractor_version, analyser_version, loaded_at) "
                    "SELECT article_id, '', 'x', 'x', now() FROM old")
        con.execute("INSERT INTO story_clusters (article_id, cluster_id) SELECT article_id, article_id FROM old")
        con.unregister("old")
        con.register("old_sigs", pd.DataFrame({"article_id": ids, "signature": [row.tobytes() for row in sigs]}))
        con.execute("INSERT INTO story_signatures SELECT article_id, ?, '', signature FROM old_sigs", [stories.METHOD])
        con.unregister("old_sigs")
        keys = [(key, article_id) for article_id, row in zip(ids, sigs, strict=True) for key in stories.band_keys(row)]
        con.register("old_bands", pd.DataFrame(keys, columns=["band_key", "article_id"]))
        con.execute("INSERT INTO story_bands SELECT band_key, article_id FROM old_bands")
        con.unregister("old_bands")
        con.register("new", pd.DataFrame({"article_id": [a for a, _, _ in batch], "body": [b for _, b, _ in batch]}))
        con.execute("INSERT INTO articles (article_id, body, extractor_version, analyser_version, loaded_at) "
                    "SELECT article_id, body, 'x', 'x', now() FROM new")
        con.unregister("new")
        stories.signature(batch[0][1])  # datasketch's first call builds its permutations: not the batch's cost
        started = time.process_time()
        stories.assign(con, "run-scale", batch)
        spent = time.process_time() - started
        con.close()
    return spent


def lsh_figures(originals: dict[str, str], copies: dict[str, list[str]], dressed: list[tuple[str, str]],
                num_perm: int) -> None:
    """Reprints found and other stories joined when candidates come from the LSH bands and the
    estimated similarity decides, as warehouse/stories.py does."""
    def sketch(body: str) -> tuple:  # type: ignore[type-arg]
        sig = stories.signature(body, num_perm=num_perm)
        return sig, set(stories.band_keys(sig))

    sigs = {name: sketch(body) for name, body in originals.items()}
    copy_sigs = {name: [sketch(c) for c in cs] for name, cs in copies.items()}
    pairs_pos = [(sigs[n], copy_sigs[n][i]) for n in sigs for i in (0, 1)] + [tuple(copy_sigs[n]) for n in sigs]
    pairs_neg = [(sigs[a], sigs[b]) for a, b in itertools.combinations(sigs, 2)]
    pairs_neg += [(sketch(a), sketch(b)) for a, b in dressed]
    candidates = [bool(a[1] & b[1]) for a, b in pairs_pos]
    joined = [c and stories.estimated_similarity(a[0], b[0]) >= stories.THRESHOLD
              for c, (a, b) in zip(candidates, pairs_pos, strict=True)]
    false_candidates = sum(bool(a[1] & b[1]) for a, b in pairs_neg)
    false_joined = sum(bool(a[1] & b[1]) and stories.estimated_similarity(a[0], b[0]) >= stories.THRESHOLD
                       for a, b in pairs_neg)
    b, r = stories.bands(stories.THRESHOLD, num_perm)
    print(f"MinHash {num_perm} perms, LSH {b} bands x {r} rows, threshold {stories.THRESHOLD}: reprints candidates "
          f"{sum(candidates) / len(pairs_pos):.3f}, joined {sum(joined) / len(pairs_pos):.3f}; other stories "
          f"candidates {false_candidates / len(pairs_neg):.4f}, joined {false_joined}/{len(pairs_neg)}")


if __name__ == "__main__":
    main()
