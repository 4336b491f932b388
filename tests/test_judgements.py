"""Judgements a plausible one-line edit could undo without any aggregate score noticing; each
is pinned here with sentences of our own (the cue rows also carry their own examples)."""
from __future__ import annotations

from tests.test_lexicon import facts


def test_a_group_told_about_or_living_somewhere_is_not_served(kiwi):
    assert "target_group:어르신" not in facts("구는 관내 어르신에게 이번 사업의 취지를 적극 홍보했다.")
    assert "target_group:농업인" not in facts("이 마을에는 고령 농업인 80여 명이 거주하고 있다.")
    assert "target_group:어르신" in facts("구는 관내 어르신에게 무료 급식을 제공한다.")


def test_attendance_is_no_goal(kiwi):
    assert "goal:45 명" not in facts("군은 청년 일자리 사업 설명회를 열었고 청년 45명이 참석했다.")
    assert "goal:45 명" in facts("군은 청년 일자리 사업 참여자 45명을 모집한다.")


def test_a_bare_head_needs_a_long_name_before_it(kiwi):
    assert not any(f.startswith("program:") for f in facts("군은 올해 주민참여형 사업 12건을 추진한다."))
    assert "program:마을공동체형 사업" in facts("군은 올해 마을공동체형 사업 12건을 추진한다.")


def test_a_bare_public_health_centre_names_no_body(kiwi):
    assert not any(f.startswith("agency:") for f in facts("주민들은 보건소에서 무료로 검진을 받을 수 있다."))


def test_a_count_of_a_group_is_a_statistic(kiwi):
    assert "target_group:소상공인" not in facts("시는 소상공인 수를 파악하기 위한 조사에 나섰다.")
    assert "target_group:청년" not in facts("군의 청년 수는 해마다 줄고 있다.")
