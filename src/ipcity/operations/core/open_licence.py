"""Whether a patent may be offered under an open licence (专利开放许可), with the legal reason when not.

专利法第五十条: the patentee declares in writing, with the fee payment method and standard; a utility model or
design needs a patent right evaluation report (专利权评价报告). 专利法实施细则第八十六条 bars a declaration while an
exclusive or sole licence is in force, while the right is suspended over an ownership dispute or a preservation
order, when annual fees are unpaid, or when the right is pledged without the pledgee's consent."""

import datetime as dt
from dataclasses import dataclass

LAW_50 = "《专利法》第五十条"
RULE_86 = "《专利法实施细则》第八十六条"


@dataclass(frozen=True)
class PatentFacts:
    """What the rules need to know about a patent on a given day."""

    patent_type: str  # invention | utility_model | design
    granted: bool
    in_force: bool  # granted, in term, not terminated, invalidated or abandoned
    fees_unpaid: bool  # a fee termination not restored, or fees overdue in the grace period
    exclusive_or_sole_licence_until: dt.date | None  # the latest end of an exclusive or sole licence
    pledged: bool
    pledgee_consents: bool
    suspended: bool  # ownership dispute or preservation order (中止)
    has_evaluation_report: bool


@dataclass(frozen=True)
class Declaration:
    """The statutory items of an open licence declaration."""

    patent_number: str
    patentee: str
    fee_method: str  # 支付方式, e.g. 一次性支付 / 按年支付 / 按销售额提成
    fee_standard: str  # 支付标准, e.g. 每年2万元 / 销售额的3%
    term_until: dt.date | None  # 许可期限（不超过专利权期限）


def refusal_reasons(facts: PatentFacts, declaration: Declaration, today: dt.date,
                    term_end: dt.date | None = None) -> list[str]:
    """Every reason the declaration cannot be accepted, each with its legal basis; empty when it can."""
    reasons = []
    if not facts.granted:
        reasons.append(f"专利尚未授权，只有专利权人可以声明开放许可（{LAW_50}）")
    elif not facts.in_force:
        reasons.append(f"专利权已终止、无效或放弃，不能声明开放许可（{LAW_50}）")
    if facts.fees_unpaid:
        reasons.append(f"未按规定缴纳年费（{RULE_86}第三项）")
    if facts.exclusive_or_sole_licence_until and facts.exclusive_or_sole_licence_until >= today:
        until = facts.exclusive_or_sole_licence_until
        reasons.append(f"专利处于独占或排他许可有效期内（至{until:%Y年%m月%d日}）（{RULE_86}第一项）")
    if facts.pledged and not facts.pledgee_consents:
        reasons.append(f"专利权已质押且未经质权人同意（{RULE_86}第四项）")
    if facts.suspended:
        reasons.append(f"专利权因权属纠纷或财产保全处于中止状态（{RULE_86}第二项）")
    if facts.patent_type in ("utility_model", "design") and not facts.has_evaluation_report:
        kind = "实用新型" if facts.patent_type == "utility_model" else "外观设计"
        reasons.append(f"{kind}专利声明开放许可须提供专利权评价报告（{LAW_50}第二款）")
    if not declaration.fee_method.strip() or not declaration.fee_standard.strip():
        reasons.append(f"声明须明确许可使用费的支付方式和标准（{LAW_50}）")
    if not declaration.patentee.strip() or not declaration.patent_number.strip():
        reasons.append("声明须写明专利号和专利权人")
    if declaration.term_until and term_end and declaration.term_until > term_end:
        reasons.append(f"许可期限不能超过专利权期限（{term_end:%Y年%m月%d日}届满）")
    return reasons
