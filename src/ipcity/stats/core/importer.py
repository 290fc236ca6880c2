"""Turning a CSV/XLSX export into clean rows, or into a list of every problem with row, column, value and reason.

A spec names each field, the Chinese column headers it may appear under (CNIPA's search exports and the
common commercial databases; see docs/data-formats.md), how to parse it, and whether it is required.
Nothing here touches the database: the Django service stores the rows only when there is no problem."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ipcity.bounds import WAN_YUAN_MAX, YEARS, YUAN_MAX, DecimalRule, NumberRefused
from ipcity.inputs import control_character_problem
from ipcity.stats.core.records import EventType, PatentType
from ipcity.stats.core.tabular import Table, TableError, read_table


class CellError(ValueError):
    pass


@dataclass(frozen=True)
class Problem:
    row: int | None  # None for a problem with the file or its headers
    column: str
    value: str
    reason: str

    def __str__(self):
        where = f"第{self.row}行" if self.row is not None else "文件"
        column = f"“{self.column}”列" if self.column else ""
        value = f"（值：{self.value}）" if self.value else ""
        return f"{where}{column}{value}：{self.reason}"


@dataclass(frozen=True)
class Column:
    field: str
    headers: tuple[str, ...]
    parse: Callable[[str], object]
    required: bool = False


@dataclass(frozen=True)
class Spec:
    kind: str
    label: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # fields that identify a row; a repeat within the file is a problem
    check: Callable[[dict], str | None] = field(default=lambda row: None)  # cross-field rule, returns a reason


@dataclass
class Parsed:
    rows: list[dict]  # each with "_row": its row number in the file
    problems: list[Problem]
    encoding: str = ""


# ---- cell parsers: each returns a value or raises CellError with the reason in Chinese ----

def text(value: str) -> str:
    return value.strip()


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def date(value: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    iso = _ISO_DAY.fullmatch(value)  # most cells: read without strptime (a tenth of its time)
    if iso:
        try:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            pass  # 2024-13-01: refused below, with the same words
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CellError("不是有效日期（应为 2024-03-01、2024/3/1 或 20240301 等格式）")


def _bounded(rule: DecimalRule) -> Callable[[str], Decimal | None]:
    """A parser for numbers within `rule` (ipcity.bounds): what the column holds and what makes sense."""
    def parse(value: str) -> Decimal | None:
        value = value.strip().replace(",", "").replace("，", "")
        if not value:
            return None
        try:
            return rule.check(value)
        except NumberRefused as refused:
            raise CellError(str(refused)) from None
    return parse


decimal = _bounded(DecimalRule(label="", minimum=Decimal(0), maximum=YUAN_MAX, decimal_places=2))  # 元
_wan_yuan = _bounded(DecimalRule(label="", minimum=Decimal(0), maximum=WAN_YUAN_MAX, decimal_places=6))
ten_thousand_residents = _bounded(DecimalRule(label="", minimum=Decimal("0.01"), maximum=Decimal(100_000),
                                              decimal_places=2))  # 万人: up to 十亿


def ten_thousand_yuan(value: str) -> Decimal | None:
    number = _wan_yuan(value)
    return None if number is None else (number * 10000).quantize(Decimal("0.01"))


def integer_year(value: str) -> int:
    if not re.fullmatch(r"\d{4}", value.strip()) or not 1949 <= int(value) <= YEARS[1]:
        raise CellError(f"应为1949～{YEARS[1]}之间的四位年份")
    return int(value)


def yes_no(value: str) -> bool:
    value = value.strip()
    if value in {"是", "Y", "y", "1", "true", "TRUE", "√"}:
        return True
    if value in {"", "否", "N", "n", "0", "false", "FALSE"}:
        return False
    raise CellError("应为“是”或“否”")


_APPLICATION_NUMBER = re.compile(r"\d{8}\.[\dX]|\d{12}\.[\dX]")
_WITHOUT_DOT = re.compile(r"\d{8}[\dX]|\d{12}[\dX]")
_SPACE = re.compile(r"\s")
_PREFIX = re.compile(r"^(CN|ZL)")


def application_number(value: str) -> str:
    """CNIPA application numbers: 8 or 12 digits and a check character, written with or without CN/ZL and the dot."""
    if _APPLICATION_NUMBER.fullmatch(value):
        return value  # already as stored
    compact = _PREFIX.sub("", _SPACE.sub("", value).upper())
    if _WITHOUT_DOT.fullmatch(compact):
        compact = compact[:-1] + "." + compact[-1]
    if not _APPLICATION_NUMBER.fullmatch(compact):
        raise CellError("不是有效的专利申请号（应为8位或12位数字加校验位，如 202310012345.6）")
    return compact


PATENT_TYPE_WORDS = {
    "发明": PatentType.INVENTION, "发明专利": PatentType.INVENTION, "发明申请": PatentType.INVENTION,
    "发明授权": PatentType.INVENTION, "invention": PatentType.INVENTION,
    "实用新型": PatentType.UTILITY_MODEL, "实用新型专利": PatentType.UTILITY_MODEL, "utility_model": PatentType.UTILITY_MODEL,
    "外观设计": PatentType.DESIGN, "外观设计专利": PatentType.DESIGN, "外观": PatentType.DESIGN, "design": PatentType.DESIGN,
}


def patent_type(value: str) -> PatentType:
    try:
        return PATENT_TYPE_WORDS[value.strip()]
    except KeyError:
        raise CellError("未知的专利类型（应为 发明、实用新型 或 外观设计）") from None


EVENT_WORDS = {
    "授权": EventType.GRANT, "专利权授予": EventType.GRANT,
    "未缴年费专利权终止": EventType.FEE_TERMINATION, "未缴年费终止": EventType.FEE_TERMINATION,
    "专利权的终止": EventType.FEE_TERMINATION, "年费终止": EventType.FEE_TERMINATION,
    "专利权的恢复": EventType.RESTORATION, "恢复": EventType.RESTORATION, "权利恢复": EventType.RESTORATION,
    "全部无效": EventType.INVALIDATION_FULL, "宣告专利权全部无效": EventType.INVALIDATION_FULL,
    "部分无效": EventType.INVALIDATION_PARTIAL, "宣告专利权部分无效": EventType.INVALIDATION_PARTIAL,
    "期限届满": EventType.EXPIRY, "专利权期满终止": EventType.EXPIRY,
    "放弃": EventType.ABANDONMENT, "避免重复授权放弃专利权": EventType.ABANDONMENT, "主动放弃专利权": EventType.ABANDONMENT,
    "专利权的转移": EventType.TRANSFER, "转让": EventType.TRANSFER, "专利申请权、专利权的转移": EventType.TRANSFER,
    "专利实施许可合同备案的生效": EventType.LICENCE, "许可": EventType.LICENCE, "实施许可": EventType.LICENCE,
    "专利权质押合同登记的生效": EventType.PLEDGE, "质押": EventType.PLEDGE, "质押登记": EventType.PLEDGE,
    "专利权质押合同登记的注销": EventType.PLEDGE_RELEASE, "质押注销": EventType.PLEDGE_RELEASE, "解除质押": EventType.PLEDGE_RELEASE,
    "开放许可声明": EventType.OPEN_LICENCE, "开放许可": EventType.OPEN_LICENCE,
    "开放许可声明撤回": EventType.OPEN_LICENCE_WITHDRAWN, "撤回开放许可": EventType.OPEN_LICENCE_WITHDRAWN,
    "同族境外公开": EventType.FAMILY_ABROAD, "境外同族": EventType.FAMILY_ABROAD,
    "获奖": EventType.AWARD, "中国专利奖": EventType.AWARD, "国家科学技术奖": EventType.AWARD,
}


def event_type(value: str) -> EventType:
    word = value.strip()
    if word in EVENT_WORDS:
        return EVENT_WORDS[word]
    if word in EventType.__members__.values():
        return EventType(word)
    raise CellError(f"未知的法律事件（可用：{'、'.join(sorted(set(EVENT_WORDS)))}）")


_LIST_SEPARATORS = re.compile(r"[;；,，|\n]+")


def code_list(value: str) -> tuple[str, ...]:
    """A list in one cell, separated by ; ， , | or line breaks (not spaces: IPC codes contain them)."""
    return tuple(code for code in map(str.strip, _LIST_SEPARATORS.split(value)) if code)


_SPACES = re.compile(r"\s+")


def ipc_list(value: str) -> tuple[str, ...]:
    return tuple(_SPACES.sub("", c).upper() for c in code_list(value))


def application_numbers(value: str) -> tuple[str, ...]:
    return tuple(application_number(v) for v in code_list(value))


def policy_kind(value: str) -> str:
    word = value.strip()
    if "保护" in word or "侵权" in word or "维权" in word:
        return "protection_insurance"
    if word:
        return "patent_insurance"
    raise CellError("请填写险种")


# ---- specs ----

def _patent_check(row: dict) -> str | None:
    if row.get("grant_date") and row["grant_date"] < row["filing_date"]:
        return "授权公告日早于申请日"
    return None


PATENTS = Spec("patents", "专利", (
    Column("application_number", ("申请号", "专利申请号", "申请号/专利号", "专利号"), application_number, required=True),
    Column("filing_date", ("申请日",), date, required=True),
    Column("patent_type", ("专利类型", "类型"), patent_type, required=True),
    Column("title", ("发明名称", "名称", "标题", "专利名称"), text, required=True),
    Column("abstract", ("摘要",), text),
    Column("applicants", ("申请人", "申请(专利权)人", "申请（专利权）人"), code_list),
    Column("patentee", ("专利权人", "当前权利人", "权利人"), text),
    Column("address", ("专利权人地址", "申请人地址", "地址", "当前权利人地址"), text),
    Column("main_ipc", ("主分类号", "IPC主分类", "主IPC"), lambda v: _SPACES.sub("", v).upper()),
    Column("ipc_codes", ("IPC分类号", "IPC", "分类号"), ipc_list),
    Column("grant_date", ("授权公告日", "授权日"), date),
    Column("legal_status", ("法律状态", "当前法律状态"), text),
), key=("application_number",), check=_patent_check)

EVENTS = Spec("events", "法律事件", (
    Column("application_number", ("申请号", "专利申请号", "专利号"), application_number, required=True),
    Column("event_type", ("法律事件", "事件类型", "法律状态"), event_type, required=True),
    Column("date", ("生效日", "事件日期", "法律状态公告日", "日期"), date, required=True),
    Column("amount", ("金额", "质押金额（元）", "金额（元）"), decimal),
    Column("counterparty", ("相对方", "受让人", "被许可人", "质权人"), text),
    Column("new_owner_address", ("受让人地址", "新权利人地址"), text),
), key=("application_number", "event_type", "date"))

TRADEMARKS = Spec("trademarks", "商标", (
    Column("registration_number", ("注册号", "申请号/注册号", "商标注册号"), text, required=True),
    Column("name", ("商标名称", "商标"), text),
    Column("nice_class", ("类别", "国际分类"), text),
    Column("holder", ("注册人", "申请人", "商标权人"), text),
    Column("address", ("注册人地址", "申请人地址", "地址"), text),
    Column("filing_date", ("申请日",), date),
    Column("registration_date", ("注册日", "注册公告日"), date),
    Column("valid_until", ("专用权期限至", "有效期至", "专用期限截止日"), date),
    Column("cancelled_on", ("注销日", "无效日", "撤销日"), date),
    Column("madrid_filing_date", ("马德里申请日", "马德里国际注册申请日"), date),
    Column("well_known", ("驰名商标",), yes_no),
    Column("time_honored", ("老字号",), yes_no),
), key=("registration_number",))

PLEDGES = Spec("pledges", "质押登记", (
    Column("reference", ("质押登记号", "登记号"), text, required=True),
    Column("pledgor", ("出质人",), text, required=True),
    Column("address", ("出质人地址",), text),
    Column("pledgee", ("质权人",), text),
    Column("amount", ("质押金额（元）", "质押金额", "金额（元）"), decimal),
    Column("amount_10k", ("质押金额（万元）", "金额（万元）"), ten_thousand_yuan),
    Column("registered_on", ("登记日", "生效日"), date, required=True),
    Column("released_on", ("注销日", "解除日"), date),
    Column("patents", ("涉及专利", "专利申请号", "申请号"), application_numbers),
    Column("trademarks", ("涉及商标", "商标注册号"), code_list),
), key=("reference",), check=lambda r: None if (r.get("amount") is not None or r.get("amount_10k") is not None)
    else "须填写质押金额（元）或质押金额（万元）")

POPULATION = Spec("population", "常住人口", (
    Column("year", ("年份", "年度"), integer_year, required=True),
    Column("residents_10k", ("年末常住人口（万人）", "常住人口（万人）", "年末常住人口"), ten_thousand_residents,
           required=True),
    Column("source", ("来源", "数据来源"), text, required=True),
), key=("year",))

SEI_IPC = Spec("sei", "战略性新兴产业与IPC对照", (
    Column("ipc", ("IPC", "国际专利分类号", "IPC分类号"), text, required=True),
    Column("industry", ("战略性新兴产业", "产业", "产业分类"), text, required=True),
), key=("ipc",))

POLICIES = Spec("policies", "专利保险保单", (
    Column("policy_number", ("保单号",), text, required=True),
    Column("kind", ("险种",), policy_kind, required=True),
    Column("insured", ("投保人", "被保险人"), text, required=True),
    Column("address", ("投保人地址", "被保险人地址", "地址"), text),
    Column("insurer", ("保险公司", "承保机构"), text),
    Column("start_date", ("起保日", "生效日"), date, required=True),
    Column("sum_insured", ("保额（元）", "保险金额（元）"), decimal),
), key=("policy_number",))

SECURITIZATIONS = Spec("securitizations", "知识产权证券化产品", (
    Column("name", ("产品名称",), text, required=True),
    Column("issued_on", ("发行日", "设立日"), date, required=True),
    Column("amount", ("发行规模（元）", "金额（元）"), decimal),
    Column("underlying", ("基础资产", "底层知识产权"), text),
), key=("name",))

def copyright_kind(value: str) -> str:
    word = value.strip()
    if "软件" in word:
        return "software"
    if word in {"作品", "作品登记", "work"} or word.endswith("作品"):
        return "work"
    raise CellError("应为“作品”或“计算机软件”")


GI_KINDS = {"地理标志产品": "product", "地理标志集体商标": "collective_mark", "集体商标": "collective_mark",
            "地理标志证明商标": "certification_mark", "证明商标": "certification_mark"}


def gi_kind(value: str) -> str:
    try:
        return GI_KINDS[value.strip()]
    except KeyError:
        raise CellError(f"未知的地理标志类别（可用：{'、'.join(GI_KINDS)}）") from None


COPYRIGHTS = Spec("copyrights", "著作权登记", (
    Column("registration_number", ("登记号", "登记证书号"), text, required=True),
    Column("kind", ("类别", "登记类别"), copyright_kind, required=True),
    Column("title", ("作品名称", "软件名称", "名称"), text, required=True),
    Column("work_type", ("作品类别",), text),
    Column("owner", ("著作权人",), text, required=True),
    Column("address", ("著作权人地址", "地址"), text),
    Column("completed_on", ("创作完成日", "开发完成日"), date),
    Column("registered_on", ("登记日",), date, required=True),
), key=("registration_number",))

GEOGRAPHICAL_INDICATIONS = Spec("gis", "地理标志", (
    Column("name", ("地理标志名称", "名称"), text, required=True),
    Column("kind", ("类别",), gi_kind, required=True),
    Column("product", ("产品", "产品名称"), text),
    Column("holder", ("申请人", "注册人", "申请人或注册人"), text),
    Column("registered_on", ("登记日", "注册日", "公告日"), date, required=True),
), key=("name",))

SPECS = {s.kind: s for s in (PATENTS, EVENTS, TRADEMARKS, PLEDGES, POPULATION, SEI_IPC, POLICIES, SECURITIZATIONS,
                              COPYRIGHTS, GEOGRAPHICAL_INDICATIONS)}


def parse(spec: Spec, data: bytes, filename: str) -> Parsed:
    try:
        table = read_table(data, filename)
    except TableError as exc:
        return Parsed([], [Problem(None, "", "", str(exc))])
    return parse_table(spec, table)


def parse_table(spec: Spec, table: Table) -> Parsed:
    problems: list[Problem] = []
    positions: dict[str, int] = {}
    header_of: dict[str, str] = {}
    for column in spec.columns:
        found = [i for i, h in enumerate(table.headers) if h in column.headers]
        if found:
            positions[column.field] = found[0]
            header_of[column.field] = table.headers[found[0]]
        elif column.required:
            problems.append(Problem(None, column.headers[0], "",
                                    f"缺少必需的列（可用列名：{'、'.join(column.headers)}）"))
    known = {h for c in spec.columns for h in c.headers}
    unknown = [h for h in table.headers if h and h not in known]
    if problems:
        if unknown:
            problems.append(Problem(None, "", "", f"无法识别的列：{'、'.join(unknown)}"))
        return Parsed([], problems, table.encoding)
    rows: list[dict] = []
    first_seen: dict[tuple, int] = {}
    absent = {c.field: (c.parse("") if not c.required else None) for c in spec.columns if c.field not in positions}
    present = [(c.field, positions[c.field], header_of[c.field], c.parse, c.required)
               for c in spec.columns if c.field in positions]
    width = max(positions.values(), default=-1) + 1
    for number, cells in table.rows:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        # stored, a control character would break every export of the record; most rows have none anywhere
        suspect = control_character_problem("".join(cells)) is not None
        row: dict = {"_row": number, **absent}
        row_ok = True
        for field_name, position, header, parse_cell, required in present:
            raw = cells[position]
            if required and not raw.strip():
                problems.append(Problem(number, header, "", "必填项为空"))
                row_ok = False
                continue
            if suspect and (control := control_character_problem(raw)):
                problems.append(Problem(number, header, raw.encode("unicode_escape").decode(), control))
                row_ok = False
                continue
            try:
                row[field_name] = parse_cell(raw)
            except CellError as exc:
                problems.append(Problem(number, header, raw, str(exc)))
                row_ok = False
        if not row_ok:
            continue
        reason = spec.check(row)
        if reason:
            problems.append(Problem(number, "", "", reason))
            continue
        key = tuple(row[k] for k in spec.key)
        if not spec.key or None in key:
            rows.append(row)  # no key to repeat (e.g. a new ledger row without an id)
            continue
        if key in first_seen:
            problems.append(Problem(number, header_of[spec.key[0]], str(key[0]), f"与第{first_seen[key]}行重复"))
            continue
        first_seen[key] = number
        rows.append(row)
    return Parsed(rows, problems, table.encoding)
