"""A learned sequence tagger (a linear-chain CRF over Kiwi tokens, BIO labels) for the fields
where hand-written rules stop generalising: programme names and target groups.

The tagger reads what the rules already found: every token carries, as features, whether it
lies inside a rule-found programme, target group or agency mention (B/I/O), next to its form,
tag, affixes, neighbours, spacing and whether it sits inside a quotation. One model per field,
so a target inside a programme's name ('청년 일자리 사업' holds '청년') is labelled in both.

Training lives in pipelines/train_tagger.py; this module holds only what inference needs:
features, the model files (nlp/data/tagger-<field>.crfsuite, loaded once per process) and
turning BIO labels back into spans of the body. It is off unless PRESSFLOW_TAGGER names the
fields to apply (e.g. PRESSFLOW_TAGGER=programs), see `enabled_fields`.
"""
from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

# field name in records → the mention kind the rules use for it (one model, B/I/O, per field)
FIELDS = {"programs": "program", "target_groups": "target_group"}
RULE_KINDS = ("program", "target_group", "agency")
RULE_NAME = "tagger.crf"  # what a mention the tagger found says about where it came from
# how the tagger's say combines with the rules' per field once switched on (see names_for);
# chosen from the leave-one-batch-out table in pipelines/train_tagger.py
SHIPPED_ARMS = {"programs": "union", "target_groups": "union"}
SWITCH = "PRESSFLOW_TAGGER"

_OPENING = set("‘「『《〈“«")
_CLOSING = set("’」』》〉”»")
_TOGGLING = {"'", '"', "`", "＂", "＇"}
_QUOTE_MARKS = _OPENING | _CLOSING | _TOGGLING
# a name never runs over a line break or a list bullet: a span that does joins two items
_BREAKS = re.compile("[\n△▲■◆●○▷▶☞※]")
_lock = threading.Lock()


@dataclass(frozen=True)
class Span:
    """A stretch of the body the tagger labelled: [start, end) and the mean probability the
    model gave its labels (how sure it is)."""

    kind: str  # mention kind: 'program' or 'target_group'
    start: int
    end: int
    text: str
    confidence: float


class TokenView(NamedTuple):
    """What the features read from a token: its form, tag and offsets into the body (a tuple:
    tens of thousands are made per batch)."""

    form: str
    tag: str
    start: int
    end: int


def tokens_of(tokens: Iterable) -> list[TokenView]:  # type: ignore[type-arg]
    """Kiwi tokens (or anything with form, tag, start, end) as TokenViews, read once."""
    return [TokenView(t.form, t.tag, t.start, t.end) for t in tokens]


# --- features -----------------------------------------------------------------------------

def _quote_depths(tokens: Sequence[TokenView]) -> list[int]:
    """For each token: 1 when it lies inside a quotation (the marks themselves excluded)."""
    depth, toggled, inside = 0, False, []
    for token in tokens:
        form = token.form
        if form in _OPENING:
            inside.append(0)
            depth += 1
        elif form in _CLOSING:
            inside.append(0)
            depth = max(0, depth - 1)
        elif form in _TOGGLING:
            inside.append(0)
            toggled = not toggled
        else:
            inside.append(1 if depth > 0 or toggled else 0)
    return inside


def _rule_labels(tokens: Sequence[TokenView], spans: Iterable[tuple[str, int, int]]) -> dict[str, list[str]]:
    """BIO of the rule mentions, per kind: 'B' on a mention's first token, 'I' on the rest."""
    labels = {kind: ["O"] * len(tokens) for kind in RULE_KINDS}
    if not tokens:
        return labels
    first_start, last_end = tokens[0].start, tokens[-1].end
    for kind, start, end in spans:
        column = labels.get(kind)
        if column is None or end <= first_start or start >= last_end:
            continue  # another sentence's mention
        first = True
        for i, token in enumerate(tokens):
            if token.start >= start and token.end <= end and token.end > token.start:
                column[i] = "B" if first else ("I" if column[i] == "O" else column[i])
                first = False
    return labels


_OWN_FEATURES: dict[tuple[str, str, bool, bool], tuple[str, ...]] = {}  # a token's own features, by form and tag


