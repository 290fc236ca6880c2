"""Every list shows its caller their own organization's records and never another's, and a public list never shows
what is not public (unpublished, unconsented, withdrawn records; personal data).

The world holds, for each kind of record, one of the caller's organization and one of ANOTHER organization of the
same type, each carrying a unique marker (an ASCII token in a field the list shows). Each row asks a list as one
caller and says which markers must appear and which never may, in HTML, JSON and in the list's exports (.xlsx,
.csv, .docx). The mirror row, asked as the other organization, proves the hidden marker really is shown where it is
allowed, so no row can pass only because a field is not rendered. A list route with neither a row nor a stated
reason for having none fails the completeness tests, so a new list cannot ship unchecked."""

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from typing import NamedTuple

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.roles import Role
from ipcity.accounts.services import api_token_create, user_create
from ipcity.evidence.ledger import sequence_pending
from ipcity.evidence.services import registration_create
from ipcity.operations.brands import watch_add
from ipcity.operations.finance import claim_file, financing_apply
from ipcity.operations.navigation import portfolio_create
from ipcity.operations.services import (
    interest_express,
    need_create,
    need_review,
    offer_create,
    offer_withdraw,
)
from ipcity.plan.assessment import interview_record
from ipcity.plan.core.schema import parse_plan
from ipcity.plan.models import KeyTask
from ipcity.plan.services import plan_import
from ipcity.plan.supervision import unit_is_responsible, work_item_create, work_item_transition
from ipcity.protection.assistance import assistance_request
from ipcity.protection.core.credit import Penalty
from ipcity.protection.core.trade_secret import QUESTIONS
from ipcity.protection.credit import listing_create, repair_apply
from ipcity.protection.enforcement import case_register
from ipcity.protection.inspections import plan_create
from ipcity.protection.mediation import mediation_apply
from ipcity.protection.trade_secrets import assessment_submit
from ipcity.services.agencies import custody_record, profile_save
from ipcity.services.applications import application_submit
from ipcity.services.catalogue import item_create
from ipcity.services.certification import certification_record, guidance_advance, guidance_start
from ipcity.services.culture import demonstration_nominate, talent_record
from ipcity.services.experts import conflict_add, consent_set, expert_add, expert_assign
from ipcity.services.policies import policy_application_step, policy_apply, policy_create
from ipcity.services.training import sign_in, training_create, training_register
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.conftest import bundled_plan_bytes, make_people
from tests.services.helpers import guide as service_guide

# The other organization of each persona's type, and its user (named "other_<persona>").
OTHERS = {
    "enterprise_user": ("他人企业有限公司", OrgType.ENTERPRISE, Role.ENTERPRISE_USER),
    "university_user": ("他人大学", OrgType.UNIVERSITY, Role.UNIVERSITY_USER),
    "agency_user": ("他人知识产权代理所", OrgType.SERVICE_AGENCY, Role.AGENCY_USER),
    "mediator": ("他人调解委员会", OrgType.MEDIATION_BODY, Role.MEDIATOR),
    "enforcement_officer": ("他区市场监管执法支队", OrgType.GOVERNMENT_UNIT, Role.ENFORCEMENT_OFFICER),
    "unit_staff": (None, OrgType.GOVERNMENT_UNIT, Role.UNIT_STAFF),  # the plan's 区文化和旅游局
    "expert": ("他人研究院", OrgType.UNIVERSITY, Role.EXPERT),
    "notary_user": ("他人公证处", OrgType.NOTARY, Role.NOTARY),
    "finance_user": ("他人银行", OrgType.FINANCIAL_INSTITUTION, Role.FINANCE_USER),
}
PASSWORD = "Str0ng!Passw0rd"


class Markers(dict):
    """key -> a unique ASCII token; no token is a substring of another, and JSON and XML leave them as they are."""

    def __call__(self, key: str) -> str:
        assert key not in self, key
        self[key] = f"ZQ{sum(isinstance(v, str) and v.startswith('ZQ') for v in self.values()):03d}X"
        return self[key]


