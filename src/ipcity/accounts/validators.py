"""Well-formedness of personal identifiers (mainland mobile numbers, 18-digit resident ID numbers).

Digits are ASCII 0-9 only: a regex's \\d also matches full-width (１) and other scripts' digits (٧), so "1381234567８"
would pass as a number different from "13812345678" and answer a once-per-number survey twice."""

import datetime as dt
import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_character(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number_problem(id_number: str) -> str | None:
    if not re.fullmatch(r"[0-9]{17}[0-9X]", id_number):
        return "身份证号应为18位，前17位为数字，末位为数字或X"
    try:
        dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return "身份证号中的出生日期无效"
    if id_check_character(id_number[:17]) != id_number[17]:
        return "身份证号校验位不正确"
    return None


def phone_problem(phone: str) -> str | None:
    if not re.fullmatch(r"1[3-9][0-9]{9}", phone):
        return "手机号应为以1开头的11位数字"
    return None
