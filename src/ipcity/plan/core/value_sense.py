"""Whether a value makes sense for its indicator: the one rule both a unit's reported value (plan.services,
progress-report figures included) and the office's confirmed value (plan.confirmations) pass.

- Growth rates (年均增长率, period type average_annual_growth, or a growth-rate comparison) may fall, but not
  below -100 %: nothing shrinks by more than all of it.
- Other percentages are shares (e.g. 增加值占GDP比重): 0 to 100 %.
- Everything else is a count or a stock (件、个、家、次、人次、项、名…): never negative; a whole number where the
  unit counts things, unless the indicator is an average or a density (年均, 每万人口…), which may be fractional.

Takes any object with the indicator's name, unit, period_type and comparison (the model, or the plan file's)."""

from decimal import Decimal

# units that count things, so a count in them is a whole number
COUNTABLE_UNITS = frozenset({"件", "个", "家", "次", "人次", "项", "名", "人", "单", "所", "场", "期", "批", "部", "户",
                             "座", "支", "篇"})
# an indicator whose name says it is an average or a per-population density is fractional in any unit
FRACTIONAL_MARKS = ("每万", "每千", "每百", "每十万", "人均", "平均", "年均")
GROWTH_PERIODS = frozenset({"average_annual_growth"})
GROWTH_COMPARISONS = frozenset({"growth_rate_at_least"})
FRACTIONAL_PERIODS = frozenset({"annual_average"})
HUNDRED = Decimal(100)


def _text(value) -> str:
    return str(getattr(value, "value", value) or "")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def is_growth_rate(indicator) -> bool:
    return _text(indicator.period_type) in GROWTH_PERIODS or _text(indicator.comparison) in GROWTH_COMPARISONS


def value_problem(indicator, value) -> str | None:
    """The Chinese reason `value` cannot be `indicator`'s value, naming the indicator and the rule; None if it can.
    `value` is a finite number (the caller has parsed it)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    name, unit = indicator.name, (indicator.unit or "").strip()
    if not number.is_finite():
        return f"“{name}”的数值应为有效数字"
    if is_growth_rate(indicator):
        if number < -HUNDRED:
            return f"“{name}”是增长率，最低为-100%（减少全部），不能为{_number(number)}%"
        return None
    if unit in ("%", "％"):
        if not 0 <= number <= HUNDRED:
            return f"“{name}”是比重，应在0～100%之间，不能为{_number(number)}%"
        return None
    if number < 0:
        return f"“{name}”是数量（单位：{unit}），不能为负数{_number(number)}"
    fractional = (_text(indicator.period_type) in FRACTIONAL_PERIODS
                  or any(mark in name for mark in FRACTIONAL_MARKS))
    if unit in COUNTABLE_UNITS and not fractional and number != number.to_integral_value():
        return f"“{name}”以“{unit}”计数，应为整数，不能为{_number(number)}"
    return None
