"""A synthetic registry for the demo district: 40,000 patents (enough for the valid stock to approach the
plan's 26,000) with legal events from 2004 to 2026, 34,000 trademarks, pledges, insurance policies, a securitization product, population figures and a
small SEI–IPC table. Deterministic for a seed, and every record is marked synthetic."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType, Street
from ipcity.stats import models as m
from ipcity.stats.bulk import Writer
from ipcity.stats.core.validity import add_years

DISTRICT = "天津市南开区"
OTHER_PLACES = ["天津市河西区", "天津市西青区", "北京市海淀区", "上海市浦东新区", "江苏省苏州市工业园区"]
IPC_POOL = ["G06F16/00", "G06N3/08", "G06V10/00", "H04L9/32", "A61K36/00", "A61K31/00", "C12N15/10", "C12Q1/68",
            "H01M10/05", "B25J9/16", "G01N21/00", "C08L67/00", "A23L33/00", "A61B5/00", "F16H1/00", "E04B1/00",
            "B65D81/00", "A47J27/00", "G09B19/00", "E06B3/00", "F24F11/00", "B62B3/00"]
SEI_DEMO = [("G06N", "新一代信息技术产业"), ("G06V", "新一代信息技术产业"), ("H04L9", "新一代信息技术产业"),
            ("C12N", "生物产业"), ("C12Q", "生物产业"), ("A61K36", "生物产业"), ("H01M10", "新能源汽车产业"),
            ("B25J", "高端装备制造产业")]
TITLE_WORDS = ["一种", "基于深度学习的", "用于", "高效", "低成本", "可穿戴", "中药", "锂电池", "机器人", "图像", "检测", "数据",
               "传感器", "催化剂", "包装", "医疗", "食品", "材料", "装置", "方法", "系统", "组合物"]


STREETS = Street.choices  # Django builds the list on every read of `choices`: once, not per record


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))


def _address(rng: random.Random) -> tuple[str, str, str]:
    roll = rng.random()
    if roll < 0.93:
        code, label = rng.choice(STREETS)
        return f"天津市南开区{label}某路{rng.randrange(1, 300)}号（虚构）", DISTRICT, code
    if roll < 0.975:
        place = rng.choice(OTHER_PLACES)
        return f"{place}某路{rng.randrange(1, 300)}号（虚构）", place, ""
    return f"某路{rng.randrange(1, 300)}号（虚构，无法定位）", "", ""


def _number(kind_digit: int, year: int, serial: int) -> str:
    return f"{year}{kind_digit}{serial:07d}.{serial % 10}"


def build_registry(*, seed: int, batch: m.ImportBatch, scale: float = 1.0) -> dict:
    patents, trademarks = int(40000 * scale), int(34000 * scale)
    rng = random.Random(seed)
    today = clock.today()
    # Some patents belong to the demo's registered enterprises, so the breakdown by enterprise category means something.
    enterprises = sorted(Organization.objects.filter(org_type=OrgType.ENTERPRISE, is_synthetic=True).values_list("name", flat=True))
    patent_rows, event_rows = [], []
    years = list(range(2004, today.year + 1))
    weights = [1.12 ** (y - 2004) for y in years]
    serials: dict[tuple[int, int], int] = {}
    for _ in range(patents):
        year = rng.choices(years, weights)[0]
        kind = rng.choices(["invention", "utility_model", "design"], [0.56, 0.37, 0.07])[0]
        digit = {"invention": 1, "utility_model": 2, "design": 3}[kind]
        serials[(year, digit)] = serials.get((year, digit), 0) + 1
        number = _number(digit, year, serials[(year, digit)])
        filed = _day(rng, year)
        delay = dt.timedelta(days=rng.randrange(500, 1100) if kind == "invention" else rng.randrange(150, 330))
        granted = filed + delay if rng.random() < (0.9 if kind == "invention" else 0.97) else None
        if granted and granted > today:
            granted = None
        address, district, street = _address(rng)
        ipc = [rng.choice(IPC_POOL)] if kind != "design" else []
        title = "".join(rng.sample(TITLE_WORDS, 4))
        owner = rng.choice(enterprises) if enterprises and rng.random() < 0.4 else f"南开演示企业{rng.randrange(1, 800):03d}（演示）"
        patent_rows.append(dict(
            application_number=number, patent_type=kind, filing_date=filed, grant_date=granted, title=title,
            applicants=[owner], patentee=owner,
            address=address, owner_district=district, owner_street=street, main_ipc=ipc[0] if ipc else "",
            ipc_codes=ipc, legal_status="有效" if granted else "审中", is_synthetic=True, batch=batch))
        if granted is None:
            continue
        event_rows.append((number, "grant", granted, None, "", ""))
        if rng.random() < 0.07:  # fees lapse in later years
            lapse = add_years(filed, rng.randrange(3, 12))
            if lapse <= today:
                event_rows.append((number, "fee_termination", lapse, None, "", ""))
                if rng.random() < 0.25 and lapse + dt.timedelta(days=120) <= today:
                    event_rows.append((number, "restoration", lapse + dt.timedelta(days=120), None, "", ""))
        if rng.random() < 0.035:
            when = granted + dt.timedelta(days=rng.randrange(30, 2500))
            if when <= today:
                out = rng.random() < 0.3
                place = rng.choice(OTHER_PLACES) if out else DISTRICT
                event_rows.append((number, "transfer", when, None, "受让方（演示）", f"{place}某路1号（虚构）"))
        if rng.random() < 0.03:
            when = granted + dt.timedelta(days=rng.randrange(30, 2500))
            if when <= today:
                event_rows.append((number, "licence", when, None, "被许可方（演示）", ""))
        if kind == "invention" and rng.random() < 0.12:
            event_rows.append((number, "family_abroad", filed + dt.timedelta(days=rng.randrange(300, 900)), None, "", ""))
        if kind == "invention" and rng.random() < 0.004:
            event_rows.append((number, "award", granted + dt.timedelta(days=rng.randrange(200, 1500)), None, "", ""))
    # The registry's own bulk writer, as its imports use: bulk_create would prepare every value through the fields.
    Writer(m.Patent).insert(patent_rows)
    ids = dict(m.Patent.objects.filter(batch=batch).values_list("application_number", "id"))
    Writer(m.LegalEvent).insert(
        dict(patent=ids[n], event_type=t, date=d, amount=a, counterparty=c, new_owner_address=addr,
             new_owner_district=next((p for p in [DISTRICT, *OTHER_PLACES] if addr.startswith(p)), "") if addr else "",
             batch=batch)
        for n, t, d, a, c, addr in event_rows if d <= today)

    mark_rows = []
    for serial in range(trademarks):
        year = rng.choices(years, weights)[0]
        registered = _day(rng, year) if rng.random() < 0.97 else None
        address, district, _ = _address(rng)
        valid_until = add_years(registered, 10) if registered else None
        if valid_until and valid_until < today and rng.random() < 0.85:
            valid_until = add_years(valid_until, 10)  # renewed
        madrid = _day(rng, rng.choice([2023, 2024, 2025, 2026])) if rng.random() < 0.0009 else None
        mark_rows.append(dict(
            registration_number=f"{10000000 + serial}", name=f"演示商标{serial}", nice_class=str(rng.randrange(1, 46)),
            holder=f"南开演示企业{rng.randrange(1, 800):03d}（演示）", address=address, owner_district=district,
            registration_date=registered, valid_until=valid_until,
            cancelled_on=_day(rng, 2025) if registered and rng.random() < 0.01 else None,
            madrid_filing_date=madrid if madrid and madrid <= today else None,
            time_honored=serial < 12, well_known=serial < 4, is_synthetic=True, batch=batch))
    Writer(m.Trademark).insert(mark_rows)

    invention_numbers = [p["application_number"] for p in patent_rows if p["patent_type"] == "invention" and p["grant_date"]]
    pledges = []
    for year in range(2021, today.year + 1):
        for i in range(max(1, int(48 * scale * 1.13 ** (year - 2021)))):
            registered = _day(rng, year)
            if registered > today:
                continue
            amount = Decimal(rng.randrange(50, 3000)) * 10000
            pledges.append(m.Pledge(
                reference=f"Y{year}{i:04d}", pledgor=f"南开演示企业{rng.randrange(1, 800):03d}（演示）",
                address="天津市南开区某路1号（虚构）", pledgor_district=DISTRICT, pledgee="演示银行南开支行（演示）",
                amount=amount, registered_on=registered,
                released_on=registered + dt.timedelta(days=365) if registered + dt.timedelta(days=365) <= today else None,
                patents=rng.sample(invention_numbers, rng.randrange(1, 4)), is_synthetic=True, batch=batch))
    m.Pledge.objects.bulk_create(pledges)
    policies = [m.InsurancePolicy(policy_number=f"BX{year}{i:03d}", kind="protection_insurance" if i % 2 else "patent_insurance",
                                  insured="南开演示企业（演示）", address="天津市南开区（虚构）", insured_district=DISTRICT,
                                  insurer="演示保险（演示）", start_date=_day(rng, year), is_synthetic=True, batch=batch)
                for year in (2024, 2025, 2026) for i in range(4)]
    m.InsurancePolicy.objects.bulk_create([p for p in policies if p.start_date <= today])
    m.SecuritizationProduct.objects.create(name="专利+老字号商标知识产权证券化（演示）", issued_on=dt.date(2025, 9, 26),
                                           amount=Decimal("100000000"), underlying="演示企业专利与老字号商标许可费",
                                           is_synthetic=True, batch=batch)
    m.PopulationFigure.objects.bulk_create([
        m.PopulationFigure(year=year, residents_10k=value, source="演示数据（合成，非统计公报）", is_synthetic=True, batch=batch)
        for year, value in [(2022, Decimal("88.6")), (2023, Decimal("88.9")), (2024, Decimal("89.1")), (2025, Decimal("89.3"))]])
    m.SeiIpcEntry.objects.bulk_create(m.SeiIpcEntry(version="演示用简表（非官方对照表）", ipc=ipc, industry=industry, batch=batch)
                                      for ipc, industry in SEI_DEMO)
    copyrights = _copyrights(random.Random(seed + 7), batch, scale, today)
    return {"patents": len(patent_rows), "events": len(event_rows), "trademarks": len(mark_rows), "pledges": len(pledges),
            "copyrights": copyrights}


WORK_TYPES = ("美术", "文字", "摄影", "视听", "图形")


def _copyrights(rng: random.Random, batch: m.ImportBatch, scale: float, today: dt.date) -> int:
    """The district's copyright registrations (works and software), most of them by the district's own holders, so
    task 4's 自主版权登记 counts something year by year (its own generator: the records above stay as they were)."""
    rows = []
    for year in range(2021, today.year + 1):
        for i in range(max(3, int(120 * scale * 1.15 ** (year - 2021)))):
            registered = _day(rng, year)
            if registered > today:
                continue
            software = rng.random() < 0.45
            local = rng.random() < 0.8
            rows.append(dict(
                registration_number=f"{'软著登字' if software else '津作登字'}-{year}-{i:05d}（演示）",
                kind="software" if software else "work", work_type="" if software else rng.choice(WORK_TYPES),
                title=("南开演示管理系统V" + str(rng.randrange(1, 9)) + ".0") if software else f"南开演示作品{year}{i:04d}",
                owner=f"南开演示企业{rng.randrange(1, 800):03d}（演示）",
                address="天津市南开区某路1号（虚构）" if local else "天津市河西区某路1号（虚构）",
                owner_district=DISTRICT if local else "天津市河西区", completed_on=registered - dt.timedelta(days=rng.randrange(10, 300)),
                registered_on=registered, is_synthetic=True, batch=batch))
    Writer(m.CopyrightRegistration).insert(rows)
    return len(rows)


