"""Discovery is pure: bytes in, URLs out (feeds, sitemaps, robots.txt, listing pages)."""
from __future__ import annotations

import gzip
from datetime import UTC, datetime

from pipelines.discover import (
    feed_links,
    listing_links,
    normalize_url,
    parse_date,
    parse_document,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
)

BASE = "https://www.hanbit.example/"


def test_rss2_items_with_korean_dates_and_guid_fallback():
    body = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>한빛일보</title>
    <item><title>한빛시, 청년 월세 지원</title><link>https://www.hanbit.example/news/articleView.html?idxno=11</link>
      <pubDate>2024-05-02 10:00:00</pubDate></item>
    <item><title>두 번째</title><link>/news/articleView.html?idxno=12#comments</link>
      <pubDate>Thu, 02 May 2024 01:00:00 +0000</pubDate></item>
    <item><title>guid만 있는 기사</title><guid>https://www.hanbit.example/news/articleView.html?idxno=13</guid></item>
    <item><title>permalink 아님</title><guid isPermaLink="false">tag:13</guid></item>
    <item><title>중복</title><link>https://www.hanbit.example/news/articleView.html?idxno=11</link></item>
    </channel></rss>""".encode()
    found = parse_feed(body, BASE + "rss/allArticle.xml")
    assert found.ok and found.kind == "feed"
    assert found.urls == ("https://www.hanbit.example/news/articleView.html?idxno=11",
                          "https://www.hanbit.example/news/articleView.html?idxno=12",
                          "https://www.hanbit.example/news/articleView.html?idxno=13")
    first, second, _ = found.links
    assert first.title == "한빛시, 청년 월세 지원"
    assert first.lastmod == datetime(2024, 5, 2, 1, 0, tzinfo=UTC)  # naive times are KST
    assert second.lastmod == datetime(2024, 5, 2, 1, 0, tzinfo=UTC)


def test_atom_and_rss1_feeds():
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><title>A</title><link rel="enclosure" href="/photo.jpg"/><link href="/a/1"/>
        <updated>2024-05-03T09:00:00+09:00</updated></entry>
      <entry><title>B</title><link rel="alternate" type="text/html" href="https://www.hanbit.example/a/2"/>
        <published>2024-05-03</published></entry></feed>"""
    found = parse_feed(atom, BASE + "feed.xml")
    assert found.urls == ("https://www.hanbit.example/a/1", "https://www.hanbit.example/a/2")
    assert found.links[0].lastmod == datetime(2024, 5, 3, 0, 0, tzinfo=UTC)
    rdf = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <item rdf:about="https://www.hanbit.example/r/1"><title>R</title><link>https://www.hanbit.example/r/1</link>
      <dc:date>2024-05-04T10:00:00+09:00</dc:date></item></rdf:RDF>"""
    found = parse_feed(rdf, BASE)
    assert found.urls == ("https://www.hanbit.example/r/1",) and found.links[0].lastmod.day == 4


def test_euc_kr_feed_is_read_as_cp949():
    body = ('<?xml version="1.0" encoding="euc-kr"?><rss><channel><item><title>똠방각하 군수 공약</title>'
            "<link>http://www.hanbit.example/news/articleView.html?idxno=7</link></item></channel></rss>"
            ).encode("cp949")  # 똠 is outside EUC-KR proper: only cp949 reads it
    found = parse_feed(body, BASE)
    assert found.ok and found.links[0].title == "똠방각하 군수 공약"


def test_sitemap_index_gzip_and_news_sitemap():
    index = b"""<?xml version="1.0" encoding="UTF-8"?>
    <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://www.hanbit.example/sitemap-2024-05.xml.gz</loc><lastmod>2024-05-05</lastmod></sitemap>
      <sitemap><loc>https://www.hanbit.example/sitemap-2024-04.xml</loc></sitemap></sitemapindex>"""
    found = parse_sitemap(index, BASE + "sitemap.xml")
    assert found.kind == "sitemapindex" and not found.links
    assert [link.url for link in found.sitemaps] == ["https://www.hanbit.example/sitemap-2024-05.xml.gz",
                                                     "https://www.hanbit.example/sitemap-2024-04.xml"]
    assert found.sitemaps[0].lastmod is not None and found.sitemaps[1].lastmod is None

    news = """<?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://www.hanbit.example/news/articleView.html?idxno=21</loc>
        <news:news><news:publication><news:name>한빛일보</news:name><news:language>ko</news:language>
        </news:publication><news:publication_date>2024-05-02T10:00:00+09:00</news:publication_date>
        <news:title>한빛시 보도자료</news:title></news:news></url>
      <url><loc>https://www.hanbit.example/news/articleView.html?idxno=22</loc><lastmod>2024-05-03</lastmod></url>
    </urlset>""".encode()
    found = parse_sitemap(gzip.compress(news), BASE + "sitemap-2024-05.xml.gz")
    assert found.ok and found.kind == "sitemap"
    assert found.urls == ("https://www.hanbit.example/news/articleView.html?idxno=21",
                          "https://www.hanbit.example/news/articleView.html?idxno=22")
    assert found.links[0].lastmod == datetime(2024, 5, 2, 1, 0, tzinfo=UTC)
    assert found.links[0].title == "한빛시 보도자료"


