"""The indicator report at any as-of date: .xlsx with every indicator by quarter, .docx with a narrative and tables."""

import datetime as dt
from decimal import Decimal

from ipcity.plan.models import IndicatorValue
from ipcity.stats.selectors import indicator_table, synthetic_registry
from ipcity.web.spreadsheets import DOCX_TYPE, DocxReport, xlsx_bytes

__all__ = ["DOCX_TYPE", "indicator_report_docx", "indicator_report_xlsx"]


def quarter_ends(start: dt.date, as_of: dt.date) -> list[dt.date]:
    ends = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while True:
        month = quarter * 3
        end = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        if end > as_of:
            if not ends or ends[-1] < as_of:
                ends.append(as_of)
            return ends
        ends.append(end)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _number(value) -> str:
    if value is None:
        return "—"
    text = format(Decimal(value).normalize(), "f") if isinstance(value, Decimal) else f"{value:.2f}"
    return text


def _quarter_values(plan, as_of: dt.date) -> tuple[list[dt.date], dict[str, list]]:
    days = quarter_ends(plan.period_start, as_of)
    values: dict[str, list] = {}
    for day in days:
        for row in indicator_table(plan=plan, as_of=day):
            latest = row["latest"]
            values.setdefault(row["indicator"].code, []).append(latest.value if latest else None)
    return days, values


def indicator_report_xlsx(*, plan, as_of: dt.date) -> bytes:
    rows = indicator_table(plan=plan, as_of=as_of, with_forecast=True)
    days, by_quarter = _quarter_values(plan, as_of)
    headers = ["目标领域", "指标", "目标", "期间", "截止日期", "数据来源"] + [f"{d:%Y-%m-%d}" for d in days] + [
        "状态", "截止日预测", "预测下限", "预测上限", "风险", "计算说明"]
    table = []
    for row in rows:
        indicator, forecast = row["indicator"], row.get("forecast")
        table.append([indicator.goal.name, indicator.name, indicator.target_display, indicator.get_period_type_display(),
                      indicator.deadline, "由记录计算" if row.get("computed") else indicator.get_data_source_display(),
                      *by_quarter[indicator.code], row["status"].label,
                      round(forecast["forecast"].projected, 2) if forecast else None,
                      round(forecast["forecast"].low, 2) if forecast else None,
                      round(forecast["forecast"].high, 2) if forecast else None,
                      forecast["risk_label"] if forecast else "", (row["computed"].note or "") if row.get("computed") else ""])
    notes = [["报告", f"{plan.title}指标监测报告"], ["截至日期", as_of], ["方案", f"{plan.document_number}（第{plan.version}版）"],
             ["说明", "按季度末列出各指标值；“由记录计算”的数值依据登记数据按口径计算，其余为责任单位报送值。"]]
    if synthetic_registry() or IndicatorValue.objects.filter(is_synthetic=True).exists():
        notes.append(["注意", "本报告包含演示用合成数据，非真实统计。"])
    return xlsx_bytes([("指标（按季度）", headers, table), ("说明", ["项目", "内容"], notes)])


def indicator_report_docx(*, plan, as_of: dt.date) -> bytes:
    rows = indicator_table(plan=plan, as_of=as_of, with_forecast=True)
    document = DocxReport()
    document.heading(f"{plan.region}知识产权强市建设试点指标监测报告", level=0, align="center")
    document.paragraph(f"依据：{plan.title}（{plan.document_number}）    截至：{as_of:%Y年%m月%d日}")
    if synthetic_registry() or IndicatorValue.objects.filter(is_synthetic=True).exists():
        document.paragraph("注意：本报告包含演示用合成数据，非真实统计。")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"].label] = counts.get(row["status"].label, 0) + 1
    document.heading("一、总体情况", level=1)
    summary = "、".join(f"{label}{n}项" for label, n in counts.items())
    risky = [r for r in rows if r.get("forecast") and r["forecast"]["risk"] != "on_track"]
    document.paragraph(
        f"方案共设量化指标{len(rows)}项。截至{as_of:%Y年%m月%d日}，{summary}。"
        + (f"按当前趋势，有{len(risky)}项指标到期达标存在风险：{'、'.join(r['indicator'].name for r in risky)}。"
           if risky else "按当前趋势，各项有预测的指标均预计到期达标。"))
    for number, goal in enumerate(plan.goals.all(), start=1):
        goal_rows = [r for r in rows if r["indicator"].goal_id == goal.pk]
        if not goal_rows:
            continue
        document.heading(f"{'二三四五六七'[number - 1]}、{goal.name}", level=1)
        for row in goal_rows:
            document.paragraph(_sentence(row, as_of), style="List Bullet")
        table = []
        for row in goal_rows:
            forecast = row.get("forecast")
            table.append([row["indicator"].name, row["indicator"].target_display,
                          _number(row["latest"].value) if row["latest"] else "暂无数据", row["status"].label,
                          f"{forecast['forecast'].projected:.1f}" if forecast else "—",
                          forecast["risk_label"] if forecast else "—"])
        document.table(["指标", "目标", "当前值", "状态", "截止日预测", "风险"], table)
    document.heading("附：数据来源与口径", level=1)
    document.paragraph("由登记记录计算的指标依据平台专利、商标、质押、保险等登记数据按方案口径计算，可在平台“数据明细”中查看并下载所依据的记录；"
                       "其余指标为责任单位报送值。预测方法见各指标说明。本报告由平台生成，办公室可在发布前编辑。")
    return document.bytes()


def _sentence(row, as_of: dt.date) -> str:
    indicator, latest, forecast = row["indicator"], row["latest"], row.get("forecast")
    if latest is None:
        return f"{indicator.name}：暂无数据（目标{indicator.target_display}）。"
    text = f"{indicator.name}为{_number(latest.value)}{indicator.unit}（目标{indicator.target_display}），{row['status'].label}"
    if indicator.target:
        share = float(latest.value) / float(indicator.target) * 100
        text += f"，完成目标的{share:.1f}%"
    if forecast:
        text += f"；预计{indicator.deadline:%Y年%m月%d日}达到{forecast['forecast'].projected:.1f}{indicator.unit}，{forecast['risk_label']}"
    return text + "。"
