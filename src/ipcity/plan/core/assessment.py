"""Scoring responsible units (考核评价) from the supervision records. The scheme's weights are data; every
component is a share between 0 and 1, so a unit's score is the weighted sum out of 100.

- timeliness: of the unit's reporting obligations due by the as-of date, the share met on time. The obligations
  are each item's feedback by its deadline (an item past its deadline and still unreported counts as late, so it
  lowers the score the day it lapses) and each periodic report of the schedule past its due date;
- completion: of those items, the share closed (办结);
- indicators: over the indicators tied to the unit's items, 1 for 已达标, 0.5 for 推进中, 0 otherwise;
- office: the leading group office's own rating, 0–100."""

import datetime as dt
from dataclasses import dataclass, field

DEFAULT_WEIGHTS = {"timeliness": 30, "completion": 40, "indicators": 20, "office": 10}
COMPONENT_LABELS = {"timeliness": "报送及时性", "completion": "事项完成率", "indicators": "指标贡献", "office": "办公室评价"}
STATUS_CREDIT = {"met": 1.0, "in_progress": 0.5}
LAGGING_BELOW = 60  # a unit scoring under this is named in the bulletin and is a candidate for 约谈


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
    total: float = 0.0
    rank: int = 0


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
    # A component with nothing to judge yet gives full marks rather than punishing a unit with no due items.
    total = sum(weights[k] * (1.0 if v is None else v) for k, v in components.items())
    return UnitScore(unit=unit, components=components, total=round(total, 2))


def rank(scores: list[UnitScore]) -> list[UnitScore]:
    ordered = sorted(scores, key=lambda s: (-s.total, s.unit))
    for position, score in enumerate(ordered, start=1):
        score.rank = position
    return ordered
