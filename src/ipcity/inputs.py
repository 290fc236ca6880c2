"""What a submitted value may be: the one place for free text, dates and record ids (numbers: `ipcity.bounds`).

Every value a user sends through a page or the API is checked here before anything reads it:

- **Text** holds no control characters (U+0000–U+001F and U+007F) except a line break or a tab,
  and is at most `TEXT_MAX` characters. Longer text is refused, never cut short. A control character pasted from a
  word processor (U+000B is Word's manual line break) would otherwise be stored and later break the .docx and .xlsx
  exports for everyone.
- **Dates** lie between `DAY_MIN` and `DAY_MAX`: 0001-01-01 is a real ISO date but no record of the pilot has it, and
  arithmetic on it fails (a year before 1 does not exist).
- **Record ids** are positive integers that fit a 64-bit column; anything else names no record, so a lookup answers
  404 in Chinese (`object_or_404`) rather than failing on "abc".

`InputGuardMiddleware` (web/middleware.py) applies the text and date rules to every query parameter, form field
and JSON string of every request, so no route can forget them; a field may still allow less (its max_length). The
rules are plain Python (Django is imported only where a function needs it), so the spreadsheet importer's core
refuses a control character in a cell with the same words.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

TEXT_MAX = 8000  # characters of one submitted value (a long report section); a field or schema may allow fewer
DAY_MIN = dt.date(1900, 1, 1)
DAY_MAX = dt.date(2100, 12, 31)
ID_MAX = 2**63 - 1  # a record's id (BigAutoField)

_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # keeps \t, \n and \r (a browser's line break)
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f]")
# A whole value written as a date (2026-10-01, 2026/10/01, 2026年10月1日, optionally followed by a time).
_DATE_LIKE = re.compile(r"\s*(\d{1,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?\s*")


def control_character_problem(value: str, *, multiline: bool = True) -> str | None:
    found = (_CONTROL_MULTILINE if multiline else _CONTROL_SINGLE_LINE).search(value)
    if found:
        return f"含有不可见的控制字符（U+{ord(found.group()):04X}），请删除后重新提交"
    return None


def text_problem(value: str, *, multiline: bool = True, max_length: int = TEXT_MAX) -> str | None:
    """Why this text cannot be accepted, or None."""
    problem = control_character_problem(value, multiline=multiline)
    if problem:
        return problem
    if len(value) > max_length:
        return f"超过 {max_length} 字的上限（共 {len(value)} 字），请精简后重新提交；平台不会截断"
    return None



def day_problem(day: dt.date) -> str | None:
    if not DAY_MIN <= day <= DAY_MAX:
        return f"日期 {day.isoformat()} 不在 {DAY_MIN.isoformat()} 至 {DAY_MAX.isoformat()} 之间"
    return None


def parse_day(raw: str | None, *, label: str) -> dt.date:
    """A date written YYYY-MM-DD within DAY_MIN..DAY_MAX, or a ValidationError naming the field."""
    from django.core.exceptions import ValidationError

    try:
        day = dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValidationError(f"{label}应为有效日期（如 2026-06-30）") from None
    problem = day_problem(day)
    if problem:
        raise ValidationError(f"{label}：{problem}")
    return day


def _date_like_problem(value: str) -> str | None:
    match = _DATE_LIKE.fullmatch(value)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        written = dt.date(year, month, day)
    except ValueError:
        return None  # not a date at all: the field that expects one says so in its own words
    return day_problem(written)


def value_problem(value: str) -> str | None:
    """What the guard refuses in any submitted value, whatever field it is for."""
    return text_problem(value) or _date_like_problem(value)


def _strings(value, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(str(key), where)
            yield from _strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{where}[{index}]")


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def submitted_strings(request) -> Iterator[tuple[str, str]]:
    """(field, text) for every query parameter, form field and JSON string of a request; a form field holding a
    JSON document (evidence metadata) is read into as well."""
    for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
        for name, values in data.lists():
            yield from _strings(name, name)
            for value in values:
                yield name, value
                if value[:1] in ("{", "[") and len(value) <= TEXT_MAX:
                    try:
                        yield from _strings(json.loads(value), name)
                    except ValueError:
                        pass
    # The API reads any body that is not a form as JSON, whatever its declared type, so the guard does too.
    if request.content_type not in FORM_TYPES and request.method not in ("GET", "HEAD"):
        try:
            document = json.loads(request.body or b"null")
        except ValueError:
            return  # the API answers a body that is not JSON itself
        yield from _strings(document, "")


def request_problem(request) -> str | None:
    """The first submitted value the platform refuses, with the field it came in, or None."""
    for name, value in submitted_strings(request):
        problem = value_problem(value)
        if problem:
            return f"“{name[:40]}”{problem}" if name else problem
    return None


def as_id(raw) -> int | None:
    """A record id from a path, a form field or JSON: a positive integer that fits the column, else None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdecimal() and len(raw.strip()) <= 19:
        value = int(raw.strip())
    else:
        return None
    return value if 1 <= value <= ID_MAX else None


