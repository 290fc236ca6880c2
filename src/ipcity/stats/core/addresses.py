"""Resolving a Chinese address to a district and, inside the pilot district, a street (街道).

Only what the address itself says is used: an address that names no district is unknown, never guessed.
Tianjin's districts may appear without the city name; other places need province/city and district."""

import re
from dataclasses import dataclass

TIANJIN_DISTRICTS = ("和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区", "西青区", "津南区", "北辰区",
                     "武清区", "宝坻区", "滨海新区", "宁河区", "静海区", "蓟州区")
_ELSEWHERE = re.compile(r"((?:[^\s省市]{2,8}省)?[^\s省市]{2,8}市)([^\s区县]{1,8}(?:区|县|市))")


@dataclass(frozen=True)
class Place:
    district: str | None  # e.g. "天津市南开区"; None when the address does not say
    street: str | None  # a street name inside the pilot district, when the address names one


def resolve(address: str, streets: tuple[str, ...] = ()) -> Place:
    compact = re.sub(r"\s", "", address or "")
    if not compact:
        return Place(None, None)
    district = None
    for name in TIANJIN_DISTRICTS:
        if name in compact and ("天津" in compact or not _ELSEWHERE.search(compact.split(name)[0] + name)):
            district = "天津市" + name
            break
    if district is None:
        match = _ELSEWHERE.search(compact)
        if match and "天津" not in match.group(1):
            district = match.group(1) + match.group(2)
    street = next((s for s in streets if s in compact), None) if district else None
    return Place(district, street)
