"""Article → Analysis: sentences and morphemes from Kiwi (one batched call per batch of
articles), then agencies, programmes, dates, target groups, goals and programme facts."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from itertools import chain

from extractors.model import Article
from nlp import agencies as agency_rules
from nlp import tagger
from nlp.dates import find_dates, infer_anchor_year
from nlp.gazetteer import Gazetteer, load_gazetteer
from nlp.goals import find_goals
from nlp.kiwi_runtime import Sentence, index_terms, sentences_of, title_terms
from nlp.model import Agency, Analysis, Mention, ProgramFact
from nlp.people import find_people
from nlp.phrases import TokenColumns, noun_runs, words_of
from nlp.programs import (
    ProgramHit,
    bare,
    known_programs,
    list_programs,
    merge_programs,
    phrase_programs,
    quoted_programs,
    same_program,
)
from nlp.targets import find_targets

_DIGIT = re.compile(r"\d")
_GLOSS_GAP = re.compile(r"\s*[’'」』\"”》〉]?\s*\(\s*")
# facts look this many sentences around a programme for its agencies, dates, targets, goals
_FACT_WINDOW = 1


def analyse_batch(articles: Sequence[Article], user_dictionary: str | None = None) -> list[Analysis]:
    """Analyse many articles with one Kiwi call for all their sentences."""
    gazetteer = load_gazetteer(user_dictionary)
    if not articles:
        return []
    split = sentences_of([article.body for article in articles], user_dictionary)
    titles = title_terms([article.title or "" for article in articles], user_dictionary)
    return [_analyse(article, sentences, gazetteer, title)
            for article, sentences, title in zip(articles, split, titles, strict=True)]


def _analyse(article: Article, sentences: list[Sentence], gazetteer: Gazetteer,
             title_index: Counter[str] | None = None) -> Analysis:
    body = article.body
    anchor = article.published_at.date() if article.published_at else None
    anchor_year = None if anchor else infer_anchor_year(body)
    mentions: list[Mention] = []
    agency_hits: list[tuple[agency_rules.AgencyHit, Sentence]] = []
    program_hits: list[tuple[ProgramHit, Sentence]] = []

    columns = [TokenColumns(sentence.tokens) for sentence in sentences]
    sentence_words = [words_of(body, tokens) for tokens in columns]
    for sentence, words in zip(sentences, sentence_words, strict=True):
        runs = noun_runs(words)
        hits = agency_rules.find_agency_hits(words, gazetteer, article.outlet, runs)
        quoted = quoted_programs(sentence.text, sentence.start, gazetteer) + known_programs(
            sentence.text, sentence.start, gazetteer)
        # a body named inside a quoted programme ('‘2022 지역축제 육성사업 선정심의회’') is part of its name
        hits = [hit for hit in hits if hit.entry is not None or not any(_within(hit, q) for q in quoted)]
        agency_hits.extend((hit, sentence) for hit in hits)
        found = list_programs(sentence.text, sentence.start) + phrase_programs(words, gazetteer, runs)
        found = [h for h in found if not any(_within(h, q) or _glosses(h, q, body) for q in quoted)]
        for hit in quoted + found:
            if not any(_within(hit, agency) for agency in hits):
                program_hits.append((hit, sentence))
        for person in find_people(words, runs, gazetteer):
            mentions.append(_mention("person", person.name, person.start, person.end, sentence,
                                     canonical=person.name, role=person.role))
        for target in find_targets(words, sentence.text, gazetteer, runs):
            mentions.append(_mention("target_group", body[target.start:target.end], target.start, target.end,
                                     sentence, canonical=target.name))
        for goal in find_goals(sentence.text) if _DIGIT.search(sentence.text) else ():  # goals need a number
            mentions.append(_mention("goal", sentence.text[goal.start_offset:goal.end_offset],
                                     sentence.start + goal.start_offset,
                                     sentence.start + goal.end_offset, sentence, quantity=goal.quantity,
                                     unit=goal.unit, object=goal.object))
    known = [hit for hit, _ in agency_hits]  # '시청' resolves against the bodies named anywhere
    for sentence, words in zip(sentences, sentence_words, strict=True):
        agency_hits.extend((hit, sentence) for hit in agency_rules.resolve_office_anaphora(words, known, gazetteer))

    for found in find_dates(body, anchor, anchor_year):
        sentence = _sentence_at(sentences, found.start_offset)
        mentions.append(_mention("date", found.text, found.start_offset, found.end_offset, sentence,
                                 date_start=found.start, date_end=found.end))

    agencies = _agencies(agency_hits)
    names = {hit.key: agency.name for agency in agencies for hit, _ in agency_hits
             if hit.key == agency.name or agency.name in (hit.surface, *agency.mentions)}
    for hit, sentence in agency_hits:
        mentions.append(_mention("agency", body[hit.start:hit.end], hit.start, hit.end, sentence,
                                 canonical=names.get(hit.key, hit.key)))
    programs = merge_programs([hit for hit, _ in program_hits])
    for hit, sentence in program_hits:
        canonical = next((name for name in programs if _same_program(name, hit.name)), hit.name)
        mentions.append(_mention("program", body[hit.start:hit.end], hit.start, hit.end, sentence,
                                 canonical=canonical))
    mentions.sort(key=lambda m: (m.start, m.kind))
    groups: dict[str, str] = {}  # one entry per group however it is spaced ('일선학교', '일선 학교')
    for mention in mentions:
        if mention.kind == "target_group":
            name = mention.canonical or mention.text
            groups.setdefault(name.replace(" ", ""), name)
    targets = tuple(groups.values())
    if tagged_fields := tagger.enabled_fields():  # the learned tagger: off unless PRESSFLOW_TAGGER names fields
        mentions, programs, targets = tagger.apply(tagged_fields, body, sentences, columns, mentions, programs,
                                                   targets, gazetteer)
    terms = Counter(title_index or {})
    terms.update(index_terms(chain.from_iterable(c.forms for c in columns),
                             chain.from_iterable(c.tags for c in columns)))
    return Analysis(
        mentions=tuple(mentions),
        agencies=tuple(agencies),
        programs=tuple(programs),
        target_groups=targets,
        facts=tuple(_facts(programs, mentions, agencies)),
        anchor_date=anchor or (date(anchor_year, 1, 1) if anchor_year else None),
        index_terms=tuple(sorted(terms.items())),
    )


def _mention(kind, text, start, end, sentence: Sentence | None, **fields) -> Mention:  # type: ignore[no-untyped-def]
    return Mention(kind=kind, text=text, start=start, end=end,
                   sentence_index=sentence.index if sentence else -1,
                   sentence=sentence.text if sentence else "", **fields)


def _sentence_at(sentences: list[Sentence], offset: int) -> Sentence | None:
    return next((s for s in sentences if s.start <= offset < s.end + 1), sentences[-1] if sentences else None)


def _within(inner: ProgramHit | agency_rules.AgencyHit, outer: ProgramHit | agency_rules.AgencyHit) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _glosses(hit: ProgramHit, quoted: ProgramHit, body: str) -> bool:
    """'‘황룡전통시장 활성화 프로젝트’(민관상생 투자협약사업)': the bracket says what kind of
    programme the quoted one is; it names no other."""
    return quoted.end <= hit.start and bool(_GLOSS_GAP.fullmatch(body[quoted.end:hit.start]))


def _same_program(a: str, b: str) -> bool:
    return same_program(bare(a), bare(b))


def _agencies(hits: list[tuple[agency_rules.AgencyHit, Sentence]]) -> list[Agency]:
    surfaces: dict[str, list[str]] = {}
    entries = {}
    acting = {hit.key for hit, _ in hits if not hit.venue}
    for hit, _ in hits:
        if hit.key not in acting:
            continue  # only ever the place where something happened
        surfaces.setdefault(hit.key, []).append(hit.surface)
        entries.setdefault(hit.key, hit.entry)
    agencies = []
    for key, forms in surfaces.items():
        entry = entries[key]
        name = agency_rules.display_name(key, entry, forms)
        others = tuple(dict.fromkeys(f for f in forms if f != name))
        level = entry.kind if entry else None
        region = entry.parent if entry and entry.parent else (key if entry and entry.kind == "광역" else None)
        agencies.append(Agency(name=name, mentions=others, level=level, region=region))
    return agencies


def _facts(programs: list[str], mentions: list[Mention], agencies: list[Agency]) -> list[ProgramFact]:
    """Tie each programme to what its own and the neighbouring sentences say about it."""
    facts = []
    regions = {a.name: a.region or (a.name if a.level in {"기초", "광역"} else None) for a in agencies}
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence_index, []).append(mention)
    for program in programs:
        spots = sorted({m.sentence_index for m in mentions if m.kind == "program" and m.canonical == program})
        if not spots:
            continue
        window = sorted({i for spot in spots for i in range(spot - _FACT_WINDOW, spot + _FACT_WINDOW + 1)})
        near = sorted((m for i in window for m in by_sentence.get(i, ())), key=lambda m: (m.start, m.kind))
        agency_names = tuple(dict.fromkeys(m.canonical or m.text for m in near if m.kind == "agency"))
        region = next((regions.get(name) for name in agency_names if regions.get(name)), None)
        dates = [m for m in near if m.kind == "date" and m.date_start]
        facts.append(ProgramFact(
            program=program,
            sentence_index=spots[0],
            agencies=agency_names,
            region=region,
            date_starts=tuple(m.date_start for m in dates if m.date_start),
            date_ends=tuple(m.date_end or m.date_start for m in dates if m.date_start),
            target_groups=tuple(dict.fromkeys(m.text for m in near if m.kind == "target_group")),
            goals=tuple(dict.fromkeys(m.text for m in near if m.kind == "goal")),
        ))
    return facts
