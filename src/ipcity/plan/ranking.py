"""国家高新技术企业数量始终保持中心城区领先 (goal 一): the count of national high-tech enterprises of 南开 and of the
other central districts (和平、河西、河东、河北、红桥), year by year, each figure with its source, and 南开's rank.

The figures come from outside the platform (the city's recognition lists, the districts' statistical bulletins), so
the office enters them one by one or imports a sheet (checked whole: any bad row refuses the file, naming its row and
column, and nothing is stored). A district's figure for a year is one record; entering it again replaces it, and the
audit row keeps the value replaced.

The rank is competition ranking among the districts with a figure that year: 1 + the number of districts with more
enterprises (equal counts share a rank). When a district's figure is missing the rank is among those recorded, and the
page and the API say which are missing."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from ipcity import clock
from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.audit.services import audit_record
from ipcity.bounds import YEARS
from ipcity.inputs import text_problem
from ipcity.plan.models import CentralDistrict, HighTechCount
from ipcity.stats.core import importer
from ipcity.stats.core.importer import Column, Problem, Spec

HOME = CentralDistrict.NANKAI
COUNT_MAX = 100_000
SOURCE_MAX = 200
DEFINITION = ("国家高新技术企业数量：各区当年末有效的国家高新技术企业家数，以认定名单或统计公报等来源为准。"
              "排名在中心城区（和平、河西、南开、河东、河北、红桥）中按家数从多到少排列，家数相同者名次相同。")
_NAMES = {**{label: value for value, label in CentralDistrict.choices},
          **{label.removesuffix("区"): value for value, label in CentralDistrict.choices},
          **{value: value for value in CentralDistrict.values}}


class HighTechRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# ---- one figure's rules, shared by the form, the API and the import ----

def _district(value: str) -> str:
    district = _NAMES.get(value.strip())
    if district is None:
        raise importer.CellError(f"应为中心城区之一：{'、'.join(CentralDistrict.labels)}")
    return district


def _year(value: str) -> int:
    raw = value.strip().removesuffix("年")
    if not re.fullmatch(r"\d{4}", raw) or not YEARS[0] <= int(raw) <= YEARS[1]:
        raise importer.CellError(f"应为{YEARS[0]}～{YEARS[1]}之间的四位年份")
    return int(raw)


def _count(value: str) -> int:
    raw = value.strip().replace(",", "").replace("，", "").removesuffix("家")
    if not re.fullmatch(r"\d{1,6}", raw) or int(raw) > COUNT_MAX:
        raise importer.CellError(f"应为0～{COUNT_MAX}之间的整数")
    return int(raw)


def _source(value: str) -> str:
    problem = text_problem(value.strip(), multiline=False, max_length=SOURCE_MAX)
    if problem:
        raise importer.CellError(problem)
    return value.strip()


HIGH_TECH = Spec("high_tech", "中心城区国家高新技术企业数量", (
    Column("year", ("年度", "年份"), _year, required=True),
    Column("district", ("区", "城区", "区名"), _district, required=True),
    Column("count", ("国家高新技术企业数量", "高新技术企业数量", "数量"), _count, required=True),
    Column("source", ("来源", "数据来源"), _source, required=True),
), key=("year", "district"))


def _figure_problems(*, year, district, count, source) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not isinstance(year, int) or isinstance(year, bool) or not YEARS[0] <= year <= YEARS[1]:
        problems["year"] = [f"年度应在{YEARS[0]}～{YEARS[1]}之间"]
    if district not in CentralDistrict.values:
        problems["district"] = [f"区应为中心城区之一：{'、'.join(CentralDistrict.labels)}"]
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= COUNT_MAX:
        problems["count"] = [f"国家高新技术企业数量应在0～{COUNT_MAX}之间"]
    source = source or ""
    if not source.strip():
        problems["source"] = ["请填写来源（如：天津市科技局公布的认定名单）"]
    elif bad := text_problem(source, multiline=False, max_length=SOURCE_MAX):
        problems["source"] = [f"来源{bad}"]
    return problems


def _store(*, actor, year: int, district: str, count: int, source: str, is_synthetic: bool, action: str):
    existing = HighTechCount.objects.select_for_update().filter(year=year, district=district).first()
    before = {"count": existing.count, "source": existing.source} if existing else None
    figure, _ = HighTechCount.objects.update_or_create(
        year=year, district=district, defaults={"count": count, "source": source.strip(), "is_synthetic": is_synthetic,
                                                "recorded_by": actor, "recorded_at": clock.now()})
    audit_record(actor=actor, action=action, obj=figure, before=before,
                 after={"year": year, "district": figure.get_district_display(), "count": count,
                        "source": figure.source})
    return figure


@transaction.atomic
def high_tech_record(*, actor, year: int, district: str, count: int, source: str,
                     is_synthetic: bool = False) -> HighTechCount:
    """The office enters one district's figure for one year (replacing the one recorded before, if any)."""
    require_perm(actor, Perm.HIGH_TECH_RECORD)
    problems = _figure_problems(year=year, district=district, count=count, source=source)
    if problems:
        raise ValidationError(problems)
    return _store(actor=actor, year=year, district=district, count=count, source=source, is_synthetic=is_synthetic,
                  action="plan.high_tech.record")


