"""Scoring responsible units (考核评价) from the supervision records. The scheme's weights are data; every
component is a share between 0 and 1, so a unit's score is the weighted sum out of 100.

- timeliness: of the unit's reporting obligations due by the as-of date, the share met on time. The obligations
  are each item's feedback by its deadline (an item past its deadline and still unreported counts as late, so it
  lowers the score the day it lapses) and each periodic report of the schedule past its due date;
- completion: of those items, the share closed (办结);
- indicators: over the indicators tied to the unit's items, 1 for 已达标, 0.5 for 推进中, 0 otherwise;
- office: the leading group office's own rating, 0–100.

A unit with nothing to assess in the year (no item due, no indicator, no office rating) has no score and is not
ranked: it shows 不参与排名（无考核事项）, never a score of 100 for doing nothing. A unit the office leaves out of the
ranking (courts and procuratorates by default) keeps its score for reference but takes no place."""

import datetime as dt
from dataclasses import dataclass, field

DEFAULT_WEIGHTS = {"timeliness": 30, "completion": 40, "indicators": 20, "office": 10}
COMPONENT_LABELS = {"timeliness": "报送及时性", "completion": "事项完成率", "indicators": "指标贡献", "office": "办公室评价"}
STATUS_CREDIT = {"met": 1.0, "in_progress": 0.5}
LAGGING_BELOW = 60  # a unit scoring under this is named in the bulletin and is a candidate for 约谈
NOTHING_TO_ASSESS = "nothing_to_assess"
LEFT_OUT = "left_out"
NOT_RANKED_LABELS = {NOTHING_TO_ASSESS: "不参与排名（无考核事项）", LEFT_OUT: "不参与排名（办公室设定）"}


@dataclass(frozen=True)
class ItemFacts:
    deadline: dt.date
    first_reported: dt.date | None
    closed: bool
    periodic_on_time: tuple[bool, ...] = ()  # one flag per periodic report due by the as-of date


@dataclass
class UnitScore:
    unit: str
    components: dict[str, float | None] = field(default_factory=dict)  # share 0..1, None when nothing to judge
    total: float | None = 0.0  # None: nothing to assess
    rank: int | None = 0  # None: not ranked (see not_ranked)
    not_ranked: str = ""  # "", NOTHING_TO_ASSESS or LEFT_OUT

    @property
    def ranked(self) -> bool:
        return not self.not_ranked

    @property
    def not_ranked_label(self) -> str:
        return NOT_RANKED_LABELS.get(self.not_ranked, "")

    @property
    def lagging(self) -> bool:
        return self.ranked and self.total is not None and self.total < LAGGING_BELOW


def check_weights(weights: dict[str, float]) -> list[str]:
    problems = [f"未知的评分项：{k}" for k in weights if k not in DEFAULT_WEIGHTS]
    problems += [f"缺少评分项：{k}" for k in DEFAULT_WEIGHTS if k not in weights]
    if any(v < 0 for v in weights.values()):
        problems.append("权重不能为负数")
    if abs(sum(weights.values()) - 100) > 1e-9:
        problems.append(f"权重之和应为100，实际为{sum(weights.values()):g}")
    return problems


def score_unit(*, unit: str, items: list[ItemFacts], indicator_statuses: list[str], office_rating: float | None,
               weights: dict[str, float], as_of: dt.date) -> UnitScore:
    due = [i for i in items if i.deadline <= as_of]
    obligations = [bool(i.first_reported and i.first_reported <= i.deadline) for i in due]
    obligations += [flag for i in items for flag in i.periodic_on_time]
    components: dict[str, float | None] = {
        "timeliness": (sum(obligations) / len(obligations)) if obligations else None,
        "completion": (sum(1 for i in due if i.closed) / len(due)) if due else None,
        "indicators": (sum(STATUS_CREDIT.get(s, 0.0) for s in indicator_statuses) / len(indicator_statuses))
        if indicator_statuses else None,
        "office": office_rating / 100 if office_rating is not None else None,
    }
    if all(v is None for v in components.values()):
        return nothing_to_assess(unit)
    # A component with nothing to judge yet gives full marks rather than punishing a unit for it.
    total = sum(weights[k] * (1.0 if v is None else v) for k, v in components.items())
    return UnitScore(unit=unit, components=components, total=round(total, 2))


def nothing_to_assess(unit: str) -> UnitScore:
    return UnitScore(unit=unit, components=dict.fromkeys(DEFAULT_WEIGHTS), total=None, rank=None,
                     not_ranked=NOTHING_TO_ASSESS)


def rank(scores: list[UnitScore], left_out: frozenset[str] | set[str] = frozenset()) -> list[UnitScore]:
    """Ranks the units with a score that the office has not left out; the others follow, unranked, by name."""
    for score in scores:
        if score.total is None:
            score.not_ranked = NOTHING_TO_ASSESS
        elif score.unit in left_out:
            score.not_ranked = LEFT_OUT
    ranked = sorted((s for s in scores if s.ranked), key=lambda s: (-s.total, s.unit))
    for position, score in enumerate(ranked, start=1):
        score.rank = position
    others = sorted((s for s in scores if not s.ranked), key=lambda s: (s.total is None, s.unit))
    for score in others:
        score.rank = None
    return ranked + others
