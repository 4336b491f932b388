"""Issue 15: `pressflow show` marks every fact of one article where it stands in the text,
in the terminal and as a self-contained HTML page rendered here by headless Chromium."""
from __future__ import annotations

import shutil
import struct
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest
from lxml import html as lxml_html
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.show import css_class, marked_html, pieces, render_html
from warehouse.evidence import ArticleEvidence, Fact
from warehouse.schema import connect_read_only

from .conftest import SAMPLES

runner = CliRunner()
SAMPLE = SAMPLES / "html" / "c1_newshaneul.html"  # 사하구's 디딤돌 통장: a target group nested in a programme name
SAMPLE_URL = "https://www.newshaneul.com/news/view.php?no=73512"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, kiwi):
    from pipelines.runs import ingest_run

    db = tmp_path_factory.mktemp("show") / "show.duckdb"
    summary = ingest_run([str(SAMPLE)], str(db))
    assert summary.articles == 1
    return db


def _one(db: Path, sql: str, *params: object) -> list[tuple]:
    con = connect_read_only(db)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _fact(number: int, kind: str, start: int, end: int, body: str, **more: object) -> Fact:
    return Fact(number, kind, body[start:end], start, end, **more)  # type: ignore[arg-type]


def _evidence(body: str, facts: tuple[Fact, ...], **more: object) -> ArticleEvidence:
    fields = {"article_id": "t1", "title": "제목", "outlet": "한빛일보", "url": None, "source_path": None,
              "reporter": None, "reporter_email": None, "published_at": None, "body": body, "facts": facts}
    fields.update(more)
    return ArticleEvidence(**fields)  # type: ignore[arg-type]


def _marks(page: str) -> dict[int, list]:
    """data-fact number -> its <mark> elements (a fact cut in fragments has several)."""
    tree = lxml_html.fromstring(page)
    found: dict[int, list] = {}
    for mark in tree.iter("mark"):
        if mark.get("data-fact") is not None:
            found.setdefault(int(mark.get("data-fact")), []).append(mark)
    return found


# --- the pure rendering ------------------------------------------------------------------

def test_nested_facts_become_nested_marks():
    body = "한빛군은 '한빛 청년 디딤돌 통장' 참여자를 모집한다."
    programme = _fact(0, "program", body.index("한빛 청년"), body.index("' 참여자"), body, rule="program.quoted_name")
    target = _fact(1, "target_group", body.index("청년"), body.index("청년") + 2, body, canonical="청년",
                   rule="target.inside_programme_name")
    page = marked_html(body, [target, programme])
    tree = lxml_html.fromstring(page)
    outer = tree.xpath("//mark[@data-fact='0']")
    assert len(outer) == 1 and outer[0].text_content() == "한빛 청년 디딤돌 통장"
    inner = outer[0].xpath("./mark[@data-fact='1']")
    assert len(inner) == 1 and inner[0].get("class") == "fact-target_group"
    assert "target.inside_programme_name" in inner[0].get("title") and "청년" in inner[0].get("title")


def test_crossing_facts_are_cut_into_fragments_and_the_markup_stays_well_formed():
    body = "가나다라마바사아자차"
    first, second = _fact(0, "agency", 0, 6, body), _fact(1, "program", 3, 9, body)
    page = marked_html(body, [first, second])
    assert page.count("<mark") == page.count("</mark>") == 3  # the second fact is reopened after the first closes
    marks = _marks(page)
    assert "".join(m.text_content() for m in marks[0]) == body[0:6]
    # the fragments of the second fact, not counting the text of marks inside them
    assert "".join(m.text_content() for m in marks[1]) == body[3:9]
    assert lxml_html.fromstring(page).text_content() == body
    assert [(p.start, p.end, [f.number for f in p.covering]) for p in pieces(0, len(body), [first, second])] == [
        (0, 3, [0]), (3, 6, [0, 1]), (6, 9, [1]), (9, 10, [])]


def test_every_text_is_escaped_and_no_mark_crosses_a_paragraph():
    body = "<script>alert('x')</script> & 한빛군\n\"따옴표\" 사업"
    agency = _fact(0, "agency", body.index("한빛군"), body.index("한빛군") + 3, body,
                   canonical='한빛군 "<b>"', rule="agency.lexicon", sentence="<b>한빛군</b>")
    across = _fact(1, "program", body.index("한빛군"), len(body), body, rule="x<y")
    page = render_html(_evidence(body, (agency, across), title="<i>제목</i> & 부제", outlet="<한빛>"))
    assert "<script>" not in page and "<i>제목" not in page and "&lt;script&gt;" in page
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//h1")[0].text_content() == "<i>제목</i> & 부제"
    assert tree.xpath("//mark[@data-fact='0']")[0].get("title") == 'agency: 한빛군 "<b>" · rule agency.lexicon'
    paragraphs = tree.xpath("//article/p")
    assert [p.text_content() for p in paragraphs] == body.split("\n")
    # the fact spanning the line break is marked in both paragraphs, each part inside its own <p>
    assert [m.getparent().tag for m in tree.xpath("//article//mark[@data-fact='1']")] == ["p", "p"]
    assert "<link" not in page and "<img" not in page and "@import" not in page and "url(" not in page


