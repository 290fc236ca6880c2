"""Open licence eligibility: a declaration is accepted only when the law allows it, and every refusal names its
legal basis."""

import datetime as dt

import pytest

from ipcity.operations.core.open_licence import Declaration, PatentFacts, refusal_reasons

TODAY = dt.date(2026, 11, 2)
GOOD = PatentFacts(patent_type="invention", granted=True, in_force=True, fees_unpaid=False,
                   exclusive_or_sole_licence_until=None, pledged=False, pledgee_consents=False, suspended=False,
                   has_evaluation_report=False)
DECLARATION = Declaration(patent_number="ZL202310012345.6", patentee="津沽理工大学", fee_method="按年支付",
                          fee_standard="每年2万元", term_until=dt.date(2029, 12, 31))


def _with(**changes):
    return PatentFacts(**{**GOOD.__dict__, **changes})


def test_a_granted_invention_in_force_with_fees_paid_may_be_declared():
    assert refusal_reasons(GOOD, DECLARATION, TODAY, term_end=dt.date(2043, 1, 5)) == []


@pytest.mark.parametrize(("facts", "basis"), [
    (_with(granted=False), "《专利法》第五十条"),
    (_with(in_force=False), "《专利法》第五十条"),
    (_with(fees_unpaid=True), "第八十六条第三项"),
    (_with(exclusive_or_sole_licence_until=dt.date(2027, 6, 30)), "第八十六条第一项"),
    (_with(pledged=True), "第八十六条第四项"),
    (_with(suspended=True), "第八十六条第二项"),
    (_with(patent_type="utility_model"), "专利权评价报告"),
    (_with(patent_type="design"), "专利权评价报告"),
])
def test_each_bar_is_refused_with_its_legal_basis(facts, basis):
    [reason] = refusal_reasons(facts, DECLARATION, TODAY)
    assert basis in reason


def test_an_expired_exclusive_licence_or_a_consenting_pledgee_does_not_bar_it():
    assert refusal_reasons(_with(exclusive_or_sole_licence_until=dt.date(2026, 11, 1)), DECLARATION, TODAY) == []
    assert refusal_reasons(_with(pledged=True, pledgee_consents=True), DECLARATION, TODAY) == []
    assert refusal_reasons(_with(patent_type="utility_model", has_evaluation_report=True), DECLARATION, TODAY) == []


def test_the_declaration_must_state_the_fee_and_stay_within_the_term():
    bare = Declaration(patent_number="ZL1", patentee="甲", fee_method="", fee_standard="", term_until=dt.date(2050, 1, 1))
    reasons = refusal_reasons(GOOD, bare, TODAY, term_end=dt.date(2043, 1, 5))
    assert any("支付方式和标准" in r for r in reasons) and any("不能超过专利权期限" in r for r in reasons)
