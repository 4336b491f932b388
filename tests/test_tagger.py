"""The CRF tagger end to end on sentences of our own: gold names projected to BIO labels,
a tiny model trained, a held-out sentence tagged; and the switch that wires it into analysis."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from extractors.model import Article
from nlp import tagger as crf
from nlp.analyse import analyse_batch
from pipelines import train_tagger

pytest.importorskip("pycrfsuite")

KST = timezone(timedelta(hours=9))

# a made-up town and made-up schemes: what the model must learn is the shape, not the names
TRAINING = [
    ("한솔군은 올해 '푸른들 농가 돌봄사업'을 추진해 고령 농업인 40명을 지원한다고 밝혔다.",
     ["푸른들 농가 돌봄사업"], ["고령 농업인"]),
    ("한솔군은 '햇살마을 공동부엌 사업'으로 홀몸 어르신에게 반찬을 나눈다.",
     ["햇살마을 공동부엌 사업"], ["홀몸 어르신"]),
    ("한솔군은 '들꽃 청년창업 학교'를 열어 지역 청년 20명을 모집한다.",
     ["들꽃 청년창업 학교"], ["지역 청년"]),
    ("한솔군은 '바람길 숲 가꾸기 사업'에 주민 30명이 함께한다고 전했다.",
     ["바람길 숲 가꾸기 사업"], ["주민"]),
    ("한솔군은 '새봄 육아나눔터 사업'을 통해 맞벌이 가정의 돌봄을 돕는다.",
     ["새봄 육아나눔터 사업"], ["맞벌이 가정"]),
    ("한솔군은 '꿈마루 장학 사업'으로 저소득층 학생 15명에게 장학금을 준다.",
     ["꿈마루 장학 사업"], ["저소득층 학생"]),
]
HELD_OUT = "한솔군은 '별빛마을 건강걷기 사업'을 시작했다."


def article(text: str) -> Article:
    return Article(paragraphs=(text,), published_at=datetime(2024, 5, 2, 10, tzinfo=KST), content_hash="g" * 64)


def pages(sentences) -> list[train_tagger.Page]:
    items = [(train_tagger.Page(id=f"t{i}", group="t", gold={"programs": [{"name": p} for p in programs],
                                                             "target_groups": targets}), article(text))
             for i, (text, programs, targets) in enumerate(sentences)]
    return train_tagger.featurise(items)


def test_gold_names_are_projected_spaces_insensitively():
    body = "한솔군은 푸른들농가 돌봄사업을 편다. 푸른들 농가 돌봄사업은 …"
    spans = train_tagger.project(body, ["푸른들 농가 돌봄사업"])
    assert sorted(body[s:e] for s, e in spans) == ["푸른들 농가 돌봄사업", "푸른들농가 돌봄사업"]


def test_bio_labels_and_spans_round_trip():
    body = "한솔군은 '새봄 육아나눔터 사업'을 편다."
    tokens = [crf.TokenView("한솔군", "NNP", 0, 3), crf.TokenView("은", "JX", 3, 4),
              crf.TokenView("'", "SS", 5, 6), crf.TokenView("새봄", "NNG", 6, 8),
              crf.TokenView("육아나눔터", "NNG", 9, 14), crf.TokenView("사업", "NNG", 15, 17),
              crf.TokenView("'", "SS", 17, 18), crf.TokenView("을", "JKO", 18, 19)]
    labels = crf.bio_labels(tokens, [(6, 17)])
    assert labels == ["O", "O", "O", "B", "I", "I", "O", "O"]
    assert [s.text for s in crf.spans_of(tokens, labels, body, "program")] == ["새봄 육아나눔터 사업"]
    features = crf.sentence_features(tokens, [("program", 5, 18)])
    assert [next(x for x in f if x.startswith("q=")) for f in features] == [f"q={q}" for q in "00011100"]
    assert [next(x for x in f if x.startswith("rp=")) for f in features] == [f"rp={r}" for r in "OOBIIIIO"]


def test_no_span_over_a_line_break():
    body = "가나 사업\n다라"
    tokens = [crf.TokenView("가나", "NNG", 0, 2), crf.TokenView("사업", "NNG", 3, 5), crf.TokenView("다라", "NNG", 6, 8)]
    assert crf.spans_of(tokens, ["B", "I", "I"], body, "program") == []
    assert [s.text for s in crf.spans_of(tokens, ["B", "I", "B"], body, "program")] == ["가나 사업", "다라"]


def test_a_tiny_model_tags_a_held_out_sentence(tmp_path):
    trained = pages(TRAINING)
    assert all(any("B" in labels for labels in page.labels["programs"]) for page in trained)
    model = train_tagger.train(trained, "programs", tmp_path / "tiny.crfsuite", iterations=50)
    held_out = pages([(HELD_OUT, [], [])])[0]
    tagger = crf.load_tagger(str(model))
    tagged = [crf.tag_sentence(tagger, features) for features in held_out.features]
    spans = crf.model_spans("program", held_out.body, held_out.sentences, tagged)
    assert [span.text for span in spans] == ["별빛마을 건강걷기 사업"]
    assert 0.5 < spans[0].confidence <= 1.0


def test_the_switch_puts_the_tagger_into_the_analysis(tmp_path, monkeypatch):
    model = train_tagger.train(pages(TRAINING), "programs", tmp_path / "tagger-programs.crfsuite", iterations=50)
    text = "한솔군은 올해 '은하수 마을 목욕탕 사업'을 새로 연다."
    monkeypatch.setenv(crf.SWITCH, "programs")
    monkeypatch.setattr(crf, "model_path", lambda field: model)
    monkeypatch.setattr(crf, "SHIPPED_ARMS", {"programs": "model"})
    crf._fields_for.cache_clear()
    try:
        after = analyse_batch([article(text)])[0]
    finally:
        crf._fields_for.cache_clear()
    assert list(after.programs) == ["은하수 마을 목욕탕 사업"]
    assert any(m.kind == "program" and m.canonical == "은하수 마을 목욕탕 사업" for m in after.mentions)


def test_union_adds_only_what_the_rules_lack_and_filter_drops_what_the_model_doubts():
    body = "가나 사업과 다라 사업"
    tokens = [crf.TokenView("가나", "NNG", 0, 2), crf.TokenView("사업", "NNG", 3, 5), crf.TokenView("과", "JC", 5, 6),
              crf.TokenView("다라", "NNG", 7, 9), crf.TokenView("사업", "NNG", 10, 12)]
    tagged = [(["O", "O", "O", "B", "I"], [0.1, 0.1, 0.0, 0.9, 0.9])]
    rule = crf.Span("program", 0, 5, "가나 사업", 1.0)  # what the rules found, as a mention-like object
    mention = type("M", (), {"kind": "program", "canonical": "가나 사업", "text": "가나 사업",
                             "start": rule.start, "end": rule.end})()
    args = ("program", ["가나 사업"], [mention], body, [tokens], tagged)
    assert crf.names_for("union", *args) == ["가나 사업", "다라 사업"]
    assert crf.names_for("model", *args) == ["다라 사업"]
    assert crf.names_for("filter", *args) == []
    assert crf.names_for("rules", *args) == ["가나 사업"]


def test_off_by_default(monkeypatch):
    monkeypatch.delenv(crf.SWITCH, raising=False)
    assert crf.enabled_fields() == ()
    monkeypatch.setenv(crf.SWITCH, "0")
    assert crf.enabled_fields() == ()