@transaction.atomic
def high_tech_import(*, actor, data: bytes, filename: str) -> dict:
    """A sheet of figures (列：年度、区、国家高新技术企业数量、来源): all stored, or none with every problem named."""
    require_perm(actor, Perm.HIGH_TECH_RECORD)
    parsed = importer.parse(HIGH_TECH, data, filename)
    problems = list(parsed.problems)
    if not parsed.rows and not problems:
        problems.append(Problem(None, "", "", "文件中没有数据行"))
    if problems:
        raise HighTechRejected(problems)
    replaced = set(HighTechCount.objects.filter(year__in={r["year"] for r in parsed.rows})
                   .values_list("year", "district"))
    for row in parsed.rows:
        _store(actor=actor, year=row["year"], district=row["district"], count=row["count"], source=row["source"],
               is_synthetic=False, action="plan.high_tech.import")
    replacing = sum(1 for r in parsed.rows if (r["year"], r["district"]) in replaced)
    return {"imported": len(parsed.rows), "replaced": replacing}


# ---- the ranking ----

def rank_of(counts: dict[str, int], district: str) -> int | None:
    """Competition rank of `district` among the districts in `counts` (1 = most); None without its figure."""
    if district not in counts:
        return None
    return 1 + sum(1 for n in counts.values() if n > counts[district])


def high_tech_years() -> list[dict]:
    """Per year (newest first): every central district's figure in the fixed order, each with its rank, and 南开's
    rank with the districts whose figure is missing."""
    by_year: dict[int, dict[str, HighTechCount]] = {}
    for figure in HighTechCount.objects.order_by("year", "district"):
        by_year.setdefault(figure.year, {})[figure.district] = figure
    years = []
    for year in sorted(by_year, reverse=True):
        figures = by_year[year]
        counts = {d: f.count for d, f in figures.items()}
        missing = [label for value, label in CentralDistrict.choices if value not in figures]
        rank = rank_of(counts, HOME)
        years.append({
            "year": year,
            "figures": [{"district": value, "district_label": label,
                         "count": figures[value].count if value in figures else None,
                         "source": figures[value].source if value in figures else "",
                         "is_synthetic": figures[value].is_synthetic if value in figures else False,
                         "rank": rank_of(counts, value)} for value, label in CentralDistrict.choices],
            "nankai_count": counts.get(HOME), "nankai_rank": rank, "ranked": len(counts),
            "leading": rank == 1, "complete": not missing, "missing": missing,
            "is_synthetic": any(f.is_synthetic for f in figures.values()),
        })
    return years


def rank_label(row: dict) -> str:
    """南开区第1（共6个区）, or why there is no rank."""
    if row["nankai_rank"] is None:
        return "南开区尚无数据"
    scope = f"共{row['ranked']}个区" + ("" if row["complete"] else f"，缺{'、'.join(row['missing'])}")
    return f"第{row['nankai_rank']}名（{scope}）"


def high_tech_sentence(years: list[int] | None = None) -> str:
    """One sentence for the evaluation report: 南开's count and rank year by year."""
    rows = [r for r in reversed(high_tech_years()) if years is None or r["year"] in years]
    rows = [r for r in rows if r["nankai_rank"] is not None]
    if not rows:
        return "国家高新技术企业数量：平台尚未登记中心城区各区的数据。"
    parts = [f"{r['year']}年{r['nankai_count']}家、居中心城区{rank_label(r)}" for r in rows]
    led = [r["year"] for r in rows if r["leading"]]
    verdict = ("各年均保持中心城区领先" if len(led) == len(rows) else
               ("保持领先的年度：" + "、".join(f"{y}年" for y in led) if led else "尚未实现中心城区领先"))
    return f"南开区国家高新技术企业数量：{'；'.join(parts)}。{verdict}。"
