"""An indicator's status from its latest value, target and deadline."""

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from ipcity.plan.core.schema import Comparison


class Status(StrEnum):
    NO_DATA = "no_data"
    MET = "met"
    IN_PROGRESS = "in_progress"
    NOT_MET = "not_met"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.NO_DATA: "暂无数据",
    Status.MET: "已达标",
    Status.IN_PROGRESS: "推进中",
    Status.NOT_MET: "未达标",
}


def indicator_status(*, comparison: str, target: Decimal | None, value: Decimal | None,
                     previous_value: Decimal | None, deadline: dt.date, as_of: dt.date) -> Status:
    if value is None:
        return Status.NO_DATA
    if comparison == Comparison.INCREASE:
        if previous_value is None:
            return Status.IN_PROGRESS
        met = value > previous_value
    else:
        met = value >= target
    if met:
        return Status.MET
    return Status.NOT_MET if as_of >= deadline else Status.IN_PROGRESS