def _own_features(form: str, tag: str, known_target: bool, known_agency: bool) -> tuple[str, ...]:
    own = ["b", f"w={form}", f"t={tag}", f"p2={form[:2]}", f"s1={form[-1:]}", f"s2={form[-2:]}"]
    if known_target:
        own.append("gt")
    if known_agency:
        own.append("ga")
    return tuple(own)


def sentence_features(tokens: Sequence[TokenView], rule_spans: Iterable[tuple[str, int, int]] = (),
                      gazetteer_targets: frozenset[str] | set[str] = frozenset(),
                      gazetteer_agencies: frozenset[str] | set[str] = frozenset()) -> list[list[str]]:
    """The features of each token, as 'name=value' strings (each weighs 1). rule_spans:
    (mention kind, start, end) the rules found (other sentences' are ignored); the gazetteer
    sets: names it knows (membership of a token's form)."""
    n = len(tokens)
    if not n:
        return []
    rules = _rule_labels(tokens, rule_spans)
    rp, rt, ra = rules["program"], rules["target_group"], rules["agency"]
    forms = [t.form for t in tokens]
    tags = [t.tag for t in tokens]
    own = []
    for form, tag in zip(forms, tags, strict=True):
        key = (form, tag, form in gazetteer_targets, form in gazetteer_agencies)
        found = _OWN_FEATURES.get(key)
        if found is None:
            if len(_OWN_FEATURES) > 200_000:
                _OWN_FEATURES.clear()
            found = _OWN_FEATURES[key] = _own_features(*key)
        own.append(found)
    spaced = ["1", *("1" if tokens[i].start > tokens[i - 1].end else "0" for i in range(1, n))]
    padded_tags = ["BOS", "BOS", *tags, "EOS", "EOS"]  # tag of token i + d is padded_tags[i + 2 + d]
    # the features made of one token's neighbours, column by column (this runs on every sentence)
    columns = [
        [f"sp={x}" for x in spaced], [f"q={x}" for x in _quote_depths(tokens)],
        [f"rp={x}" for x in rp], [f"rt={x}" for x in rt], [f"ra={x}" for x in ra],
        [f"t-1={x}" for x in padded_tags[1:n + 1]], [f"t1={x}" for x in padded_tags[3:n + 3]],
        ["w-1=BOS", *(f"w-1={x}" for x in forms[:n - 1])], [*(f"w1={x}" for x in forms[1:]), "w1=EOS"],
    ]
    return [[*o, *rest] for o, *rest in zip(own, *columns, strict=True)]


# --- labels ----------------------------------------------------------------------------------

def bio_labels(tokens: Sequence[TokenView], spans: Iterable[tuple[int, int]]) -> list[str]:
    """BIO labels of tokens for gold spans [start, end): a token is in a span when most of it
    is; longer spans win where two overlap."""
    labels = ["O"] * len(tokens)
    for start, end in sorted(spans, key=lambda s: s[0] - s[1]):
        inside = [i for i, t in enumerate(tokens)
                  if t.end > t.start and min(t.end, end) - max(t.start, start) > (t.end - t.start) / 2]
        if not inside or any(labels[i] != "O" for i in inside):
            continue
        for k, i in enumerate(inside):
            labels[i] = "B" if k == 0 else "I"
    return labels


def spans_of(tokens: Sequence[TokenView], labels: Sequence[str], body: str, kind: str,
             probabilities: Sequence[float] | None = None) -> list[Span]:
    """Spans of the body the labels mark (B, then I…); quote marks at their edges dropped, and
    no span that runs over a line break or a list bullet."""
    spans: list[Span] = []
    run: list[int] = []

    def close() -> None:
        if not run:
            return
        start, end = tokens[run[0]].start, tokens[run[-1]].end
        while start < end and (body[start] in _QUOTE_MARKS or body[start].isspace()):
            start += 1
        while end > start and (body[end - 1] in _QUOTE_MARKS or body[end - 1].isspace()):
            end -= 1
        if end > start and not _BREAKS.search(body, start, end):
            confidence = (sum(probabilities[i] for i in run) / len(run)) if probabilities else 1.0
            spans.append(Span(kind, start, end, body[start:end], confidence))
        run.clear()

    for i, label in enumerate(labels):
        if label == "B" or (label == "I" and not run):
            close()
            run.append(i)
        elif label == "I":
            run.append(i)
        else:
            close()
    close()
    return spans


