"""The source registry: the shipped sources.toml checks out; bad entries name source and key;
`pressflow sources check` prints a summary and exits 2 on bad input."""
from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from pipelines.cli_crawl import register
from pipelines.sources import SourceError, load_sources, parse_sources, select
from tests.conftest import ROOT

runner = CliRunner()

GOOD = {"name": "한빛일보", "region": "전라남도/영광군", "home": "https://www.hanbit.example/"}


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """pressflow (test copy)"""

    register(app)
    return app


def test_shipped_registry_is_valid_and_honest():
    sources = load_sources(ROOT / "sources.toml")
    names = {s.name for s in sources}
    assert {"중도일보", "기호일보", "충청투데이", "금강일보", "강원도민일보", "경인일보", "제주의소리",
            "신아일보"} <= names
    for source in sources:
        assert source.home.startswith("https://") and source.region
        assert source.delay_seconds >= 1.0           # polite towards real sites
        assert source.verified is False              # nothing could be fetched from here
        assert source.feeds or source.sitemaps or source.listings
        if source.cms == "ndsoft":
            assert all(feed.endswith("/rss/allArticle.xml") for feed in source.feeds)
            for listing in source.listings:
                assert listing.pattern.search(source.home + "news/articleView.html?idxno=123")


def test_listing_pages_expand():
    (source,) = parse_sources({"source": [{**GOOD, "listings": [
        {"url": "https://www.hanbit.example/list?page={page}", "link_pattern": r"idxno=\d+", "pages": 3}]}]})
    assert source.listings[0].page_urls() == ("https://www.hanbit.example/list?page=1",
                                              "https://www.hanbit.example/list?page=2",
                                              "https://www.hanbit.example/list?page=3")
    assert source.delay_seconds == 1.0 and source.verified is False


@pytest.mark.parametrize(("change", "key", "words"), [
    ({"feed": ["https://www.hanbit.example/rss"]}, "feed", "unknown key"),
    ({"home": "www.hanbit.example"}, "home", "not an absolute"),
    ({"home": "https://"}, "home", "not an absolute"),
    ({"feeds": ["https://www.hanbit.example/rss", "htp:/broken"]}, "feeds", "not an absolute"),
    ({"feeds": "https://www.hanbit.example/rss"}, "feeds", "must be a list"),
    ({"sitemaps": ["https://www.hanbit.example:99999/sitemap.xml"]}, "sitemaps", "not a valid URL"),
    ({"listings": [{"url": "https://www.hanbit.example/l", "link_pattern": "("}]}, "listings[0].link_pattern",
     "not a valid regex"),
    ({"listings": [{"url": "https://www.hanbit.example/l", "link_pattern": "x", "pages": 3}]}, "listings[0].url",
     "{page}"),
    ({"listings": [{"url": "https://www.hanbit.example/l?p={page}", "link_pattern": "x", "pages": 0}]},
     "listings[0].pages", "integer"),
    ({"listings": [{"url": "https://www.hanbit.example/l", "pattern": "x"}]}, "listings[0].pattern",
     "unknown key"),
    ({"delay_seconds": -1}, "delay_seconds", "delay_seconds"),
    ({"verified": "yes"}, "verified", "true or false"),
    ({"region": ""}, "region", "required"),
    ({"redirect_hosts": "cdn.hanbit.example"}, "redirect_hosts", "list of host names"),
    ({"redirect_hosts": ["https://cdn.hanbit.example/"]}, "redirect_hosts", "list of host names"),
])
def test_bad_entries_name_the_source_and_the_key(change, key, words):
    with pytest.raises(SourceError) as caught:
        parse_sources({"source": [{**GOOD, **change}]}, "test.toml")
    assert caught.value.source == "한빛일보" and caught.value.key == key
    message = str(caught.value)
    assert "한빛일보" in message and words in message and "test.toml" in message


def test_redirect_hosts_and_the_crawler_table(tmp_path):
    from pipelines.sources import load_crawler

    (source,) = parse_sources({"source": [{**GOOD, "feeds": ["https://rss.hanbit.example/all.xml"],
                                           "redirect_hosts": ["CDN.hanbit.example", "*.photo.example", "10.0.0.5:8080"]}]})
    assert source.redirect_hosts == ("cdn.hanbit.example", "*.photo.example", "10.0.0.5:8080")
    assert "https://rss.hanbit.example/all.xml" in source.named_urls
    registry = tmp_path / "sources.toml"
    registry.write_text('[crawler]\nuser_agent = "hanbitbot/2.1"\ncontact = "https://hanbit.example/bot"\n\n'
                        '[[source]]\nname = "한빛일보"\nregion = "영광군"\nhome = "https://h.example/"\n',
                        encoding="utf-8")
    settings = load_crawler(registry)
    assert (settings.user_agent, settings.contact) == ("hanbitbot/2.1", "https://hanbit.example/bot")
    assert load_sources(registry)[0].name == "한빛일보"
    registry.write_text('[crawler]\nuser_agent = "hanbit bot (me)"\n', encoding="utf-8")
    with pytest.raises(SourceError, match="product token") as caught:
        load_sources(registry)
    assert caught.value.key == "crawler.user_agent"
    registry.write_text('[crawler]\nagent = "x/1"\n', encoding="utf-8")
    with pytest.raises(SourceError, match="unknown key crawler.agent"):
        load_crawler(registry)


def test_registry_level_errors(tmp_path):
    with pytest.raises(SourceError, match="appears twice"):
        parse_sources({"source": [GOOD, GOOD]})
    with pytest.raises(SourceError, match="unknown top-level key"):
        parse_sources({"sources": [GOOD]})
    broken = tmp_path / "broken.toml"
    broken.write_text("[[source]]\nname = \n", encoding="utf-8")
    with pytest.raises(SourceError, match="not valid TOML"):
        load_sources(broken)
    with pytest.raises(SourceError, match="no such sources file"):
        load_sources(tmp_path / "missing.toml")
    with pytest.raises(SourceError, match="no source named"):
        select(parse_sources({"source": [GOOD]}), "없는신문")


def test_sources_check_command(tmp_path):
    app = _app()
    result = runner.invoke(app, ["sources", "check", "--sources", str(ROOT / "sources.toml")])
    assert result.exit_code == 0, result.output
    assert "sources OK" in result.output and "unverified" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nname = "한빛일보"\nregion = "영광군"\nhome = "https://h.example/"\n'
                   'feeds = ["not a url"]\n', encoding="utf-8")
    result = runner.invoke(app, ["sources", "check", "--sources", str(bad)])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "한빛일보" in said and "feeds" in said
    result = runner.invoke(app, ["crawl", "--sources", str(bad)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["crawl", "--sources", str(ROOT / "sources.toml"), "--source", "없는신문"])
    assert result.exit_code == 2 and "no source named" in " ".join(result.output.split())
    result = runner.invoke(app, ["crawl", "--since", "2024-02-30"])
    assert result.exit_code == 2


def test_the_shipped_registry_checks_out_through_the_real_cli():
    from typer.testing import CliRunner

    from pipelines.cli import app
    from tests.conftest import ROOT

    result = CliRunner().invoke(app, ["sources", "check", "--sources", str(ROOT / "sources.toml")])
    assert result.exit_code == 0, result.output
    assert "19 sources OK" in " ".join(result.output.split())
