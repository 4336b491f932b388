"""Article → Analysis: a `Doc` per article (sentences and morphemes from one batched Kiwi call),
the recognisers, each reading the Doc and returning spans with the rule that found them, and one
resolve step that links the spans: bodies named inside programme names, '시청' for the city the
article names, canonical names, spellings of one programme, target groups, programme facts."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from itertools import chain

from extractors.model import Article
from nlp import agencies, dates, goals, people, programs, tagger, targets
from nlp.doc import Doc, DocSentence, build_doc
from nlp.gazetteer import Entry, Gazetteer, load_gazetteer
from nlp.kiwi_runtime import Sentence, index_terms, sentences_of, title_terms
from nlp.model import Agency, Analysis, Mention, ProgramFact, Span
from nlp.programs import bare, merge_programs, same_program, within

Recogniser = Callable[[Doc, Gazetteer], list[Span]]
# every recogniser has the same signature; the resolve step below is the only place they meet
RECOGNISERS: tuple[Recogniser, ...] = (agencies.recognise, programs.recognise, people.recognise,
                                       targets.recognise, goals.recognise, dates.recognise)
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
    doc = build_doc(article, sentences)
    spans = [span for recognise in RECOGNISERS for span in recognise(doc, gazetteer)]
    return resolve(doc, spans, gazetteer, title_index)


def resolve(doc: Doc, spans: list[Span], gazetteer: Gazetteer, title_index: Counter[str] | None = None) -> Analysis:
    """Link the recognisers' spans into one analysis."""
    by_kind: dict[str, list[Span]] = {}
    for span in spans:
        by_kind.setdefault(span.kind, []).append(span)
    sentences = {sentence.index: sentence for sentence in doc.sentences}
    quoted = [s for s in by_kind.get("program", [])  # names written as names: quoted, known, ordinances
              if s.found.quoted or s.rule == "program.ordinance"]  # type: ignore[attr-defined]
    # a body named inside a quoted programme ('‘2022 지역축제 육성사업 선정심의회’') is part of its name
    agency_spans = [s for s in by_kind.get("agency", []) if s.found.entry is not None  # type: ignore[attr-defined]
                    or not any(q.sentence_index == s.sentence_index and within(s, q) for q in quoted)]
    program_spans = [s for s in by_kind.get("program", [])
                     if not any(a.sentence_index == s.sentence_index and within(s, a) for a in agency_spans)]
    known = [s.found for s in agency_spans]  # '시청' resolves against the bodies named anywhere
    agency_spans += [Span("agency", hit.start, hit.end, sentence.index, hit.rule, canonical=hit.key, found=hit)
                     for sentence in doc.sentences
                     for hit in agencies.resolve_office_anaphora(sentence.words, known, gazetteer)]

    mentions = [_mention(doc, sentences, span) for kind in ("person", "target_group", "goal", "date")
                for span in by_kind.get(kind, [])]
    named = _agencies(agency_spans, gazetteer)
    names = {span.found.key: agency.name for agency in named for span in agency_spans  # type: ignore[attr-defined]
             if span.found.key == agency.name  # type: ignore[attr-defined]
             or agency.name in (span.found.surface, *agency.mentions)}  # type: ignore[attr-defined]
    mentions += [_mention(doc, sentences, span, canonical=names.get(span.canonical or "", span.canonical))
                 for span in agency_spans]
    programme_names = merge_programs([span.found for span in program_spans])  # type: ignore[misc]
    mentions += [_mention(doc, sentences, span, canonical=next(
        (name for name in programme_names if _same_program(name, span.canonical or "")), span.canonical))
        for span in program_spans]
    mentions.sort(key=lambda m: (m.start, m.kind))
    groups: dict[str, str] = {}  # one entry per group however it is spaced ('일선학교', '일선 학교')
    for mention in mentions:
        if mention.kind == "target_group":
            name = _singular(mention.canonical or mention.text)
            groups.setdefault(name.replace(" ", ""), name)
    target_names = tuple(groups.values())
    if tagged_fields := tagger.enabled_fields():  # the learned tagger: off unless PRESSFLOW_TAGGER names fields
        mentions, programme_names, target_names = tagger.apply(
            tagged_fields, doc.body, [s.sentence for s in doc.sentences], [s.columns for s in doc.sentences],
            mentions, programme_names, target_names, gazetteer)
    terms = Counter(title_index or {})
    terms.update(index_terms(chain.from_iterable(s.columns.forms for s in doc.sentences),
                             chain.from_iterable(s.columns.tags for s in doc.sentences)))
    return Analysis(
        mentions=tuple(mentions),
        agencies=tuple(named),
        programs=tuple(programme_names),
        target_groups=target_names,
        facts=tuple(_facts(programme_names, mentions, named)),
        anchor_date=doc.anchor or (date(doc.anchor_year, 1, 1) if doc.anchor_year else None),
        index_terms=tuple(sorted(terms.items())),
    )


def _singular(group: str) -> str:
    """'청년들' → '청년': one entry per group, plurals merged (CONVENTIONS.md)."""
    return group[:-1] if group.endswith("들") and len(group) >= 3 else group


def _mention(doc: Doc, sentences: dict[int, DocSentence], span: Span, **override: object) -> Mention:
    sentence = sentences.get(span.sentence_index)
    fields = {"canonical": span.canonical, "date_start": span.date_start, "date_end": span.date_end,
              "quantity": span.quantity, "unit": span.unit, "object": span.object, "role": span.role, **override}
    return Mention(kind=span.kind, text=span.text if span.text is not None else doc.body[span.start:span.end],
                   start=span.start, end=span.end, sentence_index=span.sentence_index,
                   sentence=sentence.text if sentence else "", rule=span.rule, **fields)  # type: ignore[arg-type]


