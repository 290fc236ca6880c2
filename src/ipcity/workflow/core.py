"""Workflows as data. A `Workflow` names its states (with Chinese labels), its transitions (action, label, the states
it leaves from, the state it reaches, the parties that may take it, an optional guard) and the parties themselves.
`check` says whether a party may take an action from a state, and if not, why, in Chinese. Nothing here imports
Django: the tables are tested alone, the model choices, the API's action names and docs/workflows.md derive from them.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# What a page calls a state or an action the table does not know (a value stored before the table changed): a
# neutral word, never the code itself.
UNKNOWN_LABEL = "其他"

# A guard looks at the record and says why the step cannot be taken now (None: it can).
Guard = Callable[[Any], str | None]


class TransitionError(ValueError):
    """A step the table does not allow: unknown action, wrong party, wrong state, or a missing reason."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    target: str
    parties: frozenset[str]
    needs_reason: bool = False
    guard: Guard | None = None


def step(action: str, label: str, sources: Iterable[str] | str, target: str, *, by: Iterable[str] | str,
         needs_reason: bool = False, guard: Guard | None = None) -> Transition:
    """One row of a table: `step("accept", "受理", {APPLIED}, ACCEPTED, by="mediator")`."""
    sources = {sources} if isinstance(sources, str) else set(sources)
    parties = {by} if isinstance(by, str) else set(by)
    return Transition(action, label, frozenset(str(s) for s in sources), str(target), frozenset(parties),
                      needs_reason, guard)


@dataclass(frozen=True)
class Workflow:
    name: str  # the audit trail's prefix, e.g. "protection.mediation"
    label: str  # what a person calls the record, e.g. "调解案件"
    states: Mapping[str, str]  # state -> Chinese label, in the order the record moves
    parties: Mapping[str, str]  # party -> Chinese label (who may act: "office" -> "领导小组办公室")
    transitions: tuple[Transition, ...]
    # Entries a record's own history holds that change no state (an application's submission), by label.
    records: Mapping[str, str] = field(default_factory=dict)
    by_action: Mapping[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        states = {str(k): str(v) for k, v in dict(self.states).items()}
        object.__setattr__(self, "states", states)
        by_action = {}
        for t in self.transitions:
            if t.action in by_action:
                raise ValueError(f"{self.name}: action {t.action} declared twice")
            unknown = (t.sources | {t.target}) - states.keys()
            if unknown:
                raise ValueError(f"{self.name}.{t.action}: unknown states {sorted(unknown)}")
            if t.parties - self.parties.keys():
                raise ValueError(f"{self.name}.{t.action}: unknown parties {sorted(t.parties - self.parties.keys())}")
            by_action[t.action] = t
        object.__setattr__(self, "by_action", by_action)

    # ---- derived: model choices, API action names, labels ----
    @property
    def choices(self) -> list[tuple[str, str]]:
        return list(self.states.items())

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.by_action)

    @property
    def action_labels(self) -> dict[str, str]:
        return {t.action: t.label for t in self.transitions}

    def state_label(self, state: str) -> str:
        return self.states.get(str(state), UNKNOWN_LABEL)

    def action_label(self, action: str) -> str:
        """A step's label, or a history entry's that changes no state (`records`); unknown: 其他."""
        transition = self.by_action.get(str(action))
        return transition.label if transition is not None else self.records.get(str(action), UNKNOWN_LABEL)

    # ---- checks ----
    def check(self, state: str, action: str, *, parties: Iterable[str], reason: str = "", record: Any = None) -> Transition:
        """The transition `action` names, if one of `parties` may take it from `state`; else TransitionError."""
        transition = self.by_action.get(action)
        if transition is None:
            raise TransitionError(f"未知的操作：{action}")
        if not transition.parties & set(parties):
            who = "、".join(self.parties[p] for p in sorted(transition.parties, key=list(self.parties).index))
            raise TransitionError(f"“{transition.label}”只能由{who}操作")
        state = str(state)
        if state not in transition.sources:
            allowed = "、".join(self.states[s] for s in self.states if s in transition.sources)
            raise TransitionError(f"当前状态为“{self.state_label(state)}”，不能{transition.label}（仅在{allowed}时可以）")
        if transition.needs_reason and not reason.strip():
            raise TransitionError(f"{transition.label}须填写理由")
        if transition.guard is not None and record is not None:
            problem = transition.guard(record)
            if problem:
                raise TransitionError(problem)
        return transition

    def available(self, state: str, parties: Iterable[str]) -> list[Transition]:
        """The steps these parties may take from `state` (guards are checked when the step is taken)."""
        parties = set(parties)
        return [t for t in self.transitions if str(state) in t.sources and t.parties & parties]

    def describe(self) -> str:
        """The workflow as Markdown: its states in order and each action (from, to, who, reason required)."""
        lines = [f"## {self.label}（`{self.name}`）", "", "状态：" + " → ".join(self.states.values()), "",
                 "| 操作 | 从 | 到 | 由谁 | 须填理由 |", "| --- | --- | --- | --- | --- |"]
        for t in self.transitions:
            sources = "、".join(self.states[s] for s in self.states if s in t.sources)
            who = "、".join(self.parties[p] for p in self.parties if p in t.parties)
            lines.append(f"| {t.label}（`{t.action}`） | {sources} | {self.states[t.target]} | {who} | "
                         f"{'是' if t.needs_reason else ''} |")
        return "\n".join(lines) + "\n"
