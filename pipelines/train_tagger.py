"""Train and evaluate the CRF tagger of nlp/tagger.py from hand-made gold pages.

Labels come from projecting each gold name onto the extracted body (every occurrence, spaces
ignored); features from Kiwi's tokens and the rule system's own mentions. Two commands:

    python -m pipelines.train_tagger evaluate [--eval-root ../shared/eval]
        leave-one-batch-out on the corpus tuning pool (pages 01-16 of W, Y, R, E, S): train on
        four batches (plus dev and seeds), test on the fifth, and print set F1 per field for
        the rules alone, the model alone, their union and the rules filtered by the model.
    python -m pipelines.train_tagger train [--eval-root ../shared/eval] [--out nlp/data]
        train the shipped models on the tuning pool, dev and seeds.

The corpus pages 17-20 of each batch are the sealed pool: never read here.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractors import RawPage, extract
from extractors.model import Article
from nlp import tagger as crf
from nlp.analyse import analyse_batch
from nlp.gazetteer import load_gazetteer
from nlp.kiwi_runtime import sentences_of
from nlp.model import Analysis

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EVAL_ROOT = ROOT.parent / "shared" / "eval"
BATCHES = ("W", "Y", "R", "E", "S")
TUNING = range(1, 17)  # pages 01-16; 17-20 are sealed
ARMS = ("rules", "model", "union", "filter")
DIAGNOSTIC_ARMS = ("union>=0.6", "union>=0.7", "union>=0.8", "model>=0.7")
_TUNING_NAME = re.compile(r"^([WYRES])(\d\d)\.txt$")


@dataclass
class Page:
    """One gold page, extracted and analysed by the rules, with its tokens, features and labels."""

    id: str
    group: str  # batch letter, or 'dev' / 'seeds'
    gold: dict
    body: str = ""
    analysis: Analysis | None = None
    sentences: list[list[crf.TokenView]] = field(default_factory=list)
    features: list[list[dict[str, str]]] = field(default_factory=list)
    labels: dict[str, list[list[str]]] = field(default_factory=dict)  # per field, per sentence


# --- pages -----------------------------------------------------------------------------------

def tuning_files(eval_root: Path) -> list[tuple[str, Path]]:
    """(batch, page) for the corpus tuning pool only: the file name must say 01-16."""
    found = []
    for batch in BATCHES:
        for path in sorted((eval_root / "corpus" / batch).glob("*.txt")):
            match = _TUNING_NAME.match(path.name)
            if match and match[1] == batch and int(match[2]) in TUNING:
                found.append((batch, path))
    return found


def training_files(eval_root: Path) -> list[tuple[str, Path]]:
    extra = [(name, path) for name in ("dev", "seeds") for path in sorted((eval_root / name).glob("*.txt"))]
    return tuning_files(eval_root) + extra


def bare_index(text: str) -> tuple[str, list[int]]:
    """The text without whitespace and where each of its characters sits in the text."""
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


def project(body: str, names: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence of every name in the body, spaces and quote marks ignored."""
    squeezed, where = bare_index(body)
    spans = []
    for name in set(names):
        key = "".join(ch for ch in name if not ch.isspace() and ch not in crf._QUOTE_MARKS)
        if not key:
            continue
        start = squeezed.find(key)
        while start >= 0:
            spans.append((where[start], where[start + len(key) - 1] + 1))
            start = squeezed.find(key, start + 1)
    return spans


def gold_names(gold: dict, field_name: str) -> list[str]:
    return [item.get("name") if isinstance(item, dict) else item for item in gold.get(field_name) or []]


def rule_spans(analysis: Analysis) -> list[tuple[str, int, int]]:
    return [(m.kind, m.start, m.end) for m in analysis.mentions if m.kind in crf.RULE_KINDS]


def load_pages(files: Sequence[tuple[str, Path]]) -> list[Page]:
    """Extract, analyse (rules) and featurise every page; labels from its gold."""
    items = []
    for group, path in files:
        gold = json.loads(path.with_name(path.stem + ".gold.json").read_text(encoding="utf-8"))
        article = extract(RawPage(body=path.read_bytes(), source_path=str(path)))
        items.append((Page(id=path.stem, group=group, gold=gold), article))
    return featurise(items)


def featurise(items: Sequence[tuple[Page, Article]]) -> list[Page]:
    """Analyse the articles with the rules (one batch), then give each page its tokens,
    features and gold labels. A page that is no article keeps no sentences."""
    targets, agencies = crf.gazetteer_sets(load_gazetteer(None))
    articles = [(page, article) for page, article in items if article.is_article]
    analyses = analyse_batch([a for _, a in articles])
    split = sentences_of([a.body for _, a in articles]) if articles else iter(())
    for (page, article), analysis, sentences in zip(articles, analyses, split, strict=True):
        page.body, page.analysis = article.body, analysis
        spans = rule_spans(analysis)
        gold_spans = {f: project(article.body, gold_names(page.gold, f)) for f in crf.FIELDS}
        page.labels = {f: [] for f in crf.FIELDS}
        for sentence in sentences:
            tokens = crf.tokens_of(sentence.tokens)
            page.sentences.append(tokens)
            page.features.append(crf.sentence_features(tokens, spans, targets, agencies))
            for f in crf.FIELDS:
                page.labels[f].append(crf.bio_labels(tokens, gold_spans[f]))
    return [page for page, _ in items]