def test_facts_whose_offsets_leave_the_body_are_listed_not_marked():
    body = "한빛군 청년"
    stray = Fact(0, "agency", "없는기관", 40, 44, canonical="없는기관", rule="agency.lexicon", sentence="다른 문장")
    page = render_html(_evidence(body, (stray,)))
    assert not _marks(page)
    assert "없는기관" in lxml_html.fromstring(page).xpath("//section[@id='facts-agency']")[0].text_content()
    assert "1 facts with offsets outside the body" in page


def test_goal_and_date_details_are_shown_with_their_rules():
    body = "올해 사업비 5억원을 편성했다."
    goal = _fact(0, "goal", 3, 11, body, rule="goal.money", quantity=500000000.0, unit="원", object="사업비",
                 sentence=body)
    when = _fact(1, "date", 0, 2, body, rule="date.relative", date_start=date(2025, 1, 1),
                 date_end=date(2025, 12, 31), sentence=body)
    tree = lxml_html.fromstring(render_html(_evidence(body, (goal, when))))
    goals = tree.xpath("//section[@id='facts-goal']")[0].text_content()
    dates = tree.xpath("//section[@id='facts-date']")[0].text_content()
    assert "500,000,000 원 of 사업비" in goals and "goal.money" in goals
    assert "2025-01-01" in dates and "2025-12-31" in dates and "date.relative" in dates


# --- the command -----------------------------------------------------------------------

def test_show_finds_the_article_by_id_url_or_file_and_labels_every_fact(sample_db, monkeypatch):
    from pipelines import cli

    monkeypatch.setattr(cli.console, "_width", 250)  # rule names unfolded, to find them whole
    article_id = _one(sample_db, "SELECT article_id FROM articles")[0][0]
    mentions = _one(sample_db, "SELECT mention_no, kind, canonical, rule FROM mentions WHERE article_id = ?",
                    article_id)
    assert mentions
    outputs = []
    for key in (article_id, SAMPLE_URL, str(SAMPLE)):
        result = runner.invoke(app, ["show", key, "--db", str(sample_db)])
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    text = outputs[0]
    assert "부산 사하구, 청년 자산형성" in text and "2024-08-07 10:31 KST" in text and "뉴스하늘" in text
    for number, kind, canonical, rule in mentions:
        assert f"[{number}]" in text and rule in text and kind in text
        assert canonical is None or canonical in text


def test_show_of_an_unknown_article_names_it_and_exits_1(sample_db):
    result = runner.invoke(app, ["show", "https://nowhere.example/news/1", "--db", str(sample_db)])
    assert result.exit_code == 1
    assert "https://nowhere.example/news/1" in result.stderr and "no article" in result.stderr