def has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def _not_found_message(source) -> str:
    model = getattr(source, "model", source)
    name = str(getattr(getattr(model, "_meta", None), "verbose_name", ""))
    return f"{name if has_chinese(name) else '记录'}不存在或无权查看"


def object_or_404(source, message: str | None = None, /, **lookup):
    """The one record a model or a caller-scoped queryset holds for these lookups, or Http404 with a Chinese message.
    A `pk` that is not a positive 64-bit integer ("abc", "-1", "", "²") names nothing: 404, not a server error."""
    from django.http import Http404

    if "pk" in lookup:
        lookup["pk"] = as_id(lookup["pk"])
        if lookup["pk"] is None:
            raise Http404(message or _not_found_message(source))
    queryset = source._default_manager.all() if isinstance(source, type) else source
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(message or _not_found_message(source))
    return found



# ---- the API's words for what pydantic refuses ----

_PYDANTIC = {
    "missing": "必填", "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数",
    "float_parsing": "应为数字", "float_type": "应为数字", "decimal_parsing": "应为数字", "decimal_type": "应为数字",
    "finite_number": "应为有限的数字", "decimal_max_digits": "位数过多", "decimal_max_places": "小数位数过多",
    "decimal_whole_digits": "整数位数过多", "date_parsing": "应为有效日期（如 2026-06-30）",
    "date_from_datetime_parsing": "应为有效日期（如 2026-06-30）", "date_type": "应为有效日期（如 2026-06-30）",
    "date_from_datetime_inexact": "应为有效日期（如 2026-06-30）",
    "datetime_parsing": "应为有效时间（如 2026-06-30T09:00:00+08:00）",
    "datetime_from_date_parsing": "应为有效时间（如 2026-06-30T09:00:00+08:00）",
    "datetime_type": "应为有效时间（如 2026-06-30T09:00:00+08:00）", "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false", "string_type": "应为文本", "string_too_long": "最多 {max_length} 字",
    "string_too_short": "至少 {min_length} 字", "string_pattern_mismatch": "格式不正确",
    "greater_than_equal": "不能小于 {ge}", "greater_than": "应大于 {gt}", "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}", "literal_error": "应为以下之一：{expected}", "enum": "应为以下之一：{expected}",
    "list_type": "应为列表", "dict_type": "应为对象", "model_type": "应为对象", "model_attributes_type": "应为对象",
    "too_long": "最多 {max_length} 项", "too_short": "至少 {min_length} 项", "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON 文本", "uuid_parsing": "应为 UUID", "extra_forbidden": "不是可接受的字段",
    "url_parsing": "应为有效网址", "url_scheme": "应为有效网址", "union_tag_invalid": "类型不正确",
}
_WHERE = {"body", "payload", "query", "path", "form", "file", "header", "cookie"}


def pydantic_messages(errors: list[dict]) -> list[str]:
    """pydantic's refusals as the API's other refusals read: "field: 中文原因"."""
    messages = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if str(p) not in _WHERE]
        field = ".".join(loc) or "请求体"
        message = str(error.get("msg", ""))
        if not has_chinese(message):
            try:
                message = _PYDANTIC.get(error.get("type", ""), "格式不正确").format(**(error.get("ctx") or {}))
            except (KeyError, IndexError):
                message = _PYDANTIC.get(error.get("type", ""), "格式不正确")
        messages.append(f"{field}: {message.removeprefix('Value error, ')}")
    return messages