# --- training and prediction -------------------------------------------------------------------

def train(pages: Iterable[Page], field_name: str, out: Path, c1: float = 0.05, c2: float = 0.05,
          iterations: int = 150) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for page in pages:
        for features, labels in zip(page.features, page.labels.get(field_name, []), strict=True):
            if features:
                trainer.append(features, labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(out))
    return out


def predict(page: Page, field_name: str, model: Path) -> dict[str, list[str]]:
    """The page's names for the field under every arm."""
    if page.analysis is None:
        return {arm: [] for arm in ARMS + DIAGNOSTIC_ARMS}
    tagger = crf.load_tagger(str(model))
    tagged = [crf.tag_sentence(tagger, features) if features else ([], [])
              for features in page.features]
    kind = crf.FIELDS[field_name]
    rule_names = page.analysis.programs if kind == "program" else page.analysis.target_groups
    return {arm: crf.names_for(arm, kind, rule_names, page.analysis.mentions, page.body, page.sentences, tagged)
            for arm in ARMS + DIAGNOSTIC_ARMS}


# --- scoring (the scorer's own functions, read from the eval folder) ----------------------------

def scorer(eval_root: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("score_records", eval_root / "score_records.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def evaluate(eval_root: Path, fields: Sequence[str], out: Path | None = None, arms: Sequence[str] = ARMS,
             **params: float) -> dict:
    score = scorer(eval_root)
    pages = load_pages(training_files(eval_root))
    results: dict = {f: {arm: [] for arm in arms} for f in fields}
    per_batch: dict = {f: {b: {arm: [] for arm in arms} for b in BATCHES} for f in fields}
    dumps: list[dict] = []  # every page's names under every arm, written with --out
    with tempfile.TemporaryDirectory() as scratch:
        for held_out in BATCHES:
            train_pages = [p for p in pages if p.group != held_out]
            test_pages = [p for p in pages if p.group == held_out]
            for f in fields:
                started = time.perf_counter()
                model = train(train_pages, f, Path(scratch) / f"{held_out}-{f}.crfsuite", **params)
                for page in test_pages:
                    names = predict(page, f, model)
                    gold = gold_names(page.gold, f)
                    if out:
                        dumps.append({"page": page.id, "field": f, "gold": gold, **names})
                    for arm in arms:
                        prf = score.set_prf(names[arm], gold, score.name_strength)
                        results[f][arm].append(prf)
                        per_batch[f][held_out][arm].append(prf)
                print(f"  fold {held_out} {f}: trained and tested in {time.perf_counter() - started:.0f}s",
                      file=sys.stderr)
    table = {f: {arm: _mean_prf(results[f][arm]) for arm in arms} for f in fields}
    batches = {f: {b: {arm: _mean_prf(per_batch[f][b][arm]) for arm in arms} for b in BATCHES} for f in fields}
    report = {"arms": list(arms), "params": params, "pooled": table, "per_batch": batches,
              "pages": len(results[fields[0]]["rules"])}
    if out:
        out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        out.with_suffix(".names.jsonl").write_text(
            "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dumps), encoding="utf-8")
    return report


def _mean_prf(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    n = len(scores) or 1
    return tuple(sum(s[k] for s in scores) / n for k in range(3))  # type: ignore[return-value]


def print_report(report: dict) -> None:
    arms = report["arms"]
    print(f"leave-one-batch-out, {report['pages']} tuning pages; set F1 (precision / recall) {report['params']}")
    for f, arms in report["pooled"].items():
        print(f"\n{f}")
        print(f"  {'batch':<6}" + "".join(f"{arm:>20}" for arm in arms))
        rows = [*report["per_batch"][f].items(), ("all", arms)]
        for name, row in rows:
            print(f"  {name:<6}" + "".join(f"{row[a][2]:>6.3f} ({row[a][0]:.2f}/{row[a][1]:.2f})" for a in arms))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("evaluate", "train"))
    parser.add_argument("--eval-root", type=Path, default=DEFAULT_EVAL_ROOT)
    parser.add_argument("--fields", default=",".join(crf.FIELDS))
    parser.add_argument("--diagnostics", action="store_true", help="evaluate: also union/model above a confidence")
    parser.add_argument("--c1", type=float, default=0.05, help="L1 penalty")
    parser.add_argument("--c2", type=float, default=0.05, help="L2 penalty")
    parser.add_argument("--out", type=Path, default=ROOT / "nlp" / "data",
                        help="train: folder for the model files; evaluate: JSON file for the numbers")
    args = parser.parse_args(argv)
    fields = [f for f in args.fields.split(",") if f in crf.FIELDS]
    if args.command == "evaluate":
        arms = ARMS + DIAGNOSTIC_ARMS if args.diagnostics else ARMS
        print_report(evaluate(args.eval_root, fields, args.out if args.out.suffix == ".json" else None, arms,
                              c1=args.c1, c2=args.c2))
        return 0
    pages = load_pages(training_files(args.eval_root))
    for f in fields:
        path = train(pages, f, args.out / f"tagger-{f}.crfsuite", c1=args.c1, c2=args.c2)
        print(f"{f}: {path} ({path.stat().st_size // 1024} KiB) from {len(pages)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
