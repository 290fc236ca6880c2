"""Credit supervision rules: when an organization goes on the dishonesty list (失信名单), on what legal basis, for
how long and with which joint punishment measures; and when it may apply for credit repair. The rules are data,
decided from facts the office records (penalty decisions and their nature), with dates passed in."""

import datetime as dt
from dataclasses import dataclass

BASIS_MARKET = "《市场监督管理严重违法失信名单管理办法》"
BASIS_IP = "《国家知识产权局知识产权信用管理规定》"
LISTING_YEARS = 3
REPAIR_AFTER_YEARS = 1
MEASURES = ("在政府资金项目申报、评优评先中予以限制", "列为重点监管对象，提高抽查比例和频次",
            "依法限制参与政府采购和招标投标", "通过信用平台向社会公示")


@dataclass(frozen=True)
class Penalty:
    """An administrative penalty decision for an IP violation."""

    reference: str
    decided_on: dt.date
    infringement: bool  # patent or trademark infringement
    intentional: bool  # found intentional in the decision
    serious: bool  # a serious violation (e.g. fraud, abnormal filings, refusing enforcement)


@dataclass(frozen=True)
class Grounds:
    code: str
    label: str
    basis: str
    penalties: tuple[str, ...]


# Each ground for listing, by its code (the listing stores the code; a person reads the label).
GROUND_LABELS = {
    "repeat_infringement": "五年内两次以上因侵犯知识产权受到行政处罚（重复侵权）",
    "intentional_infringement": "故意侵犯知识产权",
    "serious_violation": "严重违法失信行为",
}


def listing_grounds(penalties: list[Penalty], today: dt.date) -> list[Grounds]:
    """The grounds that put an organization on the list today (empty: no listing), each with its basis."""
    recent = [p for p in penalties if p.decided_on <= today and (today - p.decided_on).days <= 5 * 365]
    grounds = []
    infringements = [p for p in recent if p.infringement]
    if len(infringements) >= 2:
        grounds.append(Grounds("repeat_infringement", GROUND_LABELS["repeat_infringement"], BASIS_IP,
                               tuple(p.reference for p in infringements)))
    intentional = [p for p in recent if p.infringement and p.intentional]
    if intentional:
        grounds.append(Grounds("intentional_infringement", GROUND_LABELS["intentional_infringement"], BASIS_IP,
                               tuple(p.reference for p in intentional)))
    serious = [p for p in recent if p.serious]
    if serious:
        grounds.append(Grounds("serious_violation", GROUND_LABELS["serious_violation"], BASIS_MARKET, tuple(p.reference for p in serious)))
    return grounds


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def listing_period(listed_on: dt.date) -> tuple[dt.date, dt.date]:
    return listed_on, add_years(listed_on, LISTING_YEARS)


def repair_problems(*, listed_on: dt.date, today: dt.date, penalties_fulfilled: bool, new_violations: bool,
                    commitment_signed: bool) -> list[str]:
    """Why a repair application cannot be granted yet (empty: it can)."""
    problems = []
    if today < add_years(listed_on, REPAIR_AFTER_YEARS):
        problems.append(f"列入名单满{REPAIR_AFTER_YEARS}年后方可申请信用修复（{add_years(listed_on, REPAIR_AFTER_YEARS):%Y年%m月%d日}起）")
    if not penalties_fulfilled:
        problems.append("尚未履行行政处罚决定规定的义务")
    if new_violations:
        problems.append("列入名单后又有新的违法失信行为")
    if not commitment_signed:
        problems.append("尚未作出信用承诺")
    return problems