# --- models ----------------------------------------------------------------------------------

def model_path(field: str) -> Path:
    return Path(str(files("nlp") / "data" / f"tagger-{field}.crfsuite"))


def enabled_fields() -> tuple[str, ...]:
    """The fields PRESSFLOW_TAGGER switches on ('programs', 'programs,target_groups', 'all');
    none when unset or '0', and only those with a model file."""
    return _fields_for(os.environ.get(SWITCH, "").strip())


@lru_cache(maxsize=8)
def _fields_for(value: str) -> tuple[str, ...]:
    if not value or value in {"0", "off", "no", "false"}:
        return ()
    wanted = FIELDS if value in {"1", "all", "on", "yes", "true"} else [v.strip() for v in value.split(",")]
    return tuple(f for f in wanted if f in FIELDS and model_path(f).exists())


@lru_cache(maxsize=8)
def load_tagger(path: str):  # type: ignore[no-untyped-def]
    """One pycrfsuite Tagger per model file and process."""
    import pycrfsuite  # only needed when the tagger is on

    with _lock:
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        return tagger


def item_sequence(features: list[list[str]]):  # type: ignore[no-untyped-def]
    """A sentence's features converted for crfsuite once, to tag it with several models."""
    import pycrfsuite

    return pycrfsuite.ItemSequence(features)


def tag_sentence(tagger, features, marginals: bool = True) -> tuple[list[str], list[float]]:  # type: ignore[no-untyped-def]
    """Labels of one sentence (its features, or their item_sequence) and, per token, the
    probability that it lies inside a name (1 - P(O)) from the model's marginals; without
    marginals, 1.0 inside the labelled names and 0.0 elsewhere."""
    if not len(features):
        return [], []
    with _lock:  # a Tagger holds the sentence it tagged last: one at a time
        tagger.set(features)
        labels = tagger.tag()
        if marginals:
            return labels, [1.0 - tagger.marginal("O", i) for i in range(len(labels))]
    return labels, [0.0 if label == "O" else 1.0 for label in labels]


# --- from labels to a record's names -----------------------------------------------------------

def gazetteer_sets(gazetteer) -> tuple[frozenset[str], frozenset[str]]:  # type: ignore[no-untyped-def]
    """Target-group and agency names the gazetteer knows, for the membership features."""
    return frozenset(gazetteer.target_groups), frozenset(gazetteer.agencies)


_NOT_IN_BARE = re.compile("[\\s" + re.escape("".join(sorted(_QUOTE_MARKS))) + "]")


def _bare(name: str) -> str:
    return _NOT_IN_BARE.sub("", name)


def _contained(a: str, b: str) -> bool:
    shorter, longer = sorted((_bare(a), _bare(b)), key=len)
    return bool(shorter) and shorter in longer and len(shorter) >= 0.6 * len(longer)


def model_spans(kind: str, body: str, sentences: Sequence[Sequence[TokenView]],
                tagged: Sequence[tuple[list[str], list[float]]]) -> list[Span]:
    spans: list[Span] = []
    for tokens, (labels, inside) in zip(sentences, tagged, strict=True):
        spans.extend(spans_of(tokens, labels, body, kind, inside))
    return spans


def _merge(kind: str, spans: Sequence[Span]) -> list[str]:
    """One name per thing the spans name: programmes grouped by the rules' own spelling
    groups, target groups by their spelling without spaces."""
    if kind == "program":
        from nlp.programs import ProgramHit, merge_programs

        return merge_programs([ProgramHit(s.text, s.start, s.end, False) for s in spans])
    names: dict[str, str] = {}
    for span in spans:
        names.setdefault(_bare(span.text), span.text)
    return list(names.values())


def _support(start: int, end: int, sentences: Sequence[Sequence[TokenView]],
             tagged: Sequence[tuple[list[str], list[float]]]) -> float:
    """How sure the model is that the body's [start, end) lies inside a name: the mean over
    its tokens of 1 - P(O)."""
    values = [inside[i] for tokens, (_, inside) in zip(sentences, tagged, strict=True)
              if tokens and tokens[0].start < end and tokens[-1].end > start
              for i, t in enumerate(tokens) if t.start >= start and t.end <= end and i < len(inside)]
    return sum(values) / len(values) if values else 0.0