def _world():
    m = Markers()
    plan_import(plan_data=parse_plan(bundled_plan_bytes()), actor=None)
    people = make_people()
    culture = Organization.objects.get(code="culture_tourism")
    for persona, (name, org_type, role) in OTHERS.items():
        if persona in ("enterprise_user", "agency_user"):  # their names are what must stay hidden
            name = f"{name}{m('org.other_' + persona.removesuffix('_user'))}"
        org = culture if name is None else Organization.objects.create(name=name, org_type=org_type)
        people[f"other_{persona}"] = user_create(actor=None, username=f"other_{persona}", password=PASSWORD,
                                                 organization=org, role=role, full_name=f"他人{persona}",
                                                 phone="13700001111", id_number="120104198002023332")
    p = people
    own_ent, other_ent = p["enterprise_user"].organization, p["other_enterprise_user"].organization
    own_uni, other_uni = p["university_user"].organization, p["other_university_user"].organization
    own_unit, other_unit = p["unit_staff"].organization, culture
    office = p["office_admin"]

    # ---- registries: patents of both universities and both enterprises, policies insured with both banks ----
    patents = import_batch_start(kind="patents", filename="p.csv", actor=None)
    rows = [("202110011111.1", own_uni, m("offer.own.published")), ("202110011112.X", own_uni, m("offer.own.withdrawn")),
            ("202110022221.3", other_uni, m("offer.other.published")),
            ("202110022222.1", other_uni, m("offer.other.withdrawn")),
            ("202110033331.5", own_ent, "焊缝检测"), ("202110044441.7", other_ent, "焊缝识别")]
    import_batch_run(batch=patents, data=("申请号,申请日,专利类型,发明名称,专利权人,专利权人地址,授权公告日\n" + "\n".join(
        f"{n},2021-03-01,发明,{title},{org.name},天津市南开区,2023-05-09" for n, org, title in rows)).encode())
    policies = import_batch_start(kind="policies", filename="i.csv", actor=None)
    import_batch_run(batch=policies, data=(
        "保单号,险种,投保人,保险公司,起保日\n"
        f"{m('policy.own')},专利保险,{own_ent.name},{p['finance_user'].organization.name},2026-01-01\n"
        f"{m('policy.other')},专利保险,{other_ent.name},{p['other_finance_user'].organization.name},2026-01-01"
    ).encode())

    # ---- evidence ----
    registration_create(actor=p["enterprise_user"], kind="copyright_work", chunks=[b"own work"], filename="a.pdf",
                        metadata={"title": m("registration.own"), "work_type": "美术", "author": "张三",
                                  "completed_on": "2026-10-01"})
    registration_create(actor=p["other_enterprise_user"], kind="copyright_work", chunks=[b"other work"],
                        filename="b.pdf", metadata={"title": m("registration.other"), "work_type": "美术",
                                                    "author": "李四", "completed_on": "2026-10-01"})
    for who, notary, key in (("enterprise_user", "notary_user", "own"), ("other_enterprise_user", "other_notary_user",
                                                                          "other")):
        registration_create(actor=p[who], kind="notarization", chunks=[f"page {key}".encode()], filename="p.html",
                            metadata={"title": m(f"notarization.{key}"), "notary": p[notary].organization.name,
                                      "purpose": "诉讼"})
    sequence_pending()

    # ---- operations ----
    offers = {}
    for who, key, number in (("university_user", "own.published", "202110011111.1"),
                             ("university_user", "own.withdrawn", "202110011112.X"),
                             ("other_university_user", "other.published", "202110022221.3"),
                             ("other_university_user", "other.withdrawn", "202110022222.1")):
        offers[key] = offer_create(actor=p[who], patent_number=number, mode="ordinary", price_terms="面议",
                                   field="新能源", maturity="中试")
        if key.endswith("withdrawn"):
            offer_withdraw(actor=p[who], offer=offers[key])
    needs = {}
    for who, key, publish, confidential in (("enterprise_user", "own.pending", False, False),
                                            ("enterprise_user", "own.published", True, False),
                                            ("other_enterprise_user", "other.pending", False, False),
                                            ("other_enterprise_user", "other.confidential", True, True)):
        needs[key] = need_create(actor=p[who], title=m(f"need.{key}"), problem="需要预测动力电池的剩余寿命",
                                 field="新能源", deadline=dt.date(2027, 6, 30), confidential=confidential)
        if publish:
            need_review(actor=office, need=needs[key], approve=True)
    for who, offer_key, key in (("enterprise_user", "own.published", "own"),
                                ("other_enterprise_user", "other.published", "other")):
        interest = interest_express(actor=p[who], offer=offers[offer_key], message=m(f"interest.{key}"))
        m[f"interest_id.{key}"] = ("id", interest.pk)
    for who, bank, key, number in (("enterprise_user", "finance_user", "own", "202110033331.5"),
                                   ("other_enterprise_user", "other_finance_user", "other", "202110044441.7")):
        financing = financing_apply(actor=p[who], bank=p[bank].organization, amount_requested=Decimal(100),
                                    purpose=m(f"financing.{key}"), patents=[number])
        m[f"financing_id.{key}"] = ("id", financing.pk)
        claim_file(actor=p[who], policy_number=m[f"policy.{key}"], amount_claimed=Decimal(10), reason="维权")
    for who, key, number in (("university_user", "own", "202110011111.1"),
                             ("other_university_user", "other", "202110022221.3")):
        portfolio_create(actor=p[who], name=m(f"portfolio.{key}"), industry="新能源", patent_numbers=[number],
                         milestones=[{"name": "布局规划", "due": "2027-06-30"}])
    watch_add(actor=office, organization=other_ent, reason=m("watch.reason"), added_on=dt.date(2026, 1, 10))

    # ---- protection ----
    for who, key in (("enterprise_user", "own"), ("other_enterprise_user", "other")):
        body = p["mediator" if key == "own" else "other_mediator"].organization
        mediation_apply(actor=p[who], channel="people", body=body, respondent=m(f"mediation.{key}"),
                        right_type="trademark", claim="假冒")
        assistance_request(actor=p[who], topic=m(f"assistance.{key}"), description="临时禁令")
    cases = {}
    for who, key in (("enforcement_officer", "own"), ("other_enforcement_officer", "other")):
        cases[key] = case_register(actor=p[who], kind="patent", source="inspection", party=m(f"case.{key}"),
                                   facts="假冒专利", received_on=dt.date(2026, 10, 1), party_phone="13811112222")
    m["case.phone"] = "13811112222"
    assessments = {}
    for who, key, day in (("enterprise_user", "own", dt.date(2025, 3, 11)),
                          ("other_enterprise_user", "other", dt.date(2025, 4, 22))):
        with clock.on_day(day, hour=9):
            assessments[key], _ = assessment_submit(actor=p[who], answers=dict.fromkeys((q.code for q in QUESTIONS), True))
        m[f"secret.{key}"] = f"{day:%Y-%m-%d} 09:00"
        m[f"secret_id.{key}"] = ("id", assessments[key].pk)
    own_listing = listing_create(actor=office, organization=own_ent, listed_on=dt.date(2026, 1, 10), penalties=[
        Penalty(m("listing.own.penalty"), dt.date(2025, 1, 1), True, True, False)])
    other_listing = listing_create(actor=office, organization=other_ent, listed_on=dt.date(2026, 1, 10), penalties=[
        Penalty(m("listing.other.penalty"), dt.date(2025, 1, 1), True, True, False)])
    repair_apply(actor=p["enterprise_user"], listing=own_listing, statement=m("listing.own.statement"))
    repair_apply(actor=p["other_enterprise_user"], listing=other_listing, statement=m("listing.other.statement"))
    plan_create(actor=office, code="draft-plan", title=m("inspection.draft"), quotas={"low": 1})

    # ---- services ----
    items = {}
    for unit, key in ((own_unit, "own"), (other_unit, "other")):
        items[key] = item_create(actor=office, code=f"NK-SCOPE-{key.upper()}", name=m(f"service_item.{key}"), unit=unit,
                                 item_type="public_service", guide=service_guide())
    for who, key in (("enterprise_user", "own"), ("other_enterprise_user", "other")):
        application_submit(actor=p[who], item=items[key], description=m(f"application.{key}"),
                           files=[SimpleUploadedFile("表.pdf", b"%PDF-1.4 scope")])
    for who, enterprise, key in (("agency_user", own_ent, "own"), ("other_agency_user", other_ent, "other")):
        profile_save(actor=p[who], services=["custody"], qualifications=[], staff=3, attorneys=0,
                     description="托管服务", listed=key == "own")
        custody_record(actor=p[who], enterprise=enterprise, enterprise_size="small", scope=["fees"],
                       starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31), note=m(f"custody.{key}"))
        guidance = guidance_start(actor=p[who], enterprise=enterprise, started_on=dt.date(2025, 6, 1))
        guidance_advance(actor=p[who], guidance=guidance, note=m(f"guidance.{key}"))
        certification_record(actor=p[who.replace("agency", "enterprise")], enterprise=enterprise,
                             certifier="某认证公司", certificate_number=m(f"certification.{key}"), scope="研发",
                             issued_on=dt.date(2025, 1, 5), valid_until=dt.date(2028, 1, 4),
                             guiding_agency=p[who].organization)
    experts = {}
    for who, key in (("expert", "own"), ("other_expert", "other")):
        experts[key] = expert_add(actor=office, name=m(f"expert.{key}"), title="教授", organization_name="某大学",
                                  specialties=["patent"], user=p[who])
        expert_assign(actor=office, expert=experts[key], kind="assessment", subject=m(f"assignment.{key}"))
    consent_set(actor=p["expert"], expert=experts["own"], consent=True)  # the other never consented
    conflict_add(actor=office, expert=experts["own"], organization=other_ent, reason=m("conflict.reason"))
    policies = {}
    for unit, key, number in ((own_unit, "own", "南开科规〔2025〕1号"), (other_unit, "other", "南开文旅规〔2025〕1号")):
        policies[key] = policy_create(
            actor=office, level="district", issuer="某局", document_number=number, title=f"资助办法{key}",
            summary="资助", issued_on=dt.date(2025, 3, 1), effective_from=dt.date(2025, 3, 1), responsible_unit=unit,
            task_numbers=[11], measures=[{"kind": "subsidy", "name": "资助", "standard": "每件3000元",
                                          "cap": Decimal(3000)}])
    for who, unit_staff, key in (("enterprise_user", "unit_staff", "own"),
                                 ("other_enterprise_user", "other_unit_staff", "other")):
        applied = policy_apply(actor=p[who], measure=policies[key].measures.get(), amount_requested=Decimal(3000),
                               description=m(f"policy_application.{key}"))
        policy_application_step(actor=p[unit_staff], application=applied, action="approve",
                                amount_granted=Decimal(3000))
    talent_record(actor=office, name=m("talent.name"), organization_name="某所", category="patent_attorney")
    demonstration_nominate(actor=p["unit_staff"], name=m("nomination.pending"), kind="school", year=2026,
                           reason="课程体系完整")
    training = training_create(actor=p["unit_staff"], title="培训", audience="public", held_on=clock.today(),
                               hours=Decimal(2), place="会议室", capacity=10, registration_deadline=clock.today())
    for who, key, phone in (("enterprise_user", "own", "13955550001"), ("other_enterprise_user", "other", "13955550002")):
        m[f"training_registration.{key}"] = ("id", training_register(actor=p[who], training=training, phone=phone).pk)
    sign_in(training=training, token=training.sign_in_token, name=m("attendee.name"), organization_name="某公司",
            phone="13955556666")
    m["attendee.phone"] = "13955556666"
    m["training.token"] = training.sign_in_token
    m["member.phone"], m["member.id_number"] = "13912345678", "120104199001011238"  # every persona's (conftest)

    # ---- supervision ----
    task = next(t for t in KeyTask.objects.filter(plan__is_current=True).order_by("number")
                if unit_is_responsible(t, own_unit) and unit_is_responsible(t, other_unit))  # both on one page
    for unit, key in ((own_unit, "own"), (other_unit, "other")):
        item = work_item_create(actor=office, task=task, unit=unit, year=2026, title=m(f"work_item.{key}"),
                                deadline=clock.today() + dt.timedelta(days=2))  # due soon: on the dashboards
        work_item_transition(actor=office, item=item, action="assign")
        interview_record(actor=office, unit=unit, year=2026, held_on=dt.date(2026, 10, 25), interviewer="主任",
                         interviewees="副局长", reason=m(f"interview.{key}"), content="分析原因",
                         requirements="按期报送", rectification_deadline=dt.date(2026, 12, 1))
    for who, key in (("enterprise_user", "own"), ("other_enterprise_user", "other")):
        api_token_create(user=p[who], name=m(f"token.{key}"))

    ids = {"own_org": own_ent.pk, "training": training.pk, "task": task.number, "expert": experts["own"].pk, "case": cases["own"].pk,
           "offer": offers["own.published"].pk, "need": needs["own.published"].pk, "service_item": items["own"].code,
           "policy": policies["own"].pk}
    return people, ids, m


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Made once for the module inside a transaction rolled back at its end (the rows only read)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def body_text(response) -> str:
    """What a reader of the response sees, with the members of an .xlsx or .docx (zip) file concatenated."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))
    return content.decode("utf-8", errors="replace")



class Row(NamedTuple):
    path: str
    viewer: str | None  # a persona of tests/conftest.py, "other_<persona>" (the other organization's), or None
    sees: tuple[str, ...]  # marker keys that must appear
    never: tuple[str, ...]  # marker keys that must not


def row(path, viewer, sees=(), never=()) -> Row:
    return Row(path, viewer, tuple(sees), tuple(never))


def mirror(path, persona, key, office=True) -> list[Row]:
    """The persona's organization sees `key.own` and never `key.other`; the other organization the reverse; the
    office (which supervises the list) both."""
    rows = [row(path, persona, [f"{key}.own"], [f"{key}.other"]),
            row(path, f"other_{persona}", [f"{key}.other"], [f"{key}.own"])]
    return rows + ([row(path, "office_admin", [f"{key}.own", f"{key}.other"])] if office else [])


ROWS = [
    # accounts: an organization reads its own organization, its own user's tokens
    *mirror("/account/", "enterprise_user", "token", office=False),
    row("/orgs/", "enterprise_user", never=["org.other_enterprise"]),
    row("/orgs/", "office_admin", ["org.other_enterprise", "org.other_agency"]),
    row("/api/v1/organizations", "enterprise_user", never=["org.other_enterprise"]),
    row("/api/v1/organizations", "office_admin", ["org.other_enterprise"]),
    row("/orgs/{own_org}/", "enterprise_user", never=["member.phone", "member.id_number"]),  # masked
    row("/orgs/{own_org}/", "office_admin", ["member.phone", "member.id_number"]),  # the office's role may
    row("/api/v1/organizations/{own_org}/members", "enterprise_user", never=["member.phone", "member.id_number"]),
    row("/api/v1/organizations/{own_org}/members", "office_admin", ["member.phone", "member.id_number"]),
    # supervision: a unit reads its own work items and interviews
    *mirror("/supervision/", "unit_staff", "work_item"),
    *mirror("/supervision/ledger.xlsx", "unit_staff", "work_item"),
    *mirror("/workspace/", "unit_staff", "work_item", office=False),
    *mirror("/plan/tasks/{task}/", "unit_staff", "work_item"),  # the plan's task page lists the unit's own items
    *mirror("/api/v1/supervision/items", "unit_staff", "work_item"),
    *mirror("/api/v1/supervision/ledger.xlsx", "unit_staff", "work_item"),
    *mirror("/api/v1/supervision/dashboard", "unit_staff", "work_item"),
    *mirror("/supervision/interviews/", "unit_staff", "interview"),
    *mirror("/api/v1/supervision/interviews", "unit_staff", "interview"),
    # evidence: registrations are their organization's; a notary reads what was sent to it
    *mirror("/evidence/", "enterprise_user", "registration", office=False),
    *mirror("/api/v1/evidence/registrations", "enterprise_user", "registration", office=False),
    *mirror("/evidence/notarizations/", "enterprise_user", "notarization", office=False),
    *mirror("/evidence/notarizations/", "notary_user", "notarization", office=False),
    *mirror("/api/v1/evidence/notarizations", "enterprise_user", "notarization", office=False),
    *mirror("/api/v1/evidence/notarizations", "notary_user", "notarization", office=False),
    # operations
    row("/operations/", None, ["offer.own.published", "offer.other.published", "need.own.published"],
        ["offer.own.withdrawn", "offer.other.withdrawn", "need.own.pending", "need.other.pending",
         "org.other_enterprise"]),  # the other enterprise's published need is confidential: no name
    row("/operations/", "university_user", ["offer.own.withdrawn"], ["offer.other.withdrawn"]),
    row("/operations/", "other_university_user", ["offer.other.withdrawn"], ["offer.own.withdrawn"]),
    row("/operations/", "enterprise_user", ["need.own.pending"], ["need.other.pending", "org.other_enterprise"]),
    row("/operations/", "other_enterprise_user", ["need.other.pending"], ["need.own.pending"]),
    row("/operations/", "office_admin", ["need.own.pending", "need.other.pending"]),
    row("/api/v1/operations/offers", None, ["offer.own.published", "offer.other.published"],
        ["offer.own.withdrawn", "offer.other.withdrawn"]),
    row("/api/v1/operations/offers", "university_user", ["offer.own.published"], ["offer.other.withdrawn"]),
    row("/api/v1/operations/needs", None, ["need.own.published", "need.other.confidential"],
        ["need.own.pending", "need.other.pending", "org.other_enterprise"]),
    row("/api/v1/operations/needs", "enterprise_user", ["need.own.pending"],
        ["need.other.pending", "org.other_enterprise"]),
    row("/api/v1/operations/needs", "other_enterprise_user", ["need.other.pending"], ["need.own.pending"]),
    row("/api/v1/operations/needs", "office_admin", ["need.own.pending", "need.other.pending"]),
    # an offer's page: an enterprise links its interest to one of its own needs, never another's
    row("/operations/offers/{offer}/", "enterprise_user", ["need.own.pending"], ["need.other.pending"]),
    row("/operations/offers/{offer}/", "other_enterprise_user", ["need.other.pending"], ["need.own.pending"]),
    *mirror("/operations/interests/", "enterprise_user", "interest"),
    *mirror("/operations/interests/", "university_user", "interest", office=False),  # interests in its offers
    *mirror("/api/v1/operations/interests", "enterprise_user", "interest_id"),
    *mirror("/api/v1/operations/interests", "university_user", "interest_id", office=False),
    *mirror("/operations/finance/", "enterprise_user", "financing"),
    *mirror("/operations/finance/", "enterprise_user", "policy", office=False),
    *mirror("/operations/finance/", "finance_user", "financing", office=False),
    *mirror("/operations/finance/", "finance_user", "policy", office=False),
    *mirror("/api/v1/operations/financing", "enterprise_user", "financing_id"),
    *mirror("/api/v1/operations/financing", "finance_user", "financing_id", office=False),
    *mirror("/api/v1/operations/claims", "enterprise_user", "policy"),
    *mirror("/api/v1/operations/claims", "finance_user", "policy", office=False),
    *mirror("/operations/portfolios/", "university_user", "portfolio"),
    *mirror("/api/v1/operations/portfolios", "university_user", "portfolio"),
    row("/operations/brands/", None, never=["watch.reason"]),
    row("/operations/brands/", "other_enterprise_user", never=["watch.reason"]),  # the office's working list
    row("/operations/brands/", "office_admin", ["watch.reason"]),
    # protection
    row("/protection/", None, never=["inspection.draft"]),
    row("/protection/", "enforcement_officer", never=["inspection.draft"]),
    row("/protection/", "office_admin", ["inspection.draft"]),
    row("/api/v1/protection/inspections", None, never=["inspection.draft"]),
    row("/api/v1/protection/inspections", "office_admin", ["inspection.draft"]),
    row("/protection/credit/", None, never=["listing.own.penalty", "listing.other.penalty",
                                            "listing.own.statement", "listing.other.statement"]),
    row("/protection/credit/", "enterprise_user", ["listing.own.penalty"],
        ["listing.other.penalty", "listing.other.statement"]),
    row("/protection/credit/", "other_enterprise_user", ["listing.other.penalty"],
        ["listing.own.penalty", "listing.own.statement"]),
    row("/api/v1/protection/credit/listings", "enterprise_user", ["listing.own.penalty", "listing.own.statement"],
        ["listing.other.penalty", "listing.other.statement"]),
    row("/api/v1/protection/credit/listings", "other_enterprise_user",
        ["listing.other.penalty", "listing.other.statement"], ["listing.own.penalty", "listing.own.statement"]),
    row("/api/v1/protection/credit/listings", "office_admin", ["listing.own.statement", "listing.other.statement"]),
    *mirror("/protection/trade-secrets/", "enterprise_user", "secret", office=False),
    *mirror("/api/v1/protection/trade-secrets/assessments", "enterprise_user", "secret_id", office=False),
    *mirror("/protection/mediations/", "enterprise_user", "mediation"),
    *mirror("/protection/mediations/", "mediator", "mediation", office=False),
    *mirror("/api/v1/protection/mediations", "enterprise_user", "mediation"),
    *mirror("/api/v1/protection/mediations", "mediator", "mediation", office=False),
    *mirror("/protection/cases/", "enforcement_officer", "case"),
    *mirror("/api/v1/protection/cases", "enforcement_officer", "case"),
    *mirror("/protection/assistance/", "enterprise_user", "assistance"),
    *mirror("/api/v1/protection/assistance", "enterprise_user", "assistance"),
    # services
    *mirror("/services/applications/", "enterprise_user", "service_item"),
    *mirror("/services/applications/", "unit_staff", "service_item", office=False),  # its unit's items
    *mirror("/api/v1/services/applications", "enterprise_user", "application"),
    *mirror("/api/v1/services/applications", "unit_staff", "application", office=False),
    *mirror("/services/custody/", "enterprise_user", "custody"),
    *mirror("/services/custody/", "agency_user", "custody", office=False),
    *mirror("/api/v1/services/custody", "enterprise_user", "custody"),
    *mirror("/api/v1/services/custody", "agency_user", "custody", office=False),
    *mirror("/services/certifications/", "enterprise_user", "certification"),
    *mirror("/services/certifications/", "agency_user", "certification", office=False),
    row("/services/certifications/", "enterprise_user", never=["org.other_enterprise", "org.other_agency"]),
    row("/services/certifications/", "agency_user", never=["org.other_agency"]),  # (it picks among all enterprises)
    *mirror("/api/v1/services/certifications", "enterprise_user", "certification"),
    *mirror("/api/v1/services/certifications", "agency_user", "certification", office=False),
    *mirror("/api/v1/services/certification-guidance", "enterprise_user", "guidance"),
    *mirror("/api/v1/services/certification-guidance", "agency_user", "guidance", office=False),
    *mirror("/api/v1/services/expert-assignments", "expert", "assignment"),
    row("/services/experts/", None, ["expert.own"], ["expert.other"]),  # only who consented
    row("/services/experts/", "expert", ["expert.own"], ["expert.other"]),
    row("/services/experts/", "office_admin", ["expert.own", "expert.other"]),  # the pool
    row("/api/v1/services/experts", "other_expert", ["expert.own"], ["expert.other"]),
    row("/services/agencies/", None, never=["org.other_agency"]),  # not listed
    row("/api/v1/services/agencies", None, never=["org.other_agency"]),
    row("/services/culture/", None, never=["nomination.pending"]),
    row("/services/culture/", "unit_staff", never=["nomination.pending"]),  # nominated it; the office decides
    row("/services/culture/", "office_admin", ["nomination.pending"]),
    row("/services/trainings/{training}/", None, never=["attendee.name", "attendee.phone"]),
    row("/services/trainings/{training}/", "other_unit_staff", never=["attendee.name", "attendee.phone"]),
    row("/services/trainings/{training}/", "unit_staff", ["attendee.name", "training.token"],
        ["attendee.phone"]),  # the organizer: the sign-in code, the list with phones masked
    row("/api/v1/services/trainings/{training}/attendees", "unit_staff", ["attendee.name", "training.token"],
        ["attendee.phone"]),
    row("/services/experts/{expert}/", "expert", ["conflict.reason"]),  # the expert's own declarations
    row("/api/v1/services/experts/pool", "office_admin", ["conflict.reason"]),
    row("/protection/cases/{case}/", "office_admin", ["case.own"], ["case.phone"]),  # masked: not handling it
    row("/protection/cases/{case}/", "enforcement_officer", ["case.own", "case.phone"]),  # registered, handles it
    row("/services/talent/", "office_admin", ["talent.name"]),  # the roll itself: office and units (by design)
    row("/api/v1/services/culture/talent/records", "office_admin", ["talent.name"]),
    *mirror("/services/policies/applications/", "enterprise_user", "policy_application"),
    *mirror("/services/policies/applications/", "unit_staff", "policy_application", office=False),  # its policies
    *mirror("/api/v1/services/policy-applications", "enterprise_user", "policy_application"),
    *mirror("/api/v1/services/policy-applications", "unit_staff", "policy_application", office=False),
    row("/api/v1/services/policy-awards", "enterprise_user", never=["org.other_enterprise"]),
    row("/api/v1/services/policy-awards", "unit_staff", never=["org.other_enterprise"]),
    row("/api/v1/services/policy-awards", "other_unit_staff", ["org.other_enterprise"]),
    row("/api/v1/services/policy-awards", "office_admin", ["org.other_enterprise"]),
    # a person's own training registrations (the office registers for none)
    *mirror("/api/v1/services/training-registrations", "enterprise_user", "training_registration", office=False),
]

# Public routes: an anonymous visitor gets 200 and never a private marker (see PUBLIC_MARKERS).
INDICATOR_CODES = tuple(i["code"] for i in json.loads(bundled_plan_bytes())["indicators"])
DATASET_CODES = ("indicators", "service_items", "agencies", "open_licences", "trainings", "standardized_markets",
                 "experts")
PUBLIC = [
    "/", "/indicators/", "/indicators/by-year/", "/api/v1/indicators/by-year", "/indicators/report.xlsx", "/indicators/report.docx", "/plan/units/", "/plan/tasks/{task}/",
    "/evidence/", "/operations/", "/operations/events/", "/operations/alliance/", "/operations/products/",
    "/operations/centers/", "/api/v1/operations/centers",
    "/operations/clusters/", "/api/v1/operations/clusters", "/api/v1/operations/industry-education-agreements",
    "/plan/holidays/", "/api/v1/plan/holidays",
    "/operations/brands/", "/operations/navigation/", "/protection/", "/protection/credit/",
    "/protection/credit/export.csv", "/protection/credit/export.json", "/protection/markets/", "/services/",
    "/services/agencies/", "/services/culture/", "/services/experts/", "/services/open-data/",
    "/services/trainings/", "/services/trainings/{training}/", "/services/experts/{expert}/",
    "/operations/offers/{offer}/", "/operations/needs/{need}/", "/services/items/{service_item}/",
    *(f"/services/open-data/{code}.{fmt}" for code in DATASET_CODES for fmt in ("csv", "json")),
    "/api/v1/plan", "/api/v1/plan/goals", "/api/v1/plan/indicators", "/api/v1/plan/tasks",
    "/api/v1/plan/tasks/{task}/modules",
    "/plan/satisfaction/", "/plan/high-tech/", "/api/v1/plan/surveys", "/api/v1/plan/satisfaction",
    "/api/v1/plan/high-tech",
    "/api/v1/plan/safeguards", "/api/v1/reports/indicators.xlsx", "/api/v1/reports/indicators.docx",
    "/api/v1/operations/offers", "/api/v1/operations/needs", "/api/v1/operations/navigation",
    "/api/v1/operations/events", "/api/v1/operations/alliance", "/api/v1/operations/products",
    "/api/v1/operations/brands/holders", "/api/v1/operations/brands/geographical-indications",
    "/api/v1/protection/inspections", "/api/v1/protection/credit",
    "/api/v1/protection/credit/export?format=csv", "/api/v1/protection/credit/export?format=json",
    "/api/v1/protection/trade-secrets/questions", "/api/v1/protection/cooperation", "/api/v1/protection/markets",
    "/api/v1/protection/agency-conduct/published",
    "/api/v1/services/items", "/api/v1/services/items/{service_item}", "/api/v1/services/satisfaction",
    "/api/v1/services/trainings", "/api/v1/services/trainings/{training}", "/api/v1/services/experts/{expert}",
    "/api/v1/services/agencies", "/api/v1/services/experts", "/api/v1/services/open-data",
    *(f"/api/v1/services/open-data/{code}" for code in DATASET_CODES),
    *(f"/api/v1/services/open-data/{code}?format=csv" for code in DATASET_CODES),
    "/api/v1/services/culture/events", "/api/v1/services/culture/schools",
    "/api/v1/services/culture/demonstration-units", "/api/v1/services/culture/talent",
    "/services/policies/", "/services/policies/{policy}/", "/api/v1/services/policies",
    "/api/v1/services/policies/{policy}", "/api/v1/services/policies/figures",
    "/services/copyright/", "/services/cultural-resources/", "/services/cultural-products/", "/services/tcm/",
    "/api/v1/services/culture/copyright", "/api/v1/services/culture/resources", "/api/v1/services/culture/products",
    "/api/v1/services/culture/tcm-projects", "/api/v1/services/trainings/audiences",
]
# What anyone may read: published offers and needs (a confidential need's title, not its enterprise), consenting
# experts, the catalogue's items, the patents' titles in the public registers (the withdrawn offers' markers are those
# titles: the rows above hold that the offer lists never show them). Every other marker is private.
PUBLIC_MARKERS = {"offer.own.published", "offer.other.published", "need.own.published", "need.other.confidential",
                  "offer.own.withdrawn", "offer.other.withdrawn",
                  "expert.own", "service_item.own", "service_item.other",
                  "org.other_enterprise"}  # named in force on the public dishonesty list (its need is another row)

# Routes that are not a scoped list, and why. A GET route in none of ROWS, PUBLIC and here fails the completeness
# tests below.
UNSCOPED = {
    "login/": "a form", "logout/": "POST only", "account/": "in ROWS",
    "orgs/new/": "the office's form", "orgs/<int:pk>/edit/": "one organization; the permission table holds who",
    "orgs/<int:pk>/members/": "POST only", "orgs/<int:pk>/members/<str:username>/": "POST only",
    "audit/": "the office's audit trail: every organization by design",
    "audit/export.xlsx": "the office's audit trail: every organization by design",
    "plan/goals/<slug:code>/": "plan text (public)", "plan/indicators/<slug:code>/": "one indicator (public)",
    "plan/units/<int:pk>/": "one unit's plan tasks (public)",
    "plan/satisfaction/<int:pk>/": "one survey's totals (drafts 404 to all but the office: permission table)",
    "plan/satisfaction/<int:pk>/qr.svg": "the office's code of the public link",
    "plan/satisfaction/answer/<slug:token>/": "a form",
    "/api/v1/plan/surveys/{survey_id}": "one survey's totals (drafts 404 to all but the office: permission table)",
    "registries/": "the office's registry imports", "registries/batches/<int:pk>/": "one import batch (office)",
    "registries/coverage/": "the office's registry coverage: one district-wide setting per kind of records",
    "registries/patents/": "the public registers, read by the office and the units",
    "registries/patents/<str:number>/": "one registered patent (office and units)",
    "registries/<slug:kind>/": "the public registers, read by the office and the units",
    "supervision/tasks/<int:number>/new/": "the office's form",
    "supervision/items/<int:pk>/": "one work item; the permission table holds who",
    "supervision/ledger/": "the office's upload form",
    "supervision/assessment/": "the assessment ranks every unit, read by every member unit by design",
    "supervision/assessment/bulletin.docx": "the office's bulletin",
    "supervision/fund/": "the district's budget, read by every member unit by design",
    "supervision/fund.xlsx": "the district's budget, read by every member unit by design",
    "supervision/evaluations/": "the office's reports", "supervision/evaluations/<int:pk>/": "the office's report",
    "supervision/settings/": "the office's rules", "supervision/meetings/": "minutes go to every member unit",
    "supervision/meetings/new/": "the office's form", "supervision/meetings/<int:pk>/": "minutes (every unit)",
    "supervision/interviews/new/": "the office's form",
    "supervision/interviews/<int:pk>/": "one interview; the permission table holds who",
    "files/<int:pk>/": "one attachment; the permission table holds who",
    "files/attach/<slug:kind>/<int:pk>/": "POST only: adds 佐证材料 to one record (tests/test_supporting_files.py)",
    "supervision/evidence-package.zip": "the office's evidence package: every record by design",
    "evidence/new/<slug:kind>/": "a form", "evidence/registrations/<int:pk>/": "one registration (permission table)",
    "evidence/registrations/<int:pk>/bundle": "one registration (permission table)",
    "evidence/registrations/<int:pk>/certificate.pdf": "one registration (permission table)",
    "evidence/verify/": "a form", "evidence/stats/": "the office's counts",
    "evidence/log/checkpoint": "the public log (digests only)", "evidence/log/keys": "the platform's public keys",
    "evidence/log/tile/<path:path>": "the public log (digests only)",
    "operations/offers/new/": "a form", "operations/offers/import/": "a form",
    "operations/needs/new/": "a form",
    "operations/navigation/<int:pk>/": "one public project",
    "operations/portfolios/<int:pk>/": "one portfolio (permission table)",
    "protection/inspections/<int:pk>/": "one plan (drafts 404 to all but the office: permission table)",
    "protection/inspections/<int:pk>/results/": "one plan's results: the office and the plan's drawn inspectors "
                                                "(permission table)",
    "protection/agency-conduct/": "the office's supervision records of service agencies: every agency by design",
    "protection/mediations/<int:pk>/": "one mediation (permission table)",
    "services/items/new/": "the office's form",
    "services/items/<str:code>/apply/": "a form",
    "services/applications/<int:pk>/": "one application (permission table)",
    "services/applications/<int:pk>/files/<int:attachment_pk>/": "one material (permission table)",
    "services/agencies/<int:pk>/": "one agency (unlisted ones 404: permission table)",
    "services/trainings/<int:pk>/qr.svg": "the organizer's sign-in code",
    "services/trainings/<int:pk>/sign-in/": "a form",
    "services/trainings/<int:pk>/registrations.xlsx": "one training's registrations: its organizer (permission table)",
    "/api/v1/services/trainings/{training_id}/registrations": "one training's registrations: its organizer "
                                                              "(permission table)",
    "/api/v1/services/trainings/{training_id}/registrations.xlsx": "one training's registrations: its organizer "
                                                                   "(permission table)",
    "/api/v1/me": "the caller's own account", "/api/v1/organizations/{org_id}": "one organization (permission table)",
    "/api/v1/indicators/{code}/confirmations": "one indicator's confirmations (public, like its page)",
    "/api/v1/plan/indicators/{code}": "plan text (public)", "/api/v1/plan/tasks/{number}": "plan text (public)",
    "/api/v1/audit": "the office's audit trail: every organization by design",
    "/api/v1/registries/imports/{batch_id}": "one import batch (office)",
    "/api/v1/registries/patents/{number}/events": "one registered patent's legal events (office and units)",
    "/api/v1/registries/coverage": "the office's registry coverage: one district-wide setting per kind of records",
    "/api/v1/registries/{kind}": "the public registers, read by the office and the units",
    "/api/v1/supervision/items/{item_id}": "one work item (permission table)",
    "/api/v1/supervision/items/{item_id}/report-standings": "one work item (permission table)",
    "/api/v1/supervision/assessment": "the assessment ranks every unit, read by every member unit by design",
    "/api/v1/supervision/assessment/bulletin.docx": "the office's bulletin",
    "/api/v1/supervision/assessment/scope": "the office's setting of who is ranked, read by every member unit",
    "/api/v1/supervision/assessment/scope/history": "the office's setting of who is ranked, read by every member "
                                                    "unit",
    "/api/v1/supervision/fund": "the district's budget, read by every member unit by design",
    "/api/v1/supervision/fund.xlsx": "the district's budget, read by every member unit by design",
    "/api/v1/supervision/evaluations": "the office's reports",
    "/api/v1/supervision/evidence-package": "the office's evidence package: every record by design",
    "/api/v1/files/{attachment_id}": "one attachment (permission table)",
    "/api/v1/records/{kind}/{subject_id}/files": "one record's 佐证材料, read as the record is (permission table; "
                                                 "tests/test_supporting_files.py)",
    "/api/v1/supervision/evaluations/{report_id}": "the office's report",
    "/api/v1/supervision/evaluations/{report_id}/document": "the office's report",
    "/api/v1/supervision/settings": "the office's rules", "/api/v1/supervision/meetings": "minutes (every unit)",
    "/api/v1/supervision/meetings/{meeting_id}": "minutes (every unit)",
    "/api/v1/supervision/interviews/{interview_id}": "one interview (permission table)",
    "/api/v1/evidence/registrations/{registration_id}": "one registration (permission table)",
    "/api/v1/evidence/registrations/{registration_id}/bundle": "one registration (permission table)",
    "/api/v1/evidence/registrations/{registration_id}/certificate.pdf": "one registration (permission table)",
    "/api/v1/evidence/statistics": "the office's counts",
    "/api/v1/operations/offers/{offer_id}/matches": "public needs matched to one's own offer (permission table)",
    "/api/v1/operations/needs/{need_id}/matches": "public offers matched to one's own need (permission table)",
    "/api/v1/operations/navigation/{project_id}/landscape": "one public project",
    "/api/v1/operations/navigation/{project_id}/report.docx": "one public project",
    "/api/v1/operations/watch-list": "the office's working list (permission table)",
    "operations/clusters/<int:pk>/": "one cluster (public: its enterprises and counts from the public registers)",
    "/api/v1/operations/clusters/{cluster_id}": "one cluster (public: its enterprises and counts from the public "
                                                "registers)",
    "/api/v1/protection/inspections/{plan_id}": "one plan (drafts 404 to all but the office: permission table)",
    "/api/v1/protection/inspections/{plan_id}/results": "one plan's results: public once published, before that the "
                                                        "office and the drawn inspectors (permission table)",
    "/api/v1/protection/agency-conduct": "the office's supervision records of service agencies: every agency by design",
    "/api/v1/protection/cases/{case_id}": "one case (permission table)",
    "/api/v1/services/agencies/{agency_id}": "one agency (unlisted ones 404: permission table)",
    "/api/v1/services/experts/pool": "the office's pool (permission table)",
    "/api/v1/services/applications/{application_id}": "one application (permission table)",
    "services/policies/new/": "a form", "services/policies/<int:pk>/edit/": "a form (permission table)",
    "services/policies/applications/<int:pk>/": "one application (permission table)",
    "/api/v1/services/policy-applications/{application_id}": "one application (permission table)",
}
# Markers that no one is ever shown (personal data masked for everyone who may read the list).
NEVER_SHOWN = {"attendee.phone"}


def _client(people, viewer) -> Client:
    client = Client()
    if viewer is not None:
        client.force_login(people[viewer])
    return client


def _json_has(value, key, wanted) -> bool:
    if isinstance(value, dict):
        return value.get(key) == wanted or any(_json_has(v, key, wanted) for v in value.values())
    if isinstance(value, list):
        return any(_json_has(v, key, wanted) for v in value)
    return False


def _shows(marker, text: str) -> bool:
    if isinstance(marker, tuple):  # ("id", pk): a JSON list holding that record
        return _json_has(json.loads(text), *marker)
    return marker in text


@pytest.mark.parametrize("case", ROWS, ids=lambda r: f"{r.path} as {r.viewer or 'anonymous'}")
def test_each_list_shows_its_caller_their_own_records_and_never_another_organizations(world, db, case):
    people, ids, markers = world
    response = _client(people, case.viewer).get(case.path.format(**ids))
    assert response.status_code == 200, response.content[:300]
    text = body_text(response)
    missing = [key for key in case.sees if not _shows(markers[key], text)]
    leaked = [key for key in case.never if _shows(markers[key], text)]
    assert (missing, leaked) == ([], []), f"missing {missing}, leaked {leaked}"


def _private_in(text: str, markers) -> list[str]:
    return [key for key, token in markers.items()
            if key not in PUBLIC_MARKERS and isinstance(token, str) and token in text]


@pytest.mark.parametrize("path", PUBLIC)
def test_a_public_list_never_shows_an_anonymous_visitor_anything_private(world, db, path):
    people, ids, markers = world
    response = Client().get(path.format(**ids))
    assert response.status_code == 200, response.content[:300]
    assert _private_in(body_text(response), markers) == []


LINEAGE = ("/indicators/{code}/records/", "/indicators/{code}/records/?format=xlsx",
           "/indicators/{code}/records/?format=csv", "/api/v1/indicators/{code}/records")


def test_no_indicator_lineage_shows_an_anonymous_visitor_anything_private(world, db):
    """Every indicator computed from the world's records, as a page, its downloads and the API; the others are
    refused as not computed."""
    people, ids, markers = world
    computed = 0
    for code in INDICATOR_CODES:
        for path in LINEAGE:
            response = Client().get(path.format(code=code))
            if response.status_code in (404, 422):  # not computed from records (yet)
                continue
            assert response.status_code == 200, (path.format(code=code), response.content[:300])
            assert _private_in(body_text(response), markers) == [], path.format(code=code)
            computed += 1
    assert computed >= 16


def test_every_hidden_marker_is_shown_somewhere_so_no_row_passes_for_want_of_rendering(world, db):
    shown = {key for case in ROWS for key in case.sees}
    assert {key for case in ROWS for key in case.never} - shown - NEVER_SHOWN == set()
    assert all(case.sees or case.viewer is None or case.never for case in ROWS)
    assert set(world[2]) - shown - NEVER_SHOWN - PUBLIC_MARKERS == set(), "a seeded marker no row reads"


def _route_of(path: str) -> str:
    from django.urls import resolve

    route = resolve(path.split("?")[0].format(training=1, own_org=1, expert=1, case=1, offer=1, need=1,
                                              service_item="X", code="valid_patents", task=1, policy=1)).route
    if route.startswith("api/"):
        import re

        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return route


def _covered() -> set[str]:
    return ({_route_of(case.path) for case in ROWS} | {_route_of(path) for path in (*PUBLIC, *LINEAGE)}
            | set(UNSCOPED))


def _page_routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if not str(entry.pattern).startswith("api/"):
                yield from _page_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_every_page_route_is_a_checked_list_or_says_why_it_is_not(db):
    assert set(_page_routes()) - _covered() == set()


def test_every_api_read_is_a_checked_list_or_says_why_it_is_not(client):
    spec = client.get("/api/v1/openapi.json").json()
    reads = {path for path, item in spec["paths"].items() if "get" in item} - {"/api/v1/openapi.json", "/api/v1/docs"}
    assert reads - _covered() == set()