def _same_program(a: str, b: str) -> bool:
    return same_program(bare(a), bare(b))


def _agencies(spans: list[Span], gazetteer: Gazetteer) -> list[Agency]:
    hits = [span.found for span in spans]
    surfaces: dict[str, list[str]] = {}
    entries = {}
    acting = {hit.key for hit in hits if not hit.venue}  # type: ignore[attr-defined]
    for hit in hits:  # type: ignore[assignment]
        if hit.key not in acting:
            continue  # only ever the place where something happened
        surfaces.setdefault(hit.key, []).append(hit.surface)
        if hit.entry is not None and " " in hit.surface:
            entries[hit.key] = hit.entry  # '부산 중구': the mention with its 시도 decides which 중구
        else:
            entries.setdefault(hit.key, hit.entry)
    entries = _shared_names_placed(entries, {key for key, forms in surfaces.items() if any(" " in f for f in forms)},
                                   gazetteer)
    found = []
    governments = [(entry.kind, entry.name if entry.kind == "광역" else entry.parent) for entry in entries.values()
                   if entry is not None and entry.kind in {"기초", "행정시", "광역"}
                   and (entry.kind == "광역" or entry.parent)]  # a 시군구 placed in no 시도 places nothing
    for key, forms in surfaces.items():
        entry = entries[key]
        name = agencies.display_name(key, entry, forms)
        others = tuple(dict.fromkeys(f for f in forms if f != name))
        level, region = agencies.level_and_region(name, entry, gazetteer)
        for form in others if level is None and region is None else ():  # '주상면', written '거창군 주상면'
            level, region = agencies.level_and_region(form, entry, gazetteer)
            if level or region:
                break
        if region is None and entry is None:  # '군의회' in a story about one county: that county's
            local_level, region = agencies.local_level_and_region(name, governments)
            level = level or local_level
        found.append(Agency(name=name, mentions=others, level=level, region=region))
    return _provincial_office_named(found)


def _shared_names_placed(entries: dict, placed: set[str], gazetteer: Gazetteer) -> dict:  # type: ignore[type-arg]
    """A 시군구 name several 시도 share ('중구', '고성군'), written without its 시도: the one in the
    시도 the article names otherwise; with none named, no 시도 is guessed."""
    provinces = {e.name if e.kind == "광역" else e.parent for key, e in entries.items()
                 if e is not None and e.kind in {"광역", "기초", "행정시"} and len(gazetteer.agencies.get(key, ())) == 1}
    settled = dict(entries)
    for key, entry in entries.items():
        candidates = gazetteer.agencies.get(key, ())
        if entry is None or key in placed or len(candidates) < 2 or entry.kind not in {"기초", "행정시"}:
            continue
        local = [e for e in candidates if e.parent in provinces]
        settled[key] = local[0] if len(local) == 1 else Entry(entry.name, entry.kind, None)
    return settled


def _provincial_office_named(agencies: list[Agency]) -> list[Agency]:
    """'도교육청' in a story about one province is that province's office of education: one
    agency under its full name ('제주특별자치도교육청'), with '도교육청' among its forms."""
    provinces = {a.region for a in agencies if a.region and a.level == "광역"}
    if len(provinces) != 1:
        return agencies
    province = provinces.pop()
    merged: list[Agency] = []
    for agency in agencies:
        if agency.name in {"도교육청", "시교육청"} and province.endswith(agency.name[0]):
            agency = Agency(f"{province}교육청", (agency.name, *agency.mentions), "교육청", province)
        same = next((i for i, kept in enumerate(merged) if kept.name == agency.name), None)
        if same is None:
            merged.append(agency)
        else:
            kept = merged[same]
            forms = tuple(dict.fromkeys((*kept.mentions, *agency.mentions)))
            merged[same] = Agency(kept.name, tuple(f for f in forms if f != kept.name), kept.level or agency.level,
                                  kept.region or agency.region)
    return merged


def _facts(programs: list[str], mentions: list[Mention], agencies: list[Agency]) -> list[ProgramFact]:
    """Tie each programme to what its own and the neighbouring sentences say about it."""
    facts = []
    regions = {a.name: a.region or (a.name if a.level in {"기초", "광역"} else None) for a in agencies}
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence_index, []).append(mention)
    owner = _goal_owners(programs, mentions)
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
            goals=tuple(dict.fromkeys(m.text for m in near if m.kind == "goal" and owner.get(id(m)) == program)),
        ))
    return facts


def _goal_owners(programs: list[str], mentions: list[Mention]) -> dict[int, str]:
    """Each goal's one programme: the one named nearest before it in its sentence, else the
    nearest after it there, else the one named in the nearest sentence within the window (an
    earlier one first). A goal near no programme belongs to none."""
    named = [m for m in mentions if m.kind == "program" and m.canonical in programs]
    owners: dict[int, str] = {}
    for goal in (m for m in mentions if m.kind == "goal"):
        same = [p for p in named if p.sentence_index == goal.sentence_index]
        before = [p for p in same if p.start < goal.start]
        if same:
            chosen = max(before, key=lambda p: p.start) if before else min(same, key=lambda p: p.start)
        else:
            near = [p for p in named if abs(p.sentence_index - goal.sentence_index) <= _FACT_WINDOW]
            if not near:
                continue
            chosen = min(near, key=lambda p: (abs(p.sentence_index - goal.sentence_index),
                                              p.sentence_index > goal.sentence_index, -p.start))
        owners[id(goal)] = chosen.canonical  # type: ignore[assignment]
    return owners
