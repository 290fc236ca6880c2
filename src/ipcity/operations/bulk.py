"""Bulk listing: a university lists many patents from one .xlsx or .csv. The file is checked whole first; any bad
row rejects it with every problem's row, column and reason, and nothing is listed. Open licences the law bars are
not input errors: they are listed as refused with their reasons, like a single listing."""

from django.db import transaction

from ipcity.accounts.permissions import require_perm
from ipcity.accounts.roles import Perm
from ipcity.operations.models import FIELDS, MATURITY, TechOffer
from ipcity.operations.services import offer_create
from ipcity.stats.core import importer
from ipcity.stats.core.importer import Column, Problem, Spec
from ipcity.stats.holders import holdings
from ipcity.stats.models import Patent

MODES = {label: value for value, label in TechOffer.Mode.choices}


def _mode(value: str) -> str:
    if value.strip() not in MODES:
        raise importer.CellError(f"应为：{'、'.join(MODES)}")
    return MODES[value.strip()]


def _choice(options):
    def parse(value: str) -> str:
        if value.strip() not in options:
            raise importer.CellError(f"应为：{'、'.join(options)}")
        return value.strip()
    return parse


OFFERS = Spec("offers", "专利供给批量发布", (
    Column("patent_number", ("申请号", "专利号"), importer.application_number, required=True),
    Column("mode", ("方式", "交易方式"), _mode, required=True),
    Column("price_terms", ("价格条件",), importer.text, required=True),
    Column("field", ("技术领域",), _choice(FIELDS), required=True),
    Column("maturity", ("成熟度",), _choice(MATURITY), required=True),
    Column("scenarios", ("应用场景",), importer.text),
    Column("fee_method", ("开放许可支付方式", "支付方式"), importer.text),
    Column("fee_standard", ("开放许可支付标准", "支付标准"), importer.text),
    Column("evaluation_report", ("专利权评价报告编号", "评价报告编号"), importer.text),
), key=("patent_number",))


class OffersRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def offers_import(*, actor, data: bytes, filename: str) -> dict:
    require_perm(actor, Perm.TECH_OFFER)
    parsed = importer.parse(OFFERS, data, filename)
    problems = list(parsed.problems)
    patents = {p.application_number: p for p in Patent.objects.filter(
        application_number__in=[row["patent_number"] for row in parsed.rows])}
    held = holdings(patents.values())
    listed = set(TechOffer.objects.filter(state=TechOffer.State.PUBLISHED, patent__in=patents.values())
                 .values_list("patent__application_number", flat=True))
    for row in parsed.rows:
        number, patent = row["patent_number"], patents.get(row["patent_number"])
        if patent is None:
            problems.append(Problem(row["_row"], "申请号", number, "专利库中没有这件专利"))
        elif reason := held[patent.pk].refusal(actor.organization):
            problems.append(Problem(row["_row"], "申请号", number, reason))
        elif number in listed:
            problems.append(Problem(row["_row"], "申请号", number, "该专利已有发布中的供给信息"))
        if row["mode"] == TechOffer.Mode.OPEN and not (row["fee_method"] and row["fee_standard"]):
            problems.append(Problem(row["_row"], "开放许可支付方式", row["fee_method"],
                                    "开放许可须填写许可使用费的支付方式和标准"))
    if problems:
        raise OffersRejected(sorted(problems, key=lambda p: p.row or 0))
    counts = {"published": 0, "refused": 0}
    with transaction.atomic():
        for row in parsed.rows:
            declaration = ({"fee_method": row["fee_method"], "fee_standard": row["fee_standard"],
                            "evaluation_report": row["evaluation_report"]} if row["mode"] == TechOffer.Mode.OPEN
                           else None)
            offer = offer_create(actor=actor, patent_number=row["patent_number"], mode=row["mode"],
                                 price_terms=row["price_terms"], field=row["field"], maturity=row["maturity"],
                                 scenarios=row["scenarios"], declaration=declaration)
            counts["refused" if offer.state == TechOffer.State.REFUSED else "published"] += 1
    return counts
