"""The plan file format `ipcity.workplan/1`: what `ipcity plan import` accepts and `plan export` prints.

Validation names the exact place and reason of every problem, e.g.
`actions[2].tasks[0].units[1]: 未知的责任单位代码 'xyz'（不在 units 中）`."""

import datetime as dt
import json
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_serializer, model_validator

from ipcity.bounds import INDICATOR_MAX, bounded_number

FORMAT = "ipcity.workplan/1"


class Comparison(StrEnum):
    AT_LEAST = "at_least"  # value >= target
    GROWTH_RATE_AT_LEAST = "growth_rate_at_least"  # growth rate (%) >= target
    INCREASE = "increase"  # each period above the previous one; no numeric target


class PeriodType(StrEnum):
    END_STATE = "end_state"  # a stock as of the deadline
    PER_YEAR = "per_year"  # counted within each calendar year
    CUMULATIVE = "cumulative"  # counted over the whole pilot
    ANNUAL_AVERAGE = "annual_average"  # the yearly counts averaged over the pilot years
    AVERAGE_ANNUAL_GROWTH = "average_annual_growth"  # compound growth over the pilot years


class DataSource(StrEnum):
    RECORDS = "records"  # computed from the platform's records
    REPORTED = "reported"  # no records can exist: the responsible unit reports the figure


class MembersClause(StrEnum):
    NONE = "none"
    ALL = "all"  # 区知识产权工作领导小组各成员单位按职责分工负责
    OTHERS = "others"  # named units, then 其他…成员单位按职责分工负责


GOAL_CODES = ("creation", "utilization", "protection", "management", "services", "culture")
ORG_TYPES = ("government_unit", "court_procuratorate")

Text = Annotated[str, Field(min_length=1)]
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=64)]
Number = Annotated[int, Field(ge=1, le=999)]  # of an action, a task or a safeguard
Target = bounded_number(label="目标值", minimum=-INDICATOR_MAX, maximum=INDICATOR_MAX, decimal_places=4)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Unit(Strict):
    code: Code
    name: Text
    full_name: str = ""
    org_type: Literal["government_unit", "court_procuratorate"] = "government_unit"


class LeadingGroup(Strict):
    name: Text
    office_name: Text
    office_host: Code
    members: list[Code]
    members_reading: str = ""


class Goal(Strict):
    code: Literal[GOAL_CODES]
    number: int = Field(ge=1, le=6)
    name: Text
    text: str = ""
    qualitative: list[Text] = []


class Indicator(Strict):
    code: Code
    goal: Literal[GOAL_CODES]
    name: Text
    target: Target | None
    unit: Text
    comparison: Comparison
    period_type: PeriodType
    deadline: dt.date
    source_sentence: str = ""
    key_tasks: list[Number] = []
    data_source: DataSource = DataSource.RECORDS
    reading: str = ""

    @field_serializer("target", when_used="json")
    def _target_as_number(self, target: Decimal | None):
        if target is None:
            return None
        return int(target) if target == target.to_integral_value() else float(target)

    @model_validator(mode="after")
    def _target_matches_comparison(self):
        if self.comparison == Comparison.INCREASE and self.target is not None:
            raise ValueError("比较方式为 increase（逐年增长）时不设目标值，target 应为 null")
        if self.comparison != Comparison.INCREASE and self.target is None:
            raise ValueError(f"比较方式为 {self.comparison.value} 时必须给出目标值 target")
        if self.comparison == Comparison.GROWTH_RATE_AT_LEAST and self.period_type != PeriodType.AVERAGE_ANNUAL_GROWTH:
            raise ValueError("增长率指标的 period_type 应为 average_annual_growth")
        return self


class UnitAssignment(Strict):
    units_text: str = ""
    units: list[Code] = []
    members_clause: MembersClause = MembersClause.NONE

    @model_validator(mode="after")
    def _someone_is_responsible(self):
        if not self.units and self.members_clause != MembersClause.ALL:
            raise ValueError("至少需要一个责任单位，或 members_clause 为 all")
        if len(set(self.units)) != len(self.units):
            raise ValueError("责任单位重复")
        return self


class KeyTask(UnitAssignment):
    number: Number
    title: Text
    text: str = ""


class Action(Strict):
    number: Number
    numeral: Text
    title: Text
    tasks: list[KeyTask]


class Safeguard(UnitAssignment):
    code: Code
    number: Number
    numeral: Text
    title: Text
    text: str = ""


