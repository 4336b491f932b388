"""Goals say which is a total and which its parts, and each belongs to one programme (issue 15):
in nlp's analysis and in the warehouse's views, so a SUM counts each amount once."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from nlp.analyse import RECOGNISERS, resolve
from nlp.doc import doc_of
from nlp.gazetteer import load_gazetteer
from nlp.goals import find_goals, money_roles
from warehouse.schema import connect_read_only

# our own copy, in the style of a county's press release
STORY = ("군은 ‘한빛 청년 디딤돌 사업’ 참여자 50명을 모집한다. 또 ‘어르신 돌봄 나눔 사업’에는 8억원을 투입한다. "
         "군은 이 사업에 총사업비 48억원(국비 20억원, 도비 10억원, 군비 18억원)을 들인다.")


def _roles(sentence: str) -> list[tuple[float, str | None]]:
    found = find_goals(sentence)
    return [(g.quantity, role) for g, role in zip(found, money_roles(sentence, found), strict=True)]


def test_a_total_and_the_parts_that_sum_into_it(kiwi):
    assert _roles("군은 총사업비 48억원(국비 20억원, 도비 10억원, 군비 18억원)을 들인다.") == [
        (4.8e9, "total"), (2e9, "part"), (1e9, "part"), (1.8e9, "part")]
    assert _roles("국비 20억원 등 모두 48억원을 들여 센터를 짓는다.") == [(2e9, "part"), (4.8e9, "total")]
    # two sources with no whole: nothing to mark; a whole whose 'parts' overshoot it: no parts
    assert _roles("국비 88억원과 도비 10억원을 확보했다.") == [(8.8e9, None), (1e9, None)]
    assert _roles("총 5억원 가운데 국비 4억원, 도비 3억원이다.") == [(5e8, None), (4e8, None), (3e8, None)]


def test_each_goal_belongs_to_the_one_programme_it_is_stated_for(kiwi):
    gazetteer = replace(load_gazetteer(None), memo=defaultdict(dict))
    doc = doc_of(STORY, published=date(2025, 3, 3))
    analysis = resolve(doc, [s for recognise in RECOGNISERS for s in recognise(doc, gazetteer)], gazetteer)
    goals = {fact.program: fact.goals for fact in analysis.facts}
    assert goals["한빛 청년 디딤돌 사업"] == ("참여자 50명을 모집",)
    assert "8억원을 투입" in goals["어르신 돌봄 나눔 사업"]
    assert not set(goals["한빛 청년 디딤돌 사업"]) & set(goals["어르신 돌봄 나눔 사업"])


def test_the_warehouse_sums_each_amount_once(kiwi, tmp_path):
    from pipelines.runs import ingest_run

    page = tmp_path / "story.txt"
    page.write_text("한빛군, 청년과 어르신 사업에 48억 투입\n\n" + STORY + "\n", encoding="utf-8")
    db = tmp_path / "roles.duckdb"
    assert ingest_run([str(page)], str(db)).articles == 1
    con = connect_read_only(db)
    try:
        rows = con.execute("SELECT quantity, role, counts_once FROM article_goals WHERE unit = '원' "
                           "ORDER BY quantity DESC").fetchall()
        once = con.execute("SELECT sum(quantity) FROM article_goals WHERE unit = '원' AND counts_once").fetchall()[0][0]
    finally:
        con.close()
    assert rows[0] == (4.8e9, "total", True) and {r[1] for r in rows[1:4]} == {"part"}
    assert once == 4.8e9 + 8e8  # the whole and the other programme's money; the parts not again