@transaction.atomic
def build_demo_registry(*, seed: int, scale: float = 1.0) -> dict:
    # Made in its final state: the records are written in this same transaction, so no one sees it unfinished.
    batch = m.ImportBatch.objects.create(kind="demo", filename="演示登记数据（程序生成）", state=m.ImportBatch.State.DONE,
                                         started_at=clock.now(), note="合成演示数据")
    counts = build_registry(seed=seed, batch=batch, scale=scale)
    m.ImportBatch.objects.filter(pk=batch.pk).update(created=sum(counts.values()), finished_at=clock.now())
    return counts


# The demo office's registry coverage: the CNIPA-fed registries reach back to the demo's first records; recognitions by
# the authorities (markets, operation centers) are all on record since the pilot began; the platform's own modules went
# live in January 2025, so their records are complete from then on (2024 keeps the units' reported values).
DEMO_COVERAGE = {"patents": dt.date(2004, 1, 1), "events": dt.date(2004, 1, 1), "trademarks": dt.date(2004, 1, 1),
                 "pledges": dt.date(2021, 1, 1), "policies": dt.date(2024, 1, 1), "securitizations": dt.date(2024, 1, 1),
                 "activity:market_city": dt.date(2024, 1, 1), "activity:market_national": dt.date(2024, 1, 1),
                 "activity:operation_center": dt.date(2024, 1, 1), "activity:officer_certificate": dt.date(2022, 1, 1)}
PLATFORM_LIVE = dt.date(2025, 1, 1)


def build_demo_coverage(*, office) -> int:
    from ipcity.stats.coverage import coverage_kinds, coverage_set

    kinds = coverage_kinds()
    with clock.on_day(dt.date(2025, 1, 6)):
        for kind in kinds:
            complete_from = DEMO_COVERAGE.get(kind, PLATFORM_LIVE)
            reason = "演示：平台模块自2025年1月起上线登记" if complete_from == PLATFORM_LIVE else "演示：登记数据完整起始日"
            coverage_set(actor=office, kind=kind, complete_from=complete_from, reason=reason)
    return len(kinds)
