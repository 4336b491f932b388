"""Every cue row of nlp/data/cues.tsv is justified by its example: with the row the analysis
of the example gives what the row expects, without it it does not. A row whose removal changes
nothing in its own example is one nobody can justify: give it a sentence where it decides, or
remove it (and see the snapshot stay the same)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

import pytest

from nlp.analyse import RECOGNISERS, resolve
from nlp.doc import doc_of
from nlp.gazetteer import load_gazetteer
from nlp.lexicon import CueRow, LexiconError, cues, parse_cues, using

ROWS = cues().rows


def facts(sentence: str) -> set[str]:
    """'kind:value' for everything the analysis of one sentence finds, with a fresh memo so the
    cue sets in force are the ones asked."""
    doc = doc_of(sentence, published=date(2025, 3, 3))
    gazetteer = replace(load_gazetteer(None), memo=defaultdict(dict))
    analysis = resolve(doc, [span for recognise in RECOGNISERS for span in recognise(doc, gazetteer)], gazetteer)
    found = set()
    for mention in analysis.mentions:
        if mention.kind == "goal":
            quantity = int(mention.quantity) if float(mention.quantity or 0).is_integer() else mention.quantity
            found.add(f"goal:{quantity} {mention.unit}")
        elif mention.kind == "date":
            found.add(f"date:{mention.date_start}..{mention.date_end}")
            found.add(f"date_text:{mention.text}")  # the span as written ('내년도', not '내년')
        elif mention.kind in {"agency", "program", "target_group"}:
            found.add(f"{mention.kind}:{mention.canonical or mention.text}")
    return found


def _holds(row: CueRow, found: set[str]) -> bool:
    sign, fact = row.expect[0], row.expect[1:]
    return (fact in found) == (sign == "+")


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.line}:{r.set}:{r.cue}")
def test_the_row_decides_its_example(kiwi, row):
    if not row.example:
        pytest.skip("no example yet (test_every_row_has_an_example names it)")
    assert row.expect, f"cues.tsv:{row.line}: an example needs an expectation ('+kind:value' or '-kind:value')"
    with_row = facts(row.example)
    assert _holds(row, with_row), f"cues.tsv:{row.line}: {row.expect} does not hold; the analysis found {with_row}"
    with using(cues().without(row)):
        without_row = facts(row.example)
    assert not _holds(row, without_row), (
        f"cues.tsv:{row.line}: removing {row.cue!r} from {row.set} changes nothing in its example")


def test_every_row_has_an_example():
    waiting = [f"cues.tsv:{row.line} {row.set} {row.cue}" for row in cues().rows if not row.example]
    assert not waiting, f"rows nobody has justified with a sentence: {waiting}"


def test_each_cue_is_listed_once_per_set():
    seen: dict[tuple[str, str], int] = {}
    for row in cues().rows:
        assert (row.set, row.cue) not in seen, f"cues.tsv:{row.line} repeats line {seen[(row.set, row.cue)]}"
        seen[(row.set, row.cue)] = row.line


def test_a_bad_row_is_named_by_its_line():
    with pytest.raises(LexiconError, match="cues.tsv:3: expect must read"):
        parse_cues("set\tcue\texample\texpect\ntarget.not_served\t홍보\n"
                   "target.not_served\t거주\t예문\t청년\n")
    with pytest.raises(LexiconError, match="no set 'target.nothing'"):
        cues()["target.nothing"]
