"""HTML pages of several Korean CMS families (bundled samples with gold) and the generic path."""
from __future__ import annotations

import json

import pytest

from extractors import RawPage, extract
from tests.conftest import SAMPLES
from tests.test_extract_text_dumps import token_f1

GOLDS = sorted((SAMPLES / "gold").glob("*.gold.json"))


def _page(gold_path):
    html_path = SAMPLES / "html" / gold_path.name.replace(".gold.json", ".html")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return gold, extract(RawPage(body=html_path.read_bytes(), source_path=str(html_path)))


def test_samples_cover_the_families_asked_for():
    families = {json.loads(p.read_text(encoding="utf-8")).get("cms", "")[:1] for p in GOLDS}
    assert len(GOLDS) >= 12 and {"A", "B", "C", "D"} <= {f.upper() for f in families}


@pytest.mark.parametrize("gold_path", GOLDS, ids=lambda p: p.stem.split(".")[0])
def test_sample_page(gold_path):
    gold, article = _page(gold_path)
    if gold.get("is_article") is False:
        assert article.page_kind != "article" and article.paragraphs == ()
        return
    assert article.page_kind == "article"
    assert token_f1(article.body, gold["body"]) >= 0.95
    assert article.title == gold["title"]
    assert article.published_at is not None
    assert article.published_at.date().isoformat() == gold["published_at"][:10]


def test_euc_kr_pages_decode_with_and_without_declaration():
    encodings = {p.name: _page(p)[1].encoding for p in GOLDS if p.name.startswith("b")}
    assert set(encodings.values()) == {"cp949"} and len(encodings) == 2


def test_json_ld_metadata_is_read():
    html = """<html lang="ko"><head><script type="application/ld+json">
    {"@context":"https://schema.org","@type":"NewsArticle","headline":"양구군, 작은 영화관 관람객 1만 명 돌파",
     "datePublished":"2024-06-03T09:10:00+09:00","dateModified":"2024-06-03T11:00:00+09:00",
     "author":{"@type":"Person","name":"이솔"},"publisher":{"@type":"Organization","name":"강원해오름신문"}}
    </script></head><body><div class="wrap"><p>양구군은 작은 영화관 누적 관람객이 1만 명을 넘었다고 3일 밝혔다.</p>
    <p>군은 내년까지 상영관을 한 곳 더 늘릴 계획이다.</p></div></body></html>"""
    article = extract(RawPage(body=html.encode(), url="https://news.example/1"))
    assert article.title == "양구군, 작은 영화관 관람객 1만 명 돌파"
    assert article.outlet == "강원해오름신문" and article.reporter == "이솔"
    assert article.published_at.isoformat() == "2024-06-03T09:10:00+09:00"
    assert article.updated_at.isoformat() == "2024-06-03T11:00:00+09:00"


@pytest.mark.parametrize("html", [
    b"<html><body><div><p>unclosed <b>tags <table><tr><td>cell",
    b"<html><head><title>x</title></head></html>",
    b"<!doctype html><html><body>" + b"<div>" * 5000 + b"</body></html>",
])
def test_malformed_html_never_crashes(html):
    article = extract(RawPage(body=html))
    assert article.page_kind != "article"


def test_login_wall_is_not_an_article():
    html = "<html><body><h1>회원 전용</h1><p>로그인이 필요합니다.</p><form><input type='password'></form></body></html>"
    assert extract(RawPage(body=html.encode())).page_kind == "login"


def test_generic_path_without_any_cms_profile(monkeypatch):
    """An outlet whose CMS no profile knows: the same pages through trafilatura and the
    densest-prose-block fallback (table layouts) must still give the article."""
    import extractors.html_page as html_page

    monkeypatch.setattr(html_page, "match_profile", lambda url, tree, korean: None)
    scores = []
    for gold_path in GOLDS:
        gold, article = _page(gold_path)
        if gold.get("is_article") is False:
            assert article.page_kind != "article"
            continue
        scores.append(token_f1(article.body, gold["body"]))
        assert article.published_at.date().isoformat() == gold["published_at"][:10]
    assert min(scores) >= 0.9 and sum(scores) / len(scores) >= 0.97