class WorkPlan(Strict):
    format: Literal[FORMAT]
    code: Code
    version: int = Field(ge=1, le=2**31 - 1)
    title: Text
    document_number: str = ""
    issuer: str = ""
    issued_on: dt.date | None = None
    region: str = ""
    basis: str = ""
    period_start: dt.date
    period_end: dt.date
    overall_goal: str = ""
    units: list[Unit] = Field(min_length=1)
    leading_group: LeadingGroup
    goals: list[Goal]
    indicators: list[Indicator]
    actions: list[Action]
    safeguards: list[Safeguard]

    @model_validator(mode="after")
    def _references_resolve(self):
        problems: list[str] = []
        if self.period_end <= self.period_start:
            problems.append("period_end: 试点结束日期必须晚于开始日期")
        _unique(problems, "units", [u.code for u in self.units], "单位代码")
        _unique(problems, "units", [u.name for u in self.units], "单位名称")
        unit_codes = {u.code for u in self.units}
        if self.leading_group.office_host not in unit_codes:
            problems.append(f"leading_group.office_host: 未知的单位代码 {self.leading_group.office_host!r}（不在 units 中）")
        for i, code in enumerate(self.leading_group.members):
            if code not in unit_codes:
                problems.append(f"leading_group.members[{i}]: 未知的单位代码 {code!r}（不在 units 中）")
        _unique(problems, "goals", [g.code for g in self.goals], "目标领域代码")
        goal_codes = {g.code for g in self.goals}
        _unique(problems, "indicators", [i.code for i in self.indicators], "指标代码")
        tasks = [t for a in self.actions for t in a.tasks]
        _unique(problems, "actions", [a.number for a in self.actions], "行动序号")
        _unique(problems, "actions[].tasks", [t.number for t in tasks], "重点任务序号")
        task_numbers = {t.number for t in tasks}
        for i, ind in enumerate(self.indicators):
            if ind.goal not in goal_codes:
                problems.append(f"indicators[{i}].goal: 未知的目标领域 {ind.goal!r}（不在 goals 中）")
            if not (self.period_start <= ind.deadline <= self.period_end):
                problems.append(f"indicators[{i}].deadline: {ind.deadline} 不在试点期 {self.period_start}～{self.period_end} 内")
            for j, n in enumerate(ind.key_tasks):
                if n not in task_numbers:
                    problems.append(f"indicators[{i}].key_tasks[{j}]: 不存在编号为 {n} 的重点任务")
        for a_i, action in enumerate(self.actions):
            for t_i, task in enumerate(action.tasks):
                for u_i, code in enumerate(task.units):
                    if code not in unit_codes:
                        problems.append(f"actions[{a_i}].tasks[{t_i}].units[{u_i}]: 未知的责任单位代码 {code!r}（不在 units 中）")
        for s_i, sg in enumerate(self.safeguards):
            for u_i, code in enumerate(sg.units):
                if code not in unit_codes:
                    problems.append(f"safeguards[{s_i}].units[{u_i}]: 未知的责任单位代码 {code!r}（不在 units 中）")
        if problems:
            raise ValueError("；".join(problems))
        return self


def _unique(problems: list[str], where: str, values: list, what: str) -> None:
    seen = set()
    for v in values:
        if v in seen:
            problems.append(f"{where}: {what} {v!r} 重复")
        seen.add(v)


class PlanFormatError(ValueError):
    """A plan file that cannot be loaded; `problems` lists each place and reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("计划文件有误：\n" + "\n".join(f"- {p}" for p in problems))


def _location(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and not part.startswith(("function-", "literal[", "decimal", "date", "int")):
            out += ("." if out else "") + part
    return out or "(根)"


def parse_plan(raw: str | bytes | dict) -> WorkPlan:
    """Parse and fully validate a plan; raises PlanFormatError naming every problem."""
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise PlanFormatError([f"不是有效的 JSON：{exc}"]) from None
    if not isinstance(raw, dict):
        raise PlanFormatError(["(根): 计划文件应为 JSON 对象"])
    if raw.get("format") != FORMAT:
        raise PlanFormatError([f"format: 应为 {FORMAT!r}，实际为 {raw.get('format')!r}"])
    try:
        return WorkPlan.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            message = err["msg"].removeprefix("Value error, ")
            location = _location(err["loc"])
            if location == "(根)" and "；" in message:
                problems.extend(message.split("；"))
            else:
                problems.append(f"{location}: {message}")
        raise PlanFormatError(problems) from None


def dump_plan(plan: WorkPlan) -> str:
    return json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, indent=1)