def names_for(arm: str, kind: str, rule_names: Sequence[str], rule_mentions: Iterable, body: str,  # type: ignore[type-arg]
              sentences: Sequence[Sequence[TokenView]], tagged: Sequence[tuple[list[str], list[float]]],
              threshold: float = 0.5) -> list[str]:
    """A record's names for one field (mention kind) under one arm:
    rules   what the rules found (rule_names; rule_mentions are the rules' mentions);
    model   what the tagger labels;
    union   the rules' names and the tagger's names that match none of them;
    filter  the rules propose, the model decides: a rule name stays when the model puts one
            of its mentions inside a name (support >= threshold)."""
    rules = list(rule_names)
    if arm == "rules":
        return rules
    arm, _, floor = arm.partition(">=")  # 'union>=0.7': only the tagger's spans it is this sure of
    if arm in {"model", "union"}:
        spans = [s for s in model_spans(kind, body, sentences, tagged) if s.confidence >= float(floor or 0)]
        found = _merge(kind, spans)
        if arm == "model":
            return found
        return rules + [name for name in found if not any(_contained(name, rule) for rule in rules)]
    if arm == "filter":
        support: dict[str, float] = {}
        for m in rule_mentions:
            if m.kind == kind:
                name = m.canonical or m.text
                support[name] = max(support.get(name, 0.0), _support(m.start, m.end, sentences, tagged))
        return [name for name in rules if support.get(name, 0.0) >= threshold]
    raise ValueError(f"unknown arm {arm!r}")


# --- inside the analysis ---------------------------------------------------------------------

def apply(fields: Sequence[str], body: str, sentences: Sequence, columns: Sequence, mentions: list,  # type: ignore[type-arg]
          programs: list[str], targets: tuple[str, ...], gazetteer) -> tuple[list, list[str], tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """The analysis's mentions, programmes and target groups with the tagger's say on the
    given fields (each under its SHIPPED_ARMS arm). sentences: Kiwi's sentences of the body;
    columns: their tokens read once (nlp.phrases.TokenColumns)."""
    from nlp.model import Mention

    views = [list(map(TokenView, c.forms, c.tags, c.starts, c.ends)) for c in columns]
    targets_known, agencies_known = gazetteer_sets(gazetteer)
    spans = [(m.kind, m.start, m.end) for m in mentions if m.kind in RULE_KINDS]
    features = [item_sequence(sentence_features(tokens, spans, targets_known, agencies_known)) for tokens in views]
    extra = {"rule": RULE_NAME} if "rule" in getattr(Mention, "__dataclass_fields__", {}) else {}
    names = {"programs": list(programs), "target_groups": list(targets)}
    for field in fields:
        kind, arm = FIELDS[field], SHIPPED_ARMS.get(field, "rules")
        tagger = load_tagger(str(model_path(field)))
        # marginals only where the arm weighs the model's confidence
        tagged = [tag_sentence(tagger, f, marginals=arm != "union" and arm != "model") for f in features]
        rule_names = names[field]
        chosen = names_for(arm, kind, rule_names, mentions, body, views, tagged)
        kept = set(chosen)
        mentions = [m for m in mentions if m.kind != kind or (m.canonical or m.text) in kept]
        new = [name for name in chosen if name not in rule_names]
        for span in model_spans(kind, body, views, tagged) if new else ():
            name = next((n for n in new if _bare(n) == _bare(span.text)), None) or next(
                (n for n in new if _contained(n, span.text)), None)
            if name is None:
                continue
            index = next((i for i, s in enumerate(sentences) if s.start <= span.start < s.end + 1), -1)
            mentions.append(Mention(kind=kind, text=span.text, start=span.start, end=span.end, sentence_index=index,
                                    sentence=sentences[index].text if index >= 0 else "", canonical=name, **extra))
        names[field] = chosen
    mentions.sort(key=lambda m: (m.start, m.kind))
    return mentions, names["programs"], tuple(names["target_groups"])