def test_show_dates_the_article_in_seoul_time(tmp_path):
    """A UTC instant late in the evening is the next morning in Seoul: the byline says so."""
    from warehouse import writing

    db = tmp_path / "utc.duckdb"
    with writing(db) as con:
        con.execute("INSERT INTO articles (article_id, url, title, body, published_at, extractor_version, "
                    "analyser_version, loaded_at) VALUES ('k1', 'https://hanbit.example/k1', '야간 기사', '본문', "
                    "TIMESTAMPTZ '2026-03-31 15:30:00+00', 'x', 'y', now())")
    result = runner.invoke(app, ["show", "k1", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "2026-04-01 00:30 KST" in result.stdout


# --- the page in a real browser --------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
APT = "apt-get install -y chromium fonts-nanum"


def _korean_fonts() -> bool:
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True, timeout=60)
        return "nanum" in listed.stdout.lower()
    return Path("/usr/share/fonts/truetype/nanum").is_dir()


def _browser_or_skip() -> None:
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (Debian package chromium)")
    if not _korean_fonts():
        missing.append("the Nanum Korean fonts (Debian package fonts-nanum; fc-list :lang=ko lists none)")
    if missing:
        pytest.skip("headless Chromium test: missing " + " and ".join(missing) + f"; install with `{APT}`")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


# what the page's CSS gives each kind, read back from the browser's computed styles
_PROBE = """<script>
window.addEventListener('load', () => {
  const seen = {};
  for (const m of document.querySelectorAll('mark[data-fact]')) {
    seen[m.className] = getComputedStyle(m).backgroundColor;
  }
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify(seen);
  document.body.appendChild(out);
});
</script>"""


def test_the_page_renders_in_headless_chromium(sample_db, tmp_path):
    _browser_or_skip()
    import json

    article_id = _one(sample_db, "SELECT article_id FROM articles")[0][0]
    page = tmp_path / "show.html"
    result = runner.invoke(app, ["show", article_id, "--db", str(sample_db), "--html", str(page)])
    assert result.exit_code == 0, result.output
    source = page.read_text(encoding="utf-8")
    assert "<script" not in source and "<link" not in source and "url(" not in source  # self-contained

    shot = tmp_path / "show.png"
    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,1800", page.as_uri())
    print(f"\nscreenshot of the evidence page: {shot}")
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", header[16:24]) == (1400, 1800)

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    tree = lxml_html.fromstring(dom)
    mentions = _one(sample_db, "SELECT mention_no, kind, text FROM mentions WHERE article_id = ?", article_id)
    marks = _marks(dom)
    assert set(marks) == {number for number, _, _ in mentions}  # every fact is marked
    for number, kind, text in mentions:
        assert {m.get("class") for m in marks[number]} == {css_class(kind)}
        assert "".join(m.text_content() for m in marks[number]) == text
    assert tree.xpath("//article")[0].text_content().replace("\n", "") == \
        _one(sample_db, "SELECT body FROM articles")[0][0].replace("\n", "")
    agencies = tree.xpath("//section[@id='facts-agency']")[0].text_content()
    for (name,) in _one(sample_db, "SELECT name FROM article_agencies WHERE article_id = ?", article_id):
        assert name in agencies
    assert "사하구" in agencies
    programmes = tree.xpath("//section[@id='facts-program']")[0].text_content()
    for (name,) in _one(sample_db, "SELECT program FROM program_facts WHERE article_id = ?", article_id):
        assert name in programmes

    probed = tmp_path / "probe.html"
    probed.write_text(source.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    colours = json.loads(lxml_html.fromstring(_chromium(tmp_path, "--dump-dom", probed.as_uri()).stdout)
                         .get_element_by_id("probe").text_content())
    kinds = {css_class(kind) for _, kind, _ in mentions}
    assert set(colours) == kinds and len(set(colours.values())) == len(kinds)  # a colour per kind
    assert all(c not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 0)") for c in colours.values())  # not the default mark


def test_the_chromium_check_names_what_is_missing(monkeypatch):
    monkeypatch.setattr("tests.test_show.CHROMIUM", Path("/nonexistent/chromium"))
    with pytest.raises(pytest.skip.Exception) as skipped:
        _browser_or_skip()
    assert "/nonexistent/chromium" in str(skipped.value) and APT in str(skipped.value)


def test_show_reads_a_plain_duckdb_file_written_by_another_tool(tmp_path):
    """The evidence loader needs only the tables, not pressflow's connection settings."""
    from warehouse import writing
    from warehouse.evidence import load_evidence

    db = tmp_path / "plain.duckdb"
    with writing(db):
        pass
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO articles (article_id, title, body, extractor_version, analyser_version, loaded_at) "
                "VALUES ('p1', '제목', '한빛군 청년', 'x', 'y', now())")
    con.execute("INSERT INTO mentions (article_id, mention_no, kind, text, start_offset, end_offset, rule, "
                "analyser_version) VALUES ('p1', 0, 'agency', '한빛군', 0, 3, 'agency.lexicon', 'y')")
    evidence = load_evidence(con, "p1")
    con.close()
    assert [(f.kind, f.text, f.rule) for f in evidence.facts] == [("agency", "한빛군", "agency.lexicon")]
    assert evidence.published_at is None


def test_a_very_long_sentence_is_cut_to_the_words_around_its_fact():
    filler = "회의 안건을 논의했다 " * 60
    body = filler + "한빛군 청년 쉼터 사업" + filler
    start = body.index("청년 쉼터 사업")
    fact = _fact(0, "program", start, start + len("청년 쉼터 사업"), body, rule="program.head_noun", sentence=body)
    section = lxml_html.fromstring(render_html(_evidence(body, (fact,)))).xpath("//section[@id='facts-program']")[0]
    evidence = section.xpath(".//tr[@class='evidence']")[0].text_content()
    assert "청년 쉼터 사업" in evidence and evidence.startswith("…") and evidence.endswith("…")
    assert len(evidence) < 300 < len(body)