def test_malformed_xml_is_an_error_value_never_an_exception():
    for body in (b"", b"\x1f\x8b\x08\x00broken-gzip", b"<rss><channel><item><title>x <<< &&& </rss",
                 b"not xml at all", "<html><body>점검 중</body></html>".encode()):
        found = parse_document(body, BASE)
        assert not found.ok and found.error, body
        assert not found.links
    damaged = parse_feed(b"<rss><channel><item><link>https://www.hanbit.example/a/1</link></item>"
                         b"<item><link>https://www.hanbit.example/a/2</link></item><item><title>cut", BASE)
    assert damaged.ok and damaged.warnings and damaged.urls == ("https://www.hanbit.example/a/1",
                                                               "https://www.hanbit.example/a/2")
    assert "malformed XML" in parse_feed(b"<rss><channel><item><title>x <<< </rss", BASE).error
    assert "expected a feed" in parse_feed(b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>",
                                           BASE).error


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
            "<rss><channel><item><title>&x;</title><link>https://www.hanbit.example/a/1</link></item>"
            "</channel></rss>").encode()
    found = parse_feed(body, BASE)
    assert all("TOP-SECRET" not in (link.title or "") for link in found.links)


def test_feed_autodetection_and_robots_sitemaps():
    html = b"""<html><head><base href="https://www.hanbit.example/news/">
      <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss/allArticle.xml">
      <link rel="alternate" type="application/atom+xml" href="atom.xml">
      <link rel="alternate" hreflang="en" href="/en/">
      <link rel="stylesheet" href="/style.css"></head><body></body></html>"""
    assert feed_links(html, BASE).feeds == ("https://www.hanbit.example/rss/allArticle.xml",
                                            "https://www.hanbit.example/news/atom.xml")
    robots = b"""User-agent: *
Disallow: /admin/
# Sitemap: https://www.hanbit.example/commented.xml
sitemap: https://www.hanbit.example/sitemap.xml
Sitemap: /relative-sitemap.xml
"""
    found = robots_sitemaps(robots, BASE + "robots.txt")
    assert [link.url for link in found.sitemaps] == ["https://www.hanbit.example/sitemap.xml",
                                                     "https://www.hanbit.example/relative-sitemap.xml"]


def test_listing_links_absolute_deduplicated_and_filtered():
    page = """<html><head><meta charset="euc-kr"><title>전체기사</title></head><body>
      <a href="/news/articleList.html?page=2">2</a>
      <ul><li><a href="/news/articleView.html?idxno=31"><img src="t.jpg"></a>
              <a href="/news/articleView.html?idxno=31">영광군, 청년 농부 지원</a></li>
          <li><a href="articleView.html?idxno=32&amp;utm_source=x#top">장성군 소식</a></li>
          <li><a href="https://other.example/news/articleView.html?idxno=99">다른 곳</a></li>
          <li><a href="javascript:void(0)">공유</a><a href="mailto:a@b.c">메일</a></li></ul></body></html>"""
    found = listing_links(page.encode("cp949"), "https://www.hanbit.example/news/articleList.html?page=1",
                          r"hanbit\.example/news/articleView\.html\?idxno=\d+",
                          content_type="text/html; charset=euc-kr")
    assert found.urls == ("https://www.hanbit.example/news/articleView.html?idxno=31",
                          "https://www.hanbit.example/news/articleView.html?idxno=32")
    assert found.links[0].title == "영광군, 청년 농부 지원"  # the headline link, not the thumbnail
    assert not listing_links(b"", BASE, "x").ok


def test_urls_and_dates():
    assert normalize_url("HTTP://WWW.Hanbit.Example:80/a?b=1&utm_medium=x#frag") == "http://www.hanbit.example/a?b=1"
    assert normalize_url("ftp://x/y") is None and normalize_url("  ") is None
    assert normalize_url("/a b", "https://h.example/x/") == "https://h.example/a%20b"
    assert parse_date("2024.05.02 10:00") == datetime(2024, 5, 2, 1, 0, tzinfo=UTC)
    assert parse_date("2024-05-02") == datetime(2024, 5, 1, 15, 0, tzinfo=UTC)
    assert parse_date("언젠가") is None and parse_date(None) is None


def test_a_source_with_nothing_announced_is_probed_at_the_common_feed_paths():
    """No feeds, sitemaps or listings, no <link rel=alternate>: the crawler tries the paths the
    common CMSs serve a feed at, and finds the ndsoft one; misses are notes, not failures."""
    import asyncio
    import logging

    from pipelines.crawl_flow import _Discoverer
    from pipelines.fetch import Fetcher, FetchPolicy
    from pipelines.sources import Source
    from tests.crawl_server import Reply, Story, rss, running_farm

    with running_farm() as farm:
        site = farm.site("quiet")
        site.route("/", Reply(body="<html><body><p>새소식</p></body></html>".encode()))
        story = Story(7, "고창군, 청년 농업인 지원", ("고창군은 청년 농업인을 지원한다.",), "2024.05.02 10:00", "김하늘")
        site.route("/rss/allArticle.xml", Reply(body=rss("조용일보", site.base, [story]),
                                                content_type="application/rss+xml; charset=utf-8"))
        source = Source(name="조용일보", region="전북특별자치도", home=site.base + "/", delay_seconds=0.01)

        async def discover():
            async with Fetcher(FetchPolicy(delay_seconds=0.01, max_retries=0)) as fetcher:
                discoverer = _Discoverer(fetcher, source, {}, None, logging.getLogger("test"))
                await discoverer.run()
                return discoverer

        discoverer = asyncio.run(discover())
    assert [item.url for item in discoverer.found] == [site.base + "/news/articleView.html?idxno=7"]
    assert discoverer.failures == []
    assert [hit.path for hit in site.hits("/rss")] == ["/rss/allArticle.xml"]  # it stopped at the first feed
