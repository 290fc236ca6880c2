"""The permission table's rows (every page and API operation, who gets what) and the world they run in: a plan,
every persona, one record of every kind. Shared by the permission table and the bad-input table."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from ipcity import clock
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.services import user_create
from ipcity.evidence.ledger import sequence_pending
from ipcity.evidence.services import registration_create
from ipcity.operations.brands import watch_add
from ipcity.operations.clusters import cluster_create
from ipcity.operations.community import alliance_join
from ipcity.operations.finance import claim_file, financing_apply
from ipcity.operations.navigation import navigation_create, portfolio_create
from ipcity.operations.services import interest_express, need_create, need_review, offer_create
from ipcity.plan.assessment import interview_record, interview_rectification_report
from ipcity.plan.core.schema import parse_plan
from ipcity.plan.meetings import meeting_record
from ipcity.plan.models import BudgetLine, EvaluationReport, ExtensionRequest, KeyTask
from ipcity.plan.services import plan_import
from ipcity.plan.supervision import work_item_create, work_item_transition
from ipcity.plan.survey import QuestionIn, survey_create, survey_transition
from ipcity.protection.agency_conduct import conduct_record
from ipcity.protection.assistance import assistance_request, market_create
from ipcity.protection.core.credit import Penalty
from ipcity.protection.credit import listing_create
from ipcity.protection.enforcement import case_register, certificate_record
from ipcity.protection.inspection_results import result_record
from ipcity.protection.inspections import plan_create, plan_draw, plan_publish
from ipcity.protection.mediation import mediation_apply
from ipcity.services.agencies import custody_record, profile_save
from ipcity.services.applications import application_submit
from ipcity.services.catalogue import item_create
from ipcity.services.certification import certification_record, guidance_start
from ipcity.services.culture import demonstration_nominate, event_record
from ipcity.services.culture_resources import tcm_project_create
from ipcity.services.experts import consent_set, expert_add, expert_assign
from ipcity.services.policies import policy_apply, policy_create
from ipcity.services.training import training_create, training_register
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.conftest import PERSONAS, bundled_plan_bytes, make_people
from tests.services.helpers import guide as service_guide

ANONYMOUS = None
EVERYONE = [ANONYMOUS, *PERSONAS]
SIGNED_IN = list(PERSONAS)


def public(status=200):
    return dict.fromkeys(EVERYONE, status)


def signed_in_page():
    return {ANONYMOUS: 302, **dict.fromkeys(SIGNED_IN, 200)}


def office_page():
    return {ANONYMOUS: 302, **dict.fromkeys(SIGNED_IN, 403), "office_admin": 200}


def office_api(ok=200):
    return {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403), "office_admin": ok}


def office_form_post():
    return {**dict.fromkeys(EVERYONE, 403), "office_admin": 302}


def office_signed_in_post():
    """A login-required form: anonymous visitors are sent to sign in first."""
    return {**office_form_post(), ANONYMOUS: 302}


def evidence_registrant(ok=200, anonymous=302):
    """Enterprises, universities and agencies register evidence; nobody else does."""
    return {ANONYMOUS: anonymous, **dict.fromkeys(SIGNED_IN, 403),
            **dict.fromkeys(("enterprise_user", "university_user", "agency_user"), ok)}


def evidence_owner(ok=200, anonymous=302):
    """A registration of the enterprise persona's organization: other registrants do not know it exists."""
    return {**evidence_registrant(404, anonymous), "enterprise_user": ok}


def operations_role(ok=200, anonymous=302, roles=("enterprise_user", "university_user")):
    return {ANONYMOUS: anonymous, **dict.fromkeys(SIGNED_IN, 403), **dict.fromkeys(roles, ok)}


def registry_reader_page():
    return {**office_page(), "unit_staff": 200}


def hidden_from_all_but_office(ok):
    """Another organization's page: it does not exist for anyone but the office."""
    return {ANONYMOUS: 302, **dict.fromkeys(SIGNED_IN, 404), "office_admin": ok}


def service_applicant(ok=200, anonymous=302):
    return operations_role(ok, anonymous, ("enterprise_user", "university_user", "agency_user"))


def service_applications_reader():
    """Who has a list of applications at all: applicants, the implementing units and the office."""
    return {**dict.fromkeys(SIGNED_IN, 403), **dict.fromkeys(
        ("enterprise_user", "university_user", "agency_user", "unit_staff", "office_admin"), 200)}


def service_application_reader(ok=200, anonymous=401):
    """The enterprise persona's application for an item of the unit persona's unit."""
    return {**service_applications_reader(), ANONYMOUS: anonymous, "university_user": 404, "agency_user": 404,
            "enterprise_user": ok, "unit_staff": ok, "office_admin": ok}


def training_manager(ok=200, anonymous=302):
    """A training the unit persona's unit organizes: its staff and the office manage it."""
    return {ANONYMOUS: anonymous, **dict.fromkeys(SIGNED_IN, 403), "unit_staff": ok, "office_admin": ok}


def culture_manager(ok=200):
    """The office and the responsible units record IP culture work."""
    return {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403), "office_admin": ok, "unit_staff": ok}


def training_registrant(ok=201):
    """Signed-in people of enterprises, universities, agencies, units… register; the office organizes, it does not
    register, and an anonymous visitor must sign in."""
    return {ANONYMOUS: 403, **dict.fromkeys(SIGNED_IN, ok), "office_admin": 403}


def culture_resource_keeper(ok=302):
    """Task 4's culture records: the office, or the kind's responsible unit (区文化和旅游局 / 区委宣传部 / 区卫健委); the
    unit persona (区科技局) is none of them."""
    return {**dict.fromkeys(EVERYONE, 403), "office_admin": ok}


CULTURAL_RESOURCE_FORM = {"category": "folk_art", "name": "南开剪纸", "holder_name": "李某", "protection_status": "protected",
                          "source": "区级非遗名录", "recorded_on": "2026-01-05"}
CULTURAL_RESOURCE_JSON = {"category": "folk_art", "name": "南开剪纸", "holder_name": "李某",
                          "protection_status": "protected", "source": "区级非遗名录", "recorded_on": "2026-01-05"}


def certification_party(ok=200, anonymous=401):
    """The enterprise persona's certificate, guided by the agency persona; the office sees all."""
    return {ANONYMOUS: anonymous, **dict.fromkeys(SIGNED_IN, 403), "enterprise_user": ok, "agency_user": ok,
            "office_admin": ok if ok != 201 else 403}


def custody_party(anonymous=401, agency=403, enterprise=403, office=403):
    """A custody contract the agency persona proposed to the enterprise persona's organization."""
    return {ANONYMOUS: anonymous, **dict.fromkeys(SIGNED_IN, 403), "agency_user": agency, "enterprise_user": enterprise,
            "office_admin": office}


def policy_keeper(ok=200, unit=200):
    """The office keeps the policy library; the unit persona's unit (区科技局) keeps its own policies."""
    return {ANONYMOUS: 302, **dict.fromkeys(SIGNED_IN, 403), "office_admin": ok, "unit_staff": unit}


def policy_party():
    """The enterprise persona's application under a policy of the unit persona's unit; the office sees all."""
    return {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403), "enterprise_user": 200, "unit_staff": 200,
            "office_admin": 200}


POLICY_FORM = {"level": "district", "issuer": "南开区科学技术局", "document_number": "南开科规〔2025〕8号",
               "title": "南开区专利导航资助办法", "summary": "资助专利导航", "issued_on": "2025-03-01",
               "effective_from": "2025-03-15", "effective_until": "", "responsible_unit": "{tech}",
               "task_numbers": ["11"], "measures": "资助|专利授权资助|3000|每件3000元\n资助|专利导航资助|200000|最高20万元"}
POLICY_JSON = {"level": "district", "issuer": "南开区科学技术局", "document_number": "南开科规〔2025〕8号",
               "title": "南开区专利导航资助办法", "summary": "资助专利导航", "issued_on": "2025-03-01",
               "effective_from": "2025-03-15", "responsible_unit": "science_technology", "task_numbers": [11],
               "measures": [{"kind": "subsidy", "name": "专利授权资助", "standard": "每件3000元", "cap": "3000"},
                            {"kind": "subsidy", "name": "专利导航资助", "standard": "最高20万元", "cap": "200000"}]}


NEW_ORGANIZATION = {"name": "新设企业", "org_type": "enterprise", "street": "xuefu", "tags": ["high_tech"],
                    "credit_code": "914403001922038216"}
NEW_MEMBER = {"username": "new_member", "full_name": "新成员", "role": "enterprise_user", "password": "Str0ng!Passw0rd"}


# (method, path, body, expected status per persona). {other_org} is an organization no persona belongs to;
# {own_org} is the persona's own (the office's for anonymous visitors).
PAGES = [
    ("get", "/", None, public()),
    ("get", "/indicators/", None, public()),
    ("get", "/indicators/by-year/", None, public()),
    ("post", "/indicators/by-year/", {"indicator": "trainings", "year": "2025", "basis": "other", "value": "3",
                                      "reason": "核定"}, office_form_post()),
    ("post", "/plan/indicators/trainings/", {"form": "confirm", "confirm-year": "2025", "confirm-basis": "other",
                                             "confirm-value": "3", "confirm-reason": "核定"}, office_form_post()),
    ("get", "/plan/goals/creation/", None, public()),
    ("get", "/plan/indicators/valid_patents/", None, public()),
    ("get", "/plan/tasks/1/", None, public()),
    ("get", "/plan/units/", None, public()),
    ("get", "/plan/units/{unit}/", None, public()),
    ("get", "/plan/satisfaction/", None, public()),
    ("post", "/plan/satisfaction/", {"year": 2026, "title": "满意度调查", "questions": "您对知识产权保护工作是否满意"},
     office_form_post()),
    ("get", "/plan/satisfaction/{survey}/", None, public()),  # open: its results are public
    ("post", "/plan/satisfaction/{survey}/", {"action": "close"}, office_form_post()),
    ("get", "/plan/satisfaction/{survey}/qr.svg", None, {**dict.fromkeys(EVERYONE, 403), "office_admin": 200}),
    ("get", "/plan/satisfaction/answer/{survey_token}/", None, public()),
    ("post", "/plan/satisfaction/answer/{survey_token}/", {"phone": "13800000009", "q1": "5"}, public()),
    ("get", "/plan/high-tech/", None, public()),
    ("get", "/plan/holidays/", None, public()),
    ("post", "/plan/holidays/", {"source": "国务院办公厅关于2026年部分节假日安排的通知"}, office_form_post()),  # no file: said
    ("post", "/plan/high-tech/", {"form": "figure", "year": "2026", "district": "nankai", "count": "900",
                                  "source": "区科技局"}, office_form_post()),
    ("get", "/evidence/", None, public()),
    ("get", "/evidence/new/copyright_work/", None, evidence_registrant()),
    ("post", "/evidence/new/copyright_work/", "EVIDENCE_PAGE_UPLOAD", evidence_registrant(302)),
    ("get", "/evidence/registrations/{registration}/", None, evidence_owner()),
    ("get", "/evidence/registrations/{registration}/bundle", None, evidence_owner()),
    ("get", "/evidence/registrations/{registration}/certificate.pdf", None, evidence_owner()),
    ("get", "/evidence/verify/", None, public()),
    ("post", "/evidence/verify/", "EVIDENCE_VERIFY", public()),
    ("get", "/evidence/stats/", None, office_page()),
    ("get", "/evidence/notarizations/", None, {**evidence_registrant(), "notary_user": 200}),
    ("post", "/evidence/notarizations/", {"pk": "{notarization}", "action": "accept"},
     {**evidence_registrant(404), "enterprise_user": 403, "notary_user": 302}),
    ("get", "/evidence/log/checkpoint", None, public()),
    ("get", "/evidence/log/keys", None, public()),
    ("get", "/evidence/log/tile/0/000.p/2", None, public()),
    ("get", "/operations/", None, public()),
    ("get", "/operations/offers/new/", None, operations_role()),
    ("post", "/operations/offers/new/", {"patent_number": "{offered_patent}", "mode": "ordinary", "price_terms": "面议",
                                         "field": "新能源", "maturity": "中试"}, operations_role()),
    ("get", "/operations/offers/{offer}/", None, public()),
    ("get", "/operations/offers/import/", None, operations_role()),
    ("post", "/operations/offers/{offer}/", {"form": "withdraw"},
     {**dict.fromkeys(EVERYONE, 403), "university_user": 302}),
    ("get", "/operations/needs/new/", None, operations_role(roles=("enterprise_user",))),
    ("post", "/operations/needs/new/", {"title": "需求", "problem": "需要解决电池寿命预测的问题", "field": "新能源",
                                        "deadline": "2027-06-30"}, operations_role(302, roles=("enterprise_user",))),
    ("get", "/operations/needs/{need}/", None, public()),
    ("post", "/operations/needs/{need}/", {"form": "review", "approve": "1"},  # already published: the page says so
     {**dict.fromkeys(EVERYONE, 403), "office_admin": 200}),
    ("get", "/operations/navigation/", None, public()),
    ("get", "/operations/events/", None, public()),
    ("post", "/operations/events/", {}, {**dict.fromkeys(EVERYONE, 403), "office_admin": 200, "agency_user": 200}),
    ("get", "/operations/alliance/", None, public()),
    ("get", "/operations/centers/", None, public()),
    ("post", "/operations/centers/", {}, {**dict.fromkeys(EVERYONE, 403), "office_admin": 200}),
    ("get", "/operations/clusters/", None, public()),
    ("post", "/operations/clusters/", {"form": "cluster"}, {**dict.fromkeys(EVERYONE, 403), "office_admin": 200}),
    ("get", "/operations/clusters/{cluster}/", None, public()),
    ("post", "/operations/alliance/", {}, {**dict.fromkeys(EVERYONE, 403), "office_admin": 200}),
    ("get", "/operations/products/", None, public()),
    ("get", "/operations/brands/", None, public()),
    ("post", "/operations/brands/", {}, {**dict.fromkeys(EVERYONE, 403), "office_admin": 200}),
    ("get", "/operations/finance/", None,
     operations_role(roles=("enterprise_user", "university_user", "finance_user", "office_admin"))),
    ("post", "/operations/products/", {}, {**dict.fromkeys(EVERYONE, 403), "enterprise_user": 200,
                                           "university_user": 200}),
    ("post", "/operations/navigation/", {}, {**dict.fromkeys(EVERYONE, 403), "office_admin": 200, "agency_user": 200}),
    ("get", "/operations/navigation/{navigation}/", None, public()),
    ("get", "/operations/portfolios/", None, operations_role(roles=("enterprise_user", "university_user", "office_admin"))),
    ("get", "/operations/portfolios/{portfolio}/", None,
     {ANONYMOUS: 302, **dict.fromkeys(SIGNED_IN, 404), "university_user": 200, "office_admin": 200}),
    ("get", "/operations/interests/", None, operations_role(roles=("enterprise_user", "university_user", "office_admin"))),
    ("get", "/protection/", None, public()),
    ("post", "/protection/", {"form": "conflict"}, {**dict.fromkeys(EVERYONE, 403), "enforcement_officer": 200}),
    ("get", "/protection/inspections/{inspection}/", None, public()),
    ("get", "/protection/inspections/{inspection}/results/", None, office_page()),  # nobody drawn yet: the office
    ("get", "/protection/agency-conduct/", None, office_page()),
    ("get", "/protection/credit/", None, public()),
    ("get", "/protection/cases/", None, operations_role(roles=("enforcement_officer", "office_admin"))),
    ("get", "/protection/cases/{case}/", None, operations_role(roles=("enforcement_officer", "office_admin"))),
    ("get", "/protection/mediations/", None, operations_role(roles=("enterprise_user", "mediator", "office_admin"))),
    ("get", "/protection/mediations/{mediation}/", None,
     operations_role(roles=("enterprise_user", "mediator", "office_admin"))),
    ("get", "/protection/trade-secrets/", None, operations_role(roles=("enterprise_user",))),
    ("get", "/protection/credit/export.csv", None, public()),
    ("get", "/protection/assistance/", None, operations_role(roles=("enterprise_user", "office_admin"))),
    ("get", "/protection/markets/", None, public()),
    ("get", "/services/", None, public()),
    ("get", "/services/items/new/", None, office_page()),
    ("get", "/services/items/{service_item}/", None, public()),
    ("post", "/services/items/{service_item}/", {}, {**dict.fromkeys(EVERYONE, 403), "office_admin": 200}),
    ("get", "/services/items/{service_item}/apply/", None, service_applicant()),
    ("get", "/services/applications/", None, {**service_applications_reader(), ANONYMOUS: 302}),
    ("get", "/services/applications/{service_application}/", None, service_application_reader(anonymous=302)),
    ("get", "/services/applications/{service_application}/files/{material}/", None,
     service_application_reader(anonymous=302)),
    ("get", "/services/trainings/", None, public()),
    ("get", "/services/agencies/", None, public()),
    ("get", "/services/experts/", None, public()),
    ("get", "/services/culture/", None, public()),
    ("post", "/services/culture/", {"form": "school", "name": "新学校", "level": "primary", "joined_on": "2025-09-01"},
     {**dict.fromkeys(EVERYONE, 403), "office_admin": 302, "unit_staff": 302}),
    ("get", "/services/talent/", None, {**office_page(), "unit_staff": 200}),
    ("get", "/services/copyright/", None, public()),
    ("post", "/services/copyright/", {"form": "nomination", "name": "某出版社", "kind": "enterprise", "year": "2026",
                                      "reason": "自主版权登记多"},
     {**dict.fromkeys(EVERYONE, 403), "office_admin": 302, "unit_staff": 302}),
    ("get", "/services/cultural-resources/", None, public()),
    ("post", "/services/cultural-resources/", CULTURAL_RESOURCE_FORM, culture_resource_keeper()),
    ("get", "/services/cultural-products/", None, public()),
    ("post", "/services/cultural-products/", {"kind": "product", "name": "文创礼盒", "owner_name": "某公司",
                                              "launched_on": "2026-01-05"}, culture_resource_keeper()),
    ("get", "/services/tcm/", None, public()),
    ("post", "/services/tcm/", {"form": "project", "name": "中医药示范项目", "undertaker": "某医院",
                                "approved_on": "2026-01-05"}, culture_resource_keeper()),
    ("get", "/services/certifications/", None, certification_party(anonymous=302)),
    ("get", "/services/open-data/", None, public()),
    ("get", "/services/open-data/indicators.csv", None, public()),
    ("get", "/services/experts/{expert_record}/", None, public()),
    ("post", "/services/experts/{expert_record}/", {"form": "consent", "consent": "1"},
     {**dict.fromkeys(EVERYONE, 403), "expert": 302}),
    ("get", "/services/agencies/{agency}/", None, public()),
    ("post", "/services/agencies/{agency}/", {"form": "brand", "day": "2026-01-05", "reason": "成效突出"},
     {**dict.fromkeys(EVERYONE, 403), "office_admin": 302}),
    ("get", "/services/custody/", None, custody_party(anonymous=302, agency=200, enterprise=200, office=200)),
    ("get", "/services/trainings/{training}/", None, public()),
    ("get", "/services/trainings/{training}/qr.svg", None, training_manager(anonymous=403)),
    ("get", "/services/trainings/{training}/registrations.xlsx", None, training_manager(anonymous=403)),
    ("get", "/services/trainings/{training}/sign-in/", None, public()),
    ("get", "/services/policies/", None, public()),
    ("get", "/services/policies/new/", None, policy_keeper()),
    ("post", "/services/policies/new/", POLICY_FORM, policy_keeper(302, 302)),
    ("get", "/services/policies/{policy}/", None, public()),
    ("post", "/services/policies/{policy}/", {"form": "apply", "measure": "{policy_measure}", "amount_requested": "1000",
                                            "description": "导航项目"},
     {**dict.fromkeys(EVERYONE, 403), "enterprise_user": 302}),
    ("get", "/services/policies/{policy}/edit/", None, policy_keeper()),
    ("post", "/services/policies/{policy}/edit/", {**POLICY_FORM, "document_number": "南开科规〔2025〕9号"},
     policy_keeper(302, 302)),
    ("get", "/services/policies/applications/", None, {**policy_party(), ANONYMOUS: 302}),
    ("get", "/services/policies/applications/{policy_application}/", None, {**policy_party(), ANONYMOUS: 302}),
    ("post", "/services/policies/applications/{policy_application}/", {"action": "approve", "amount_granted": "1000"},
     {**dict.fromkeys(EVERYONE, 403), ANONYMOUS: 302, "unit_staff": 302}),  # the enterprise may not approve its own
    ("get", "/login/", None, public()),
    ("post", "/logout/", {}, public(302)),
    ("get", "/workspace/", None, signed_in_page()),
    ("get", "/account/", None, signed_in_page()),
    ("get", "/orgs/", None, signed_in_page()),
    ("get", "/orgs/{own_org}/", None, signed_in_page()),
    ("get", "/orgs/{other_org}/", None, {ANONYMOUS: 302, **dict.fromkeys(SIGNED_IN, 404), "office_admin": 200}),
    ("get", "/orgs/new/", None, office_page()),
    ("post", "/orgs/new/", NEW_ORGANIZATION, office_signed_in_post()),
    ("get", "/orgs/{other_org}/edit/", None, hidden_from_all_but_office(200)),
    ("get", "/orgs/{own_org}/edit/", None, office_page()),
    ("post", "/orgs/{other_org}/members/", NEW_MEMBER, hidden_from_all_but_office(302)),
    ("post", "/orgs/{other_org}/members/{member}/", {"action": "deactivate"}, hidden_from_all_but_office(302)),
    ("get", "/audit/", None, office_page()),
    ("get", "/audit/export.xlsx", None, office_page()),
    ("get", "/files/{attachment}/", None,
     {ANONYMOUS: 302, **dict.fromkeys(SIGNED_IN, 404), "office_admin": 200}),
    ("post", "/files/attach/meeting/{meeting}/", "SUPPORTING_UPLOAD",  # units read the minutes, only the office adds
     {ANONYMOUS: 302, **dict.fromkeys(SIGNED_IN, 404), "unit_staff": 403, "office_admin": 302}),
    ("get", "/supervision/evidence-package.zip", None, office_page()),
    ("post", "/plan/indicators/valid_patents/", {"form": "edit", "edit-name": "有效专利数量", "edit-target": "26500",
                                                 "edit-unit": "件", "edit-comparison": "at_least",
                                                 "edit-period_type": "end_state", "edit-deadline": "2026-12-31",
                                                 "edit-reading": "", "edit-data_source": "records"}, office_form_post()),
    ("post", "/plan/indicators/navigation_projects_industry_planning/",
     {"form": "report", "report-as_of": "2026-10-31", "report-value": "2", "report-source": "区科技局统计"},
     {**office_form_post(), "unit_staff": 302}),
    ("post", "/plan/tasks/1/", {"units": ["{unit}"], "lead": "{unit}", "members_clause": "none"}, office_form_post()),
    ("get", "/indicators/valid_patents/records/", None, public()),
    ("get", "/indicators/report.xlsx", None, public()),
    ("get", "/indicators/report.docx", None, public()),
    ("get", "/registries/", None, office_page()),
    ("post", "/registries/", "POPULATION_UPLOAD", office_signed_in_post()),
    ("get", "/registries/batches/{batch}/", None, office_page()),
    ("get", "/registries/coverage/", None, office_page()),
    ("post", "/registries/coverage/", {"kind": "activity:market_national", "complete_from": "2024-01-01"},
     office_signed_in_post()),
    ("get", "/registries/patents/", None, registry_reader_page()),
    ("get", "/registries/patents/{patent}/", None, registry_reader_page()),
    ("get", "/registries/trademarks/", None, registry_reader_page()),
    ("get", "/supervision/", None, {**office_page(), "unit_staff": 200}),
    ("get", "/supervision/tasks/2/new/", None, office_page()),
    ("get", "/supervision/ledger.xlsx", None, {**office_page(), "unit_staff": 200}),
    ("get", "/supervision/ledger/", None, office_page()),
    ("get", "/supervision/assessment/", None, {**office_page(), "unit_staff": 200}),
    ("get", "/supervision/assessment/bulletin.docx", None, office_page()),
    ("get", "/supervision/fund/", None, {**office_page(), "unit_staff": 200}),
    ("get", "/supervision/evaluations/", None, office_page()),
    ("get", "/supervision/evaluations/{evaluation}/", None, office_page()),
    ("get", "/supervision/fund.xlsx", None, {**office_page(), "unit_staff": 200}),
    ("get", "/supervision/settings/", None, {**office_page(), "unit_staff": 200}),
    ("post", "/supervision/settings/", {"report_frequency": "quarterly", "report_due_days": 10, "reminder_days": 7},
     office_signed_in_post()),
    ("get", "/supervision/meetings/", None, {**office_page(), "unit_staff": 200}),
    ("get", "/supervision/meetings/new/", None, office_page()),
    ("post", "/supervision/meetings/new/", {"title": "专题会", "kind": "special", "held_on": "2026-10-30",
                                            "chaired_by": "区长", "summary": "研究专利导航", "decisions": "开展导航"},
     office_signed_in_post()),
    ("get", "/supervision/meetings/{meeting}/", None, {**office_page(), "unit_staff": 200}),
    ("post", "/supervision/meetings/{meeting}/", {"decision": "{decision}", "d{decision}-task": "{task}",
                                                  "d{decision}-unit": "{tech}", "d{decision}-deadline": "2026-12-10"},
     office_signed_in_post()),
    ("get", "/supervision/interviews/", None, {**office_page(), "unit_staff": 200}),
    ("get", "/supervision/interviews/new/", None, office_page()),
    ("post", "/supervision/interviews/new/", {"unit": "{tech}", "year": 2026, "held_on": "2026-10-30",
                                              "interviewer": "办公室主任", "interviewees": "分管副局长", "reason": "得分低",
                                              "content": "分析原因", "requirements": "按期报送",
                                              "rectification_deadline": "2026-12-01"}, office_signed_in_post()),
    ("get", "/supervision/interviews/{interview}/", None, {**office_page(), "unit_staff": 200}),
    ("post", "/supervision/interviews/{interview}/", {"form": "rectification", "text": "已整改"},
     {**office_signed_in_post(), "office_admin": 403, "unit_staff": 302}),
    ("post", "/supervision/tasks/2/new/", {"unit": "{tech}", "year": 2026, "title": "事项", "deadline": "2026-12-01"},
     {**office_signed_in_post(), "unit_staff": 403}),
    ("get", "/supervision/items/{item}/", None, {**office_page(), "unit_staff": 200, **dict.fromkeys(
        ["enterprise_user", "university_user", "agency_user", "mediator", "enforcement_officer", "expert"], 403)}),
    ("post", "/supervision/items/{item}/", {"action": "acknowledge"},
     {**office_signed_in_post(), "office_admin": 200, "unit_staff": 302}),  # the office is told it cannot sign for the unit
    # POST to every page that takes one (test_every_method_a_page_accepts_has_a_row_in_the_table)
    ("post", "/login/", {"username": "nobody", "password": "Wrong!Passw0rd"}, public()),  # the form says why
    ("post", "/account/", {"form": "token", "token-name": "脚本"}, signed_in_page()),  # one's own token
    ("post", "/orgs/{other_org}/edit/", NEW_ORGANIZATION, hidden_from_all_but_office(302)),
    ("post", "/operations/offers/import/", "OFFERS_UPLOAD", operations_role()),  # the page lists the file's problems
    ("post", "/operations/interests/", {"pk": "{interest}", "action": "meet", "meeting_on": "2026-10-30"},
     operations_role(302)),  # both sides of the interest; the office only watches
    ("post", "/operations/finance/", {"form": "step", "pk": "{financing}", "action": "accept"},
     {**operations_role(403), "university_user": 404, "finance_user": 302}),  # only the bank it was sent to
    ("post", "/operations/navigation/{navigation}/", {"completed_on": "2026-10-30"},
     {**dict.fromkeys(EVERYONE, 403), "office_admin": 302, "agency_user": 302}),  # its undertaker or the office
    ("post", "/operations/portfolios/", {"name": "组合", "industry": "新能源", "patent_numbers": "{unpooled_patent}",
                                         "milestones": "布局规划,2027-06-30"},
     {**operations_role(200, roles=("enterprise_user", "office_admin")), "university_user": 302}),
    ("post", "/operations/portfolios/{portfolio}/", {"index": "0", "done_on": "2026-10-01"},
     {ANONYMOUS: 302, **dict.fromkeys(SIGNED_IN, 404), "university_user": 302, "office_admin": 403}),
    ("post", "/protection/credit/", {"form": "decide", "listing": "{listing}", "grant": "0", "note": "不予修复"},
     {**dict.fromkeys(EVERYONE, 403), "office_admin": 200}),  # nothing to decide yet: the page says so
    ("post", "/protection/inspections/{inspection}/", {"action": "publish"},
     {**dict.fromkeys(EVERYONE, 403), "office_admin": 302}),  # already published: the page says so
    ("post", "/protection/inspections/{inspection}/results/", {"action": "record", "subject": "ORG-000001",
                                                              "outcome": "no_problem", "description": "未发现问题",
                                                              "inspected_on": "2026-10-01"},
     {ANONYMOUS: 302, **dict.fromkeys(SIGNED_IN, 403), "office_admin": 200}),  # not drawn yet: the page says so
    ("post", "/protection/agency-conduct/", {"form": "record", "agency": "{agency}", "source": "inspection",
                                            "occurred_on": "2026-10-01", "finding": "收费标准未公示",
                                            "measure": "talk"}, office_signed_in_post()),
    ("post", "/protection/trade-secrets/", {}, operations_role(roles=("enterprise_user",))),  # unanswered: listed
    ("post", "/protection/mediations/", {"channel": "people", "body": "{mediation_body}", "respondent": "某店",
                                         "right_type": "trademark", "claim": "假冒"},
     {**operations_role(roles=("mediator", "office_admin")), "enterprise_user": 302}),  # only a party applies
    ("post", "/protection/mediations/{mediation}/", {"action": "accept"}, operations_role(302, roles=("mediator",))),
    ("post", "/protection/cases/", {"kind": "patent", "source": "inspection", "party": "某公司", "facts": "假冒专利",
                                    "received_on": "2026-10-01"},
     {**operations_role(roles=("office_admin",)), "enforcement_officer": 302}),  # officers register cases
    ("post", "/protection/cases/{case}/", {"action": "investigate"},  # not yet filed: the page says so
     operations_role(403, roles=()) | {"enforcement_officer": 302}),
    ("post", "/protection/assistance/", {"form": "step", "pk": "{assistance}", "action": "triage", "category": "专利"},
     {**office_signed_in_post()}),
    ("post", "/protection/markets/", {"form": "check", "market": "{market}", "rules": "1"},
     {**dict.fromkeys(EVERYONE, 403), "office_admin": 302}),
    ("post", "/services/items/new/", {}, office_page()),  # the empty form comes back with its errors
    ("post", "/services/items/{service_item}/apply/", "SERVICE_APPLICATION", service_applicant(302)),
    ("post", "/services/applications/{service_application}/", "SERVICE_ACCEPT",
     {**service_application_reader(403, anonymous=302), "university_user": 404, "agency_user": 404,
      "unit_staff": 302}),  # only the unit implementing the item handles it
    ("post", "/services/certifications/", {"form": "reminders"}, certification_party(403, anonymous=302)
     | {"office_admin": 302}),
    ("post", "/services/custody/", {"form": "confirm", "pk": "{custody}"}, custody_party(anonymous=302, enterprise=302)),
    ("post", "/services/experts/", {}, {**dict.fromkeys(EVERYONE, 403), "office_admin": 200}),
    ("post", "/services/talent/", {"name": "王代理", "organization_name": "某所", "category": "patent_attorney"},
     {**office_signed_in_post(), "unit_staff": 302}),
    ("post", "/services/trainings/", {}, {**dict.fromkeys(EVERYONE, 403), "office_admin": 200, "unit_staff": 200}),
    ("post", "/services/trainings/{training}/", {"form": "close"}, training_manager(302, anonymous=403)),
    ("post", "/services/trainings/{training}/", {"form": "register", "phone": "13800000010"}, training_registrant(302)),
    ("post", "/services/trainings/", {"form": "audiences", "counted": ["officers", "civil_servants"],
                                      "reason": "方案所称相关人员"}, {**dict.fromkeys(EVERYONE, 403), "office_admin": 302}),
    ("post", "/services/trainings/{training}/sign-in/", {"t": "{training_token}", "name": "张三",
                                                        "organization_name": "某公司", "phone": "13800000009"},
     public()),  # no account: the code from the room is the proof
    ("post", "/supervision/ledger/", "LEDGER_UPLOAD", {**office_signed_in_post(), "office_admin": 200}),
    ("post", "/supervision/assessment/", {"unit": "{tech}", "score": "80"}, office_signed_in_post()),
    ("post", "/supervision/assessment/", {"form": "scope"}, office_signed_in_post()),
    ("post", "/supervision/fund/", {"form": "line", "line-use": "platform_building", "line-name": "新预算项目",
                                    "line-amount": "1000", "line-managing_unit": "{tech}"}, office_signed_in_post()),
    ("post", "/supervision/evaluations/", {"kind": "annual", "year": 2025}, office_signed_in_post()),
    ("post", "/supervision/evaluations/{evaluation}/", {"highlights": "亮点"}, office_signed_in_post()),
]

API = [
    ("get", "/api/v1/plan", None, public()),
    ("get", "/api/v1/plan/goals", None, public()),
    ("get", "/api/v1/plan/indicators", None, public()),
    ("get", "/api/v1/plan/indicators/valid_patents", None, public()),
    ("get", "/api/v1/plan/tasks", None, public()),
    ("get", "/api/v1/plan/tasks/3", None, public()),
    ("get", "/api/v1/plan/tasks/1/modules", None, public()),
    ("get", "/api/v1/plan/safeguards", None, public()),
    ("get", "/api/v1/plan/surveys", None, public()),
    ("post", "/api/v1/plan/surveys", {"year": 2026, "title": "满意度调查",
                                      "questions": [{"kind": "scale", "text": "您对知识产权保护工作是否满意"}]},
     office_api(201)),
    ("get", "/api/v1/plan/surveys/{survey}", None, public()),
    ("post", "/api/v1/plan/surveys/{survey}/transitions", {"action": "close"}, office_api()),
    ("get", "/api/v1/plan/satisfaction", None, public()),
    ("get", "/api/v1/plan/high-tech", None, public()),
    ("post", "/api/v1/plan/high-tech", {"year": 2026, "district": "nankai", "count": 900, "source": "区科技局"},
     office_api(201)),
    ("post", "/api/v1/plan/high-tech/import", "ROSTER_UPLOAD", {**office_api(), "office_admin": 422}),  # not its columns
    ("get", "/api/v1/plan/holidays", None, public()),
    ("post", "/api/v1/plan/holidays/import", "ROSTER_UPLOAD", {**office_api(), "office_admin": 422}),  # no source, not its columns
    ("get", "/api/v1/openapi.json", None, public()),
    ("get", "/api/v1/docs", None, public()),
    ("get", "/api/v1/me", None, {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 200)}),
    ("post", "/api/v1/me/tokens", {"name": "脚本"}, {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 201)}),
    ("get", "/api/v1/organizations", None, {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 200)}),
    ("get", "/api/v1/organizations/{other_org}", None, {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "office_admin": 200}),
    ("get", "/api/v1/organizations/{other_org}/members", None,
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "office_admin": 200}),
    ("get", "/api/v1/organizations/{own_org}/members", None, {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 200)}),
    ("get", "/api/v1/audit", None, office_api()),
    ("post", "/api/v1/organizations", NEW_ORGANIZATION, office_api(201)),
    ("patch", "/api/v1/organizations/{other_org}", {"address": "天津市南开区某路1号"},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "office_admin": 200}),
    ("patch", "/api/v1/organizations/{own_org}", {"address": "天津市南开区某路1号"}, office_api()),
    ("post", "/api/v1/organizations/{other_org}/members", NEW_MEMBER,
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "office_admin": 201}),
    ("patch", "/api/v1/users/{member}", {"unlock": True},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "office_admin": 200}),
    ("patch", "/api/v1/plan/indicators/valid_patents", {"target": 26500}, office_api()),
    ("post", "/api/v1/plan/indicators/navigation_projects_industry_planning/values",
     {"as_of": "2026-10-31", "value": 2, "source": "区科技局统计"}, {**office_api(201), "unit_staff": 201}),
    ("put", "/api/v1/plan/tasks/1/units", {"units": ["science_technology", "market_supervision"]}, office_api()),
    ("post", "/api/v1/plan/import", "NEXT_VERSION", office_api(201)),
    ("get", "/api/v1/indicators/valid_patents/records", None, public()),
    ("get", "/api/v1/indicators/by-year", None, public()),
    ("get", "/api/v1/indicators/navigation_projects_industry_planning/confirmations", None, public()),
    ("post", "/api/v1/indicators/navigation_projects_industry_planning/confirmations", {"year": 2025, "basis": "other", "value": 3, "reason": "核定"},
     office_api(201)),
    ("get", "/api/v1/reports/indicators.xlsx", None, public()),
    ("get", "/api/v1/reports/indicators.docx", None, public()),
    ("post", "/api/v1/registries/imports", "POPULATION_UPLOAD", office_api(202)),
    ("get", "/api/v1/registries/imports/{batch}", None, office_api()),
    ("get", "/api/v1/registries/patents/{patent}/events", None, {**office_api(), "unit_staff": 200}),
    ("get", "/api/v1/registries/patents", None, {**office_api(), "unit_staff": 200}),
    ("get", "/api/v1/registries/gis", None, {**office_api(), "unit_staff": 200}),
    ("put", "/api/v1/registries/settings/high_value_pledge_threshold", {"value": "5000000"}, office_api()),
    ("get", "/api/v1/registries/coverage", None, office_api()),
    ("post", "/api/v1/registries/coverage", {"kind": "activity:market_national", "complete_from": "2024-01-01"},
     office_api(201)),
    ("get", "/api/v1/supervision/items", None, {**office_api(), "unit_staff": 200}),
    ("post", "/api/v1/supervision/items", {"task": 2, "unit": "science_technology", "year": 2026, "title": "x",
                                           "deadline": "2026-12-01"}, office_api(201)),
    ("get", "/api/v1/supervision/items/{item}", None, {**office_api(), "unit_staff": 200}),
    ("post", "/api/v1/supervision/items/{item}/transitions", {"action": "acknowledge"},
     {**office_api(), "office_admin": 422, "unit_staff": 200}),
    ("post", "/api/v1/supervision/items/{item}/reports", {"period": "2026-10", "text": "进展"},
     {**office_api(), "office_admin": 403, "unit_staff": 422}),
    ("post", "/api/v1/supervision/reminders/run", {}, office_api()),
    ("post", "/api/v1/supervision/items/{item}/extensions", {"requested_deadline": "2026-12-20", "reason": "等待数据"},
     {**office_api(), "office_admin": 403, "unit_staff": 201}),
    ("post", "/api/v1/supervision/extensions/{extension}/decision", {"approve": True}, office_api()),
    ("get", "/api/v1/supervision/ledger.xlsx", None, {**office_api(), "unit_staff": 200}),
    ("get", "/api/v1/supervision/assessment?year=2026", None, {**office_api(), "unit_staff": 200}),
    ("put", "/api/v1/supervision/assessment/ratings/science_technology", {"year": 2026, "score": 80}, office_api()),
    ("put", "/api/v1/supervision/assessment/schemes/2026",
     {"weights": {"timeliness": 25, "completion": 25, "indicators": 25, "office": 25}}, office_api()),
    ("get", "/api/v1/supervision/assessment/bulletin.docx?year=2026", None, office_api()),
    ("get", "/api/v1/supervision/assessment/scope", None, {**office_api(), "unit_staff": 200}),
    ("get", "/api/v1/supervision/assessment/scope/history", None, {**office_api(), "unit_staff": 200}),
    ("put", "/api/v1/supervision/assessment/scope", {"unranked_units": []}, office_api()),
    ("get", "/api/v1/supervision/fund?year=2026", None, {**office_api(), "unit_staff": 200}),
    ("get", "/api/v1/supervision/evaluations", None, office_api()),
    ("get", "/api/v1/supervision/evaluations/{evaluation}", None, office_api()),
    ("post", "/api/v1/supervision/evaluations", {"kind": "annual", "year": 2025}, office_api(201)),
    ("patch", "/api/v1/supervision/evaluations/{evaluation}", {"highlights": "x"}, office_api()),
    ("post", "/api/v1/supervision/evaluations/{evaluation}/release", {}, office_api()),
    ("get", "/api/v1/supervision/evaluations/{evaluation}/document?format=docx", None, office_api()),
    ("get", "/api/v1/supervision/fund.xlsx?year=2026", None, {**office_api(), "unit_staff": 200}),
    ("post", "/api/v1/supervision/fund/lines", {"year": 2026, "use": "platform_building", "name": "平台运维",
                                                "amount": 1000, "managing_unit": "market_supervision"}, office_api(201)),
    ("post", "/api/v1/supervision/fund/lines/{line}/disbursements",
     {"amount": 10, "paid_on": "2026-03-01", "recipient": "甲", "purpose": "x"}, office_api(201)),
    ("post", "/api/v1/supervision/ledger", "LEDGER_UPLOAD", {**office_api(), "office_admin": 422}),
    ("post", "/api/v1/evidence/registrations", {"kind": "trade_secret", "metadata": {"title": "配方", "secret_type": "技术信息"},
                                               "sha256": "a" * 64, "sm3": "b" * 64}, evidence_registrant(201, 401)),
    ("post", "/api/v1/evidence/registrations/file", "EVIDENCE_API_UPLOAD", evidence_registrant(201, 401)),
    ("get", "/api/v1/evidence/registrations", None, evidence_registrant(200, 401)),
    ("get", "/api/v1/evidence/registrations/{registration}", None, evidence_owner(200, 401)),
    ("get", "/api/v1/evidence/registrations/{registration}/bundle", None, evidence_owner(200, 401)),
    ("get", "/api/v1/evidence/registrations/{registration}/certificate.pdf", None, evidence_owner(200, 401)),
    ("post", "/api/v1/evidence/verify", "EVIDENCE_VERIFY", public()),
    ("get", "/api/v1/evidence/statistics", None, office_api()),
    ("get", "/api/v1/operations/offers", None, public()),
    ("post", "/api/v1/operations/offers", {"patent_number": "{offered_patent}", "mode": "ordinary", "price_terms": "面议",
                                           "field": "新能源", "maturity": "中试"}, operations_role(422, 401)),
    ("post", "/api/v1/operations/offers/import", "OFFERS_UPLOAD", operations_role(422, 401)),
    ("post", "/api/v1/operations/offers/{offer}/withdraw", {}, {**operations_role(403, 401), "university_user": 200}),
    ("get", "/api/v1/operations/offers/{offer}/matches", None, {**operations_role(403, 401), "university_user": 200}),
    ("get", "/api/v1/operations/needs", None, public()),
    ("post", "/api/v1/operations/needs", {"title": "需求", "problem": "需要解决电池寿命预测的问题", "field": "新能源",
                                          "deadline": "2027-06-30"}, operations_role(201, 401, ("enterprise_user",))),
    ("post", "/api/v1/operations/needs/{need}/review", {"approve": True}, {**office_api(), "office_admin": 422}),
    ("post", "/api/v1/operations/needs/{need}/renew", {"deadline": "2027-09-30"},
     operations_role(200, 401, ("enterprise_user",))),
    ("get", "/api/v1/operations/needs/{need}/matches", None,
     operations_role(200, 401, ("enterprise_user", "office_admin"))),
    ("get", "/api/v1/operations/interests", None,
     operations_role(200, 401, ("enterprise_user", "university_user", "office_admin"))),
    ("post", "/api/v1/operations/interests", {"offer": "{offer}"}, operations_role(201, 401, ("enterprise_user",))),
    ("post", "/api/v1/operations/interests/{interest}/steps", {"action": "meet", "meeting_on": "2026-10-30"},
     operations_role(200, 401)),
    ("post", "/api/v1/operations/interests/{interest}/deal", {"kind": "ordinary", "amount": 1, "contract_date": "2026-10-01",
                                                              "recordal_date": "2026-10-02"},
     {**operations_role(403, 401), "university_user": 422}),
    ("get", "/api/v1/operations/clusters", None, public()),
    ("post", "/api/v1/operations/clusters", {"name": "新能源产业链专利集群", "industry": "新能源",
                                             "enterprises": ["{custody_client}"], "ipc_prefixes": ["H01M"],
                                             "established_on": "2026-01-05"}, office_api(201)),
    ("get", "/api/v1/operations/clusters/{cluster}", None, public()),
    ("get", "/api/v1/operations/industry-education-agreements", None, public()),
    ("post", "/api/v1/operations/industry-education-agreements",
     {"university": "{university_org}", "enterprise": "{custody_client}", "subject": "共建联合实验室",
      "signed_on": "2026-01-05"}, office_api(201)),
    ("get", "/api/v1/protection/inspections", None, public()),
    ("get", "/api/v1/protection/credit", None, public()),
    ("get", "/api/v1/protection/cases", None, operations_role(200, 401, ("enforcement_officer", "office_admin"))),
    ("post", "/api/v1/protection/cases", {"kind": "patent", "source": "inspection", "party": "某公司", "facts": "假冒专利",
                                          "received_on": "2026-10-01"},
     operations_role(201, 401, ("enforcement_officer",))),
    ("get", "/api/v1/protection/cases/{case}", None, operations_role(200, 401, ("enforcement_officer", "office_admin"))),
    ("post", "/api/v1/protection/cases/{case}/steps", {"action": "investigate"},
     {**operations_role(403, 401), "enforcement_officer": 422}),
    ("post", "/api/v1/protection/cases/{case}/officers", {"officers": ["{officer}"]},
     operations_role(200, 401, ("enforcement_officer", "office_admin"))),
    ("post", "/api/v1/protection/cases/{case}/referral", {"police": "公安", "referred_on": "2026-10-02", "reason": "涉罪"},
     {**operations_role(403, 401), "enforcement_officer": 422}),
    ("post", "/api/v1/protection/cases/{case}/receipt", {"receipt_number": "1", "receipt_on": "2026-10-03"},
     {**operations_role(403, 401), "enforcement_officer": 422}),
    ("post", "/api/v1/protection/certificates", {"officer": "{officer}", "number": "津执-9", "issued_on": "2031-01-01",
                                                 "valid_until": "2036-12-31"}, office_api(201)),
    ("get", "/api/v1/protection/mediations", None,
     operations_role(200, 401, ("enterprise_user", "mediator", "office_admin"))),
    ("post", "/api/v1/protection/mediations", {"channel": "people", "body": "{mediation_body}", "respondent": "某店",
                                               "right_type": "trademark", "claim": "假冒"},
     operations_role(201, 401, ("enterprise_user",))),
    ("post", "/api/v1/protection/mediations/{mediation}/steps", {"action": "accept"},
     {**operations_role(403, 401), "mediator": 200}),
    ("get", "/api/v1/protection/trade-secrets/questions", None, public()),
    ("post", "/api/v1/protection/trade-secrets/assessments", {"answers": {"inventory": True}},
     operations_role(422, 401, ("enterprise_user",))),
    ("get", "/api/v1/protection/trade-secrets/assessments", None, operations_role(200, 401, ("enterprise_user",))),
    ("get", "/api/v1/protection/credit/export?format=csv", None, public()),
    ("post", "/api/v1/protection/credit/listings", {"organization": "{other_org}", "listed_on": "2026-01-10", "penalties": [
        {"reference": "a", "decided_on": "2025-01-01", "infringement": True, "intentional": True}]}, office_api(201)),
    ("get", "/api/v1/protection/credit/listings", None, {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 200)}),
    ("post", "/api/v1/protection/credit/listings/{listing}/repair", {"statement": "已整改"},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "enterprise_user": 200, "office_admin": 403}),
    ("post", "/api/v1/protection/credit/listings/{listing}/decision", {"grant": False, "note": "x"},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "enterprise_user": 403, "office_admin": 422}),
    ("post", "/api/v1/protection/credit/commitments", {"text": "守法经营", "signed_on": "2026-10-01"},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 201)}),
    ("post", "/api/v1/protection/inspections", {"code": "perm-check", "title": "抽查", "quotas": {"low": 1}},
     office_api(201)),
    ("get", "/api/v1/protection/inspections/{inspection}", None, public()),
    ("post", "/api/v1/protection/inspections/{inspection}/publish", {}, {**office_api(), "office_admin": 422}),
    ("post", "/api/v1/protection/inspections/{inspection}/draw", {}, office_api()),
    ("get", "/api/v1/protection/inspections/{inspection}/results", None, public()),
    # not drawn yet: the office is told so; an officer not drawn for the subject may not record it
    ("post", "/api/v1/protection/inspections/{inspection}/results", {"subject": "ORG-000001", "outcome": "no_problem",
                                                                     "description": "未发现问题",
                                                                     "inspected_on": "2026-10-01"},
     {**office_api(), "office_admin": 422}),
    ("put", "/api/v1/protection/inspections/{inspection}/results", {"subject": "ORG-000001", "outcome": "problem",
                                                                    "description": "标识不规范",
                                                                    "inspected_on": "2026-10-01", "reason": "补充"},
     {**office_api(), "office_admin": 404}),  # no result recorded on this plan
    ("post", "/api/v1/protection/inspections/{inspection}/publish-results", {}, {**office_api(), "office_admin": 422}),
    ("get", "/api/v1/protection/agency-conduct", None, office_api()),
    ("post", "/api/v1/protection/agency-conduct", {"agency": "{agency}", "source": "inspection",
                                                   "occurred_on": "2026-10-01", "finding": "收费标准未公示",
                                                   "measure": "talk"}, office_api(201)),
    ("post", "/api/v1/protection/agency-conduct/publication", {"record": "{conduct}", "publish_in_directory": True},
     office_api()),
    ("get", "/api/v1/protection/agency-conduct/published", None, public()),
    ("put", "/api/v1/protection/risk/{other_org}", {"level": "high", "reason": "处罚记录"}, office_api()),
    ("get", "/api/v1/protection/assistance", None, operations_role(200, 401, ("enterprise_user", "office_admin"))),
    ("post", "/api/v1/protection/assistance", {"topic": "展会被诉", "description": "临时禁令"},
     operations_role(201, 401, ("enterprise_user",))),
    ("post", "/api/v1/protection/assistance/{assistance}/steps", {"action": "triage", "category": "专利"}, office_api()),
    ("get", "/api/v1/protection/cooperation", None, public()),
    ("post", "/api/v1/protection/cooperation", {"kind": "regional", "title": "京津冀协作", "partners": "北京市朝阳区",
                                                "started_on": "2026-03-01"}, office_api(201)),
    ("get", "/api/v1/protection/markets", None, public()),
    ("post", "/api/v1/protection/markets", {"name": "某市场", "level": "city"}, office_api(201)),
    ("put", "/api/v1/protection/markets/{market}/checklist", {"items": {"rules": True}}, office_api()),
    ("post", "/api/v1/protection/markets/{market}/recognition",
     {"authority": "天津市知识产权局", "document_number": "津知保〔2026〕1号", "recognized_on": "2026-10-30"}, office_api()),
    ("get", "/api/v1/services/items", None, public()),
    ("get", "/api/v1/services/items/{service_item}", None, public()),
    ("post", "/api/v1/services/items", {"code": "NK-PERM-002", "name": "事项", "item_type": "public_service",
                                        "unit": "{unit}", "guide": service_guide()}, office_api(201)),
    ("post", "/api/v1/services/items/{service_item}/guides", {"guide": service_guide(decide_days=12), "change_note": "压缩时限"},
     office_api(201)),
    ("get", "/api/v1/services/applications", None, {**service_applications_reader(), ANONYMOUS: 401}),
    ("post", "/api/v1/services/applications", "SERVICE_APPLICATION", service_applicant(201, 401)),
    ("get", "/api/v1/services/applications/{service_application}", None, service_application_reader()),
    ("post", "/api/v1/services/applications/{service_application}/steps", "SERVICE_ACCEPT",
     {**service_application_reader(403), "university_user": 404, "agency_user": 404, "unit_staff": 200}),
    ("post", "/api/v1/services/applications/{service_application}/rating", {"rating": 5},
     {**service_application_reader(403), "university_user": 404, "agency_user": 404, "enterprise_user": 422}),
    ("get", "/api/v1/services/satisfaction", None, public()),
    ("get", "/api/v1/services/certifications", None, certification_party()),
    ("post", "/api/v1/services/certifications", {"enterprise": "{custody_client}", "certifier": "某认证公司",
                                                 "certificate_number": "PERM-2", "scope": "研发", "issued_on": "2026-01-05",
                                                 "valid_until": "2029-01-04", "guiding_agency": "{agency}"},
     certification_party(201)),
    ("post", "/api/v1/services/certifications/{certification}/state", {"state": "valid"},
     {**certification_party(), "agency_user": 403}),
    ("get", "/api/v1/services/certification-guidance", None, certification_party()),
    ("post", "/api/v1/services/certification-guidance", {"enterprise": "{other_org}", "started_on": "2026-01-05"},
     {**certification_party(403), "agency_user": 201}),
    ("post", "/api/v1/services/certification-guidance/{guidance}/advance", {"note": "诊断完成"},
     {**certification_party(403), "agency_user": 200}),
    ("post", "/api/v1/services/certifications/reminders/run", {}, {**certification_party(403), "office_admin": 200}),
    ("get", "/api/v1/services/culture/events", None, public()),
    ("post", "/api/v1/services/culture/events", {"kind": "salon", "title": "沙龙", "held_on": "2026-12-01", "place": "会议室"},
     culture_manager(201)),
    ("post", "/api/v1/services/culture/events/{event}/report", {"participants": 30, "summary": "30人参加"},
     culture_manager()),
    ("get", "/api/v1/services/culture/schools", None, public()),
    ("post", "/api/v1/services/culture/schools", {"name": "新学校", "level": "junior", "joined_on": "2025-09-01"},
     culture_manager(201)),
    ("get", "/api/v1/services/culture/demonstration-units", None, public()),
    ("post", "/api/v1/services/culture/demonstration-units", {"name": "新单位", "kind": "community", "year": 2026,
                                                              "reason": "宣传活跃"}, culture_manager(201)),
    ("post", "/api/v1/services/culture/demonstration-units/{nomination}/decision", {"selected": True, "note": "同意"},
     office_api()),
    ("get", "/api/v1/services/culture/copyright", None, public()),
    ("get", "/api/v1/services/culture/resources", None, public()),
    ("post", "/api/v1/services/culture/resources", CULTURAL_RESOURCE_JSON, office_api(201)),
    ("get", "/api/v1/services/culture/products", None, public()),
    ("post", "/api/v1/services/culture/products", {"kind": "product", "name": "文创礼盒", "owner_name": "某公司",
                                                   "launched_on": "2026-01-05"}, office_api(201)),
    ("get", "/api/v1/services/culture/tcm-projects", None, public()),
    ("post", "/api/v1/services/culture/tcm-projects", {"name": "中医药示范项目", "undertaker": "某医院",
                                                       "approved_on": "2026-01-05"}, office_api(201)),
    ("post", "/api/v1/services/culture/tcm-projects/{tcm_project}/knowledge",
     {k: v for k, v in CULTURAL_RESOURCE_JSON.items() if k != "category"}, office_api(201)),
    ("get", "/api/v1/services/culture/talent", None, public()),
    ("get", "/api/v1/services/culture/talent/records", None, culture_manager()),
    ("post", "/api/v1/services/culture/talent", {"name": "王代理", "organization_name": "某所", "category": "patent_attorney"},
     culture_manager(201)),
    ("get", "/api/v1/services/open-data", None, public()),
    ("get", "/api/v1/services/open-data/agencies", None, public()),
    ("get", "/api/v1/services/experts", None, public()),
    ("get", "/api/v1/services/experts/pool", None, office_api()),
    ("post", "/api/v1/services/experts", {"name": "李研究员", "title": "研究员", "organization_name": "某院",
                                          "specialties": ["law"]}, office_api(201)),
    ("get", "/api/v1/services/experts/{expert_record}", None, public()),
    ("put", "/api/v1/services/experts/{expert_record}", {"title": "教授", "organization_name": "测试大学",
                                                         "specialties": ["patent"]}, {**office_api(), "expert": 200}),
    ("post", "/api/v1/services/experts/{expert_record}/consent", {"consent": True},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403), "expert": 200}),
    ("post", "/api/v1/services/experts/{expert_record}/conflicts", {"organization": "{other_org}", "reason": "亲属"},
     {**office_api(201), "expert": 201}),
    ("post", "/api/v1/services/experts/{expert_record}/assignments", {"kind": "assessment", "subject": "评审"},
     office_api(201)),
    ("get", "/api/v1/services/expert-assignments", None, {**office_api(), "expert": 200}),
    ("post", "/api/v1/services/expert-assignments/{expert_assignment}/close", {"opinion": "同意"},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403), "expert": 200}),
    ("get", "/api/v1/services/agencies", None, public()),
    ("get", "/api/v1/services/agencies/{agency}", None, public()),
    ("put", "/api/v1/services/agency-profile", {"services": ["custody"], "staff": 3, "attorneys": 0},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403), "agency_user": 200}),
    ("post", "/api/v1/services/agencies/{agency}/cluster", {"action": "join", "day": "2026-01-05", "place": "A座"},
     office_api()),
    ("post", "/api/v1/services/agencies/{agency}/brand", {"designated_on": "2026-01-05", "reason": "成效突出"},
     office_api(201)),
    ("post", "/api/v1/services/agencies/{agency}/rating", {"rating": 5}, {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403)}),
    ("get", "/api/v1/services/custody", None, custody_party(agency=200, enterprise=200, office=200)),
    ("post", "/api/v1/services/custody", {"enterprise": "{custody_client}", "enterprise_size": "small", "scope": ["fees"],
                                          "starts_on": "2027-01-01", "ends_on": "2027-12-31"},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403), "agency_user": 201}),
    ("post", "/api/v1/services/custody/{custody}/answer", {"confirm": True}, custody_party(enterprise=200)),
    ("post", "/api/v1/services/custody/{custody}/terminate", {"terminated_on": "2026-01-05", "note": "x"},
     custody_party(agency=422, enterprise=422)),
    ("get", "/api/v1/services/trainings", None, public()),
    ("post", "/api/v1/services/trainings", {"title": "培训", "audience": "public", "held_on": "2026-12-01", "hours": "2",
                                            "place": "会议室"}, training_manager(201, 401)),
    ("get", "/api/v1/services/trainings/{training}", None, public()),
    ("get", "/api/v1/services/trainings/{training}/attendees", None, training_manager(anonymous=401)),
    ("get", "/api/v1/services/trainings/audiences", None, public()),
    ("put", "/api/v1/services/trainings/audiences", {"counted": ["officers", "civil_servants"], "reason": "相关人员"},
     office_api()),
    ("post", "/api/v1/services/trainings/{training}/registrations", {"phone": "13800000010"},
     {**training_registrant(201), ANONYMOUS: 401}),
    ("get", "/api/v1/services/trainings/{training}/registrations", None, training_manager(anonymous=401)),
    ("get", "/api/v1/services/trainings/{training}/registrations.xlsx", None, training_manager(anonymous=401)),
    ("post", "/api/v1/services/trainings/{training}/registrations/{training_registration}/steps", {"action": "attend"},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "unit_staff": 200, "office_admin": 200}),  # the organizer's
    ("get", "/api/v1/services/training-registrations", None, {**training_registrant(200), ANONYMOUS: 401}),
    ("post", "/api/v1/services/trainings/{training}/sign-in", {"token": "{training_token}", "name": "张三",
                                                              "organization_name": "某公司", "phone": "13800000009"},
     public(201)),
    ("post", "/api/v1/services/trainings/{training}/attendees/import", "ROSTER_UPLOAD",
     training_manager(anonymous=401)),
    ("post", "/api/v1/services/trainings/{training}/close", {}, training_manager(anonymous=401)),
    ("get", "/api/v1/services/policies", None, public()),
    ("get", "/api/v1/services/policies/figures", None, public()),
    ("post", "/api/v1/services/policies", POLICY_JSON, {**office_api(201), "unit_staff": 201}),
    ("get", "/api/v1/services/policies/{policy}", None, public()),
    ("put", "/api/v1/services/policies/{policy}", {**POLICY_JSON, "document_number": "南开科规〔2025〕9号"},
     {**office_api(), "unit_staff": 200}),
    ("post", "/api/v1/services/policies/{policy}/awards/import", "POLICY_AWARDS_UPLOAD",
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403), "unit_staff": 200}),
    ("get", "/api/v1/services/policy-applications", None, policy_party()),
    ("post", "/api/v1/services/policy-applications", {"measure": "{policy_measure}", "amount_requested": "1000",
                                                      "description": "导航项目"},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403), "enterprise_user": 201}),
    ("get", "/api/v1/services/policy-applications/{policy_application}", None, policy_party()),
    ("post", "/api/v1/services/policy-applications/{policy_application}/steps",
     {"action": "approve", "amount_granted": "1000"}, {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 403), "unit_staff": 200}),
    ("get", "/api/v1/services/policy-awards", None, policy_party()),
    ("post", "/api/v1/protection/conflicts", {"organization": "{other_org}", "reason": "亲属"},
     operations_role(201, 401, ("enforcement_officer",))),
    ("get", "/api/v1/operations/navigation", None, public()),
    ("get", "/api/v1/operations/events", None, public()),
    ("post", "/api/v1/operations/events", {"title": "对接会", "held_on": "2026-10-20",  # organized by the caller
                                           "attendees": ["{other_org}"]},
     operations_role(201, 401, ("office_admin", "agency_user"))),
    ("get", "/api/v1/operations/alliance", None, public()),
    ("get", "/api/v1/operations/centers", None, public()),
    ("post", "/api/v1/operations/centers", {"name": "天开园新一代信息技术产业知识产权运营中心", "authority": "天津市知识产权局", "recognized_on": "2025-06-30"}, office_api(201)),
    ("post", "/api/v1/operations/alliance", {"organization": "{other_org}", "joined_on": "2026-01-10"},
     operations_role(201, 401, ("office_admin",))),
    ("post", "/api/v1/operations/alliance/{alliance_member}/leave", {"left_on": "2026-10-10"},
     operations_role(200, 401, ("office_admin",))),
    ("get", "/api/v1/operations/products", None, public()),
    ("get", "/api/v1/operations/brands/holders", None, public()),
    ("get", "/api/v1/operations/brands/geographical-indications", None, public()),
    ("get", "/api/v1/operations/watch-list", None, office_api()),
    ("post", "/api/v1/operations/watch-list", {"organization": "{other_org}", "reason": "重点", "added_on": "2026-01-10"},
     office_api(201)),
    ("post", "/api/v1/operations/watch-list/{watch}/remove", {"removed_on": "2026-10-10"}, office_api()),
    ("get", "/api/v1/operations/financing", None,
     operations_role(200, 401, ("enterprise_user", "university_user", "finance_user", "office_admin"))),
    ("post", "/api/v1/operations/financing", {"bank": "{tech}", "amount_requested": 100, "purpose": "研发"},
     operations_role(422, 401, ("enterprise_user", "university_user"))),
    ("post", "/api/v1/operations/financing/{financing}/steps", {"action": "accept"},  # other applicants: not theirs
     {**operations_role(403, 401), "finance_user": 200, "university_user": 404}),
    ("get", "/api/v1/operations/claims", None,
     operations_role(200, 401, ("enterprise_user", "university_user", "finance_user", "office_admin"))),
    ("post", "/api/v1/operations/claims", {"policy_number": "NOPE", "amount_claimed": 1, "reason": "x"},
     operations_role(422, 401, ("enterprise_user", "university_user"))),
    ("post", "/api/v1/operations/claims/{claim}/decision", {"pay": True, "amount_paid": 100},
     {**operations_role(403, 401), "finance_user": 200, "university_user": 404}),
    ("post", "/api/v1/operations/products", {"name": "模组", "patent_numbers": ["{offered_patent}"],
                                             "recorded_on": "2026-10-01"},
     {**operations_role(422, 401), "university_user": 201}),
    ("post", "/api/v1/operations/navigation", {"kind": "industry_planning", "title": "导航",  # undertaken by the caller
                                               "industry": "新能源", "started_on": "2026-01-05", "scope_ipc": "H01M"},
     operations_role(201, 401, ("office_admin", "agency_user"))),
    ("post", "/api/v1/operations/navigation/{navigation}/complete", {"completed_on": "2026-10-30"},
     operations_role(200, 401, ("office_admin", "agency_user"))),
    ("get", "/api/v1/operations/navigation/{navigation}/landscape", None, public()),
    ("get", "/api/v1/operations/navigation/{navigation}/report.docx", None, public()),
    ("get", "/api/v1/operations/portfolios", None,
     operations_role(200, 401, ("enterprise_user", "university_user", "office_admin"))),
    ("post", "/api/v1/operations/portfolios", {"name": "组合", "industry": "新能源", "patent_numbers": ["{unpooled_patent}"],
                                               "milestones": []},
     {**operations_role(422, 401), "university_user": 201}),
    ("post", "/api/v1/operations/portfolios/{portfolio}/milestones/0", {"done_on": "2026-10-01"},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "university_user": 200, "office_admin": 403}),
    ("post", "/api/v1/operations/portfolios/{portfolio}/establish", {"established_on": "2026-10-30"},
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "university_user": 403, "office_admin": 422}),
    ("get", "/api/v1/evidence/notarizations", None, {**evidence_registrant(200, 401), "notary_user": 200}),
    ("post", "/api/v1/evidence/notarizations/{notarization}/transitions", {"action": "accept"},
     {**evidence_registrant(404, 401), "enterprise_user": 403, "notary_user": 200}),
    ("get", "/api/v1/supervision/items/{item}/report-standings", None, {**office_api(), "unit_staff": 200}),
    ("get", "/api/v1/supervision/dashboard", None, {**office_api(), "unit_staff": 200}),
    ("get", "/api/v1/supervision/settings", None, {**office_api(), "unit_staff": 200}),
    ("put", "/api/v1/supervision/settings", {"report_frequency": "quarterly", "report_due_days": 10,
                                             "reminder_days": 7}, office_api()),
    ("get", "/api/v1/supervision/meetings", None, {**office_api(), "unit_staff": 200}),
    ("get", "/api/v1/records/meeting/{meeting}/files", None,
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "unit_staff": 200, "office_admin": 200}),
    ("post", "/api/v1/records/meeting/{meeting}/files", "SUPPORTING_UPLOAD",
     {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "unit_staff": 403, "office_admin": 201}),
    ("get", "/api/v1/files/{attachment}", None, {ANONYMOUS: 401, **dict.fromkeys(SIGNED_IN, 404), "office_admin": 200}),
    ("get", "/api/v1/supervision/evidence-package?year=2026", None, office_api()),
    ("post", "/api/v1/supervision/meetings", {"title": "专题会", "held_on": "2026-10-30", "chaired_by": "区长",
                                              "summary": "研究", "decisions": [{"text": "开展导航"}]}, office_api(201)),
    ("get", "/api/v1/supervision/meetings/{meeting}", None, {**office_api(), "unit_staff": 200}),
    ("post", "/api/v1/supervision/meetings/{meeting}/decisions/1/work-item", {}, office_api(201)),
    ("get", "/api/v1/supervision/interviews", None, {**office_api(), "unit_staff": 200}),
    ("post", "/api/v1/supervision/interviews", {"unit": "science_technology", "year": 2026, "held_on": "2026-10-30",
                                                "interviewer": "主任", "interviewees": "副局长", "reason": "得分低",
                                                "content": "分析", "requirements": "整改",
                                                "rectification_deadline": "2026-12-01"}, office_api(201)),
    ("get", "/api/v1/supervision/interviews/{interview}", None, {**office_api(), "unit_staff": 200}),
    ("post", "/api/v1/supervision/interviews/{interview}/rectification", {"text": "已整改"},
     {**office_api(), "office_admin": 403, "unit_staff": 200}),
    ("post", "/api/v1/supervision/interviews/{reported_interview}/decision", {"accept": True}, office_api()),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The plan, the personas and a few records, made once for the ~700 cases of this module inside a transaction
    that is rolled back at its end; each case runs in its own savepoint, so its writes vanish after it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ipcity.web.uploads import attachment_store

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            plan_import(plan_data=parse_plan(bundled_plan_bytes()), actor=None)
            people = make_people()
            other = Organization.objects.create(name="他人企业", org_type=OrgType.ENTERPRISE)
            other_member = user_create(actor=None, username="other_member", password="Str0ng!Passw0rd",
                                       organization=other, role="enterprise_user")
            attachment = attachment_store(uploaded_file=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test"),
                                          actor=people["office_admin"])
            batch = import_batch_start(kind="patents", filename="p.csv", actor=None)
            import_batch_run(batch=batch, data="申请号,申请日,专利类型,发明名称,专利权人地址,授权公告日\n"
                                               "202310012345.6,2023-01-05,发明,一种方法,天津市南开区,2024-06-01".encode())
            task = KeyTask.objects.get(number=2)
            item = work_item_create(actor=people["office_admin"], task=task,
                                    unit=Organization.objects.get(code="science_technology"), year=2026,
                                    title="培育导航项目", deadline=dt.date(2026, 12, 1))
            work_item_transition(actor=people["office_admin"], item=item, action="assign")
            other_item = work_item_create(actor=people["office_admin"], task=task,
                                          unit=Organization.objects.get(code="science_technology"), year=2026,
                                          title="另一事项", deadline=dt.date(2026, 12, 1))
            extension = ExtensionRequest.objects.create(
                work_item=other_item, current_deadline=other_item.deadline, requested_deadline=dt.date(2026, 12, 15), reason="测试",
                requested_by=people["unit_staff"], requested_at=item.created_at)
            line = BudgetLine.objects.create(year=2026, use="platform_building", name="平台建设", amount=100000,
                                             managing_unit=Organization.objects.get(code="market_supervision"),
                                             created_at=item.created_at)
            evaluation = EvaluationReport.objects.create(plan=task.plan, kind="final", as_of=dt.date(2026, 11, 1),
                                                         created_by=people["office_admin"], created_at=item.created_at)
            tech = Organization.objects.get(code="science_technology")
            meeting = meeting_record(actor=people["office_admin"], plan=task.plan, title="2026年第二次全体会议",
                                     held_on=dt.date(2026, 10, 20), chaired_by="区长", summary="部署导航工作",
                                     decisions=[{"text": "区科技局牵头开展导航", "task": task, "unit": tech,
                                                 "deadline": dt.date(2026, 12, 10)}])
            interview_fields = {"unit": tech, "year": 2026, "held_on": dt.date(2026, 10, 25), "interviewer": "主任",
                                "interviewees": "副局长", "reason": "得分低", "content": "分析原因",
                                "requirements": "按期报送", "rectification_deadline": dt.date(2026, 12, 1)}
            interview = interview_record(actor=people["office_admin"], **interview_fields)
            reported = interview_record(actor=people["office_admin"], **interview_fields)
            interview_rectification_report(actor=people["unit_staff"], interview=reported, text="已整改")
            survey = survey_create(actor=people["office_admin"], year=2026, title="2026年满意度调查",
                                   questions=[QuestionIn("scale", "您对知识产权保护工作是否满意")])
            survey_transition(actor=people["office_admin"], survey=survey, action="open")
            registration, _ = registration_create(
                actor=people["enterprise_user"], kind="copyright_work", chunks=[b"world file"], filename="w.pdf",
                metadata={"title": "作品", "work_type": "美术", "author": "张三", "completed_on": "2026-10-01"})
            notarized, _ = registration_create(
                actor=people["enterprise_user"], kind="notarization", chunks=[b"page"], filename="p.html",
                metadata={"title": "网页公证", "notary": "测试公证处", "purpose": "诉讼"})
            sequence_pending()
            patents = import_batch_start(kind="patents", filename="u.csv", actor=None)
            import_batch_run(batch=patents, data=("申请号,申请日,专利类型,发明名称,专利权人,专利权人地址,授权公告日\n"
                                                  "202110011111.1,2021-03-01,发明,电池健康估计,测试大学,天津市南开区,2023-05-09\n"
                                                  "202110022222.2,2021-03-01,发明,焊缝检测,测试企业有限公司,天津市南开区,"
                                                  "2023-05-09\n"
                                                  "202110033333.3,2021-05-01,发明,缺陷识别,测试大学,天津市南开区,2023-08-15"
                                                  ).encode())
            policies = import_batch_start(kind="policies", filename="p.csv", actor=None)
            import_batch_run(batch=policies, data=("保单号,险种,投保人,保险公司,起保日\n"
                                                   "BD1,专利保险,测试企业有限公司,测试银行,2026-01-01").encode())
            bank = people["finance_user"].organization
            financing = financing_apply(actor=people["enterprise_user"], bank=bank, amount_requested=100,
                                        purpose="研发", patents=["202110022222.2"])
            claim = claim_file(actor=people["enterprise_user"], policy_number="BD1", amount_claimed=1000, reason="维权")
            offer = offer_create(actor=people["university_user"], patent_number="202110011111.1", mode="ordinary",
                                 price_terms="面议", field="新能源", maturity="中试")
            need = need_create(actor=people["enterprise_user"], title="电池寿命预测", problem="需要预测动力电池的剩余寿命",
                               field="新能源", deadline=dt.date(2027, 6, 30))
            need_review(actor=people["office_admin"], need=need, approve=True)
            interest = interest_express(actor=people["enterprise_user"], offer=offer, need=need)
            navigation = navigation_create(actor=people["office_admin"], kind="industry_planning", title="电池导航",
                                           undertaker=people["agency_user"].organization, industry="新能源", started_on=dt.date(2026, 1, 5),
                                           scope_ipc="H01M")
            portfolio = portfolio_create(actor=people["university_user"], name="电池组合", industry="新能源",
                                         patent_numbers=["202110011111.1"],
                                         milestones=[{"name": "布局规划", "due": "2026-06-30"}])
            member = alliance_join(actor=people["office_admin"], organization=people["university_user"].organization,
                                   joined_on=dt.date(2025, 1, 10))
            watch = watch_add(actor=people["office_admin"], organization=people["enterprise_user"].organization,
                              reason="重点", added_on=dt.date(2026, 1, 10))
            certificate_record(actor=people["office_admin"], officer=people["enforcement_officer"], number="津执-世界-1",
                               issued_on=dt.date(2024, 1, 1), valid_until=dt.date(2030, 12, 31))
            inspection = plan_create(actor=people["office_admin"], code="world-plan", title="抽查", quotas={"low": 1})
            plan_publish(actor=people["office_admin"], plan=inspection)
            drawn = plan_create(actor=people["office_admin"], code="world-drawn", title="已抽取的抽查", quotas={"low": 2},
                                inspectors_per_subject=1)
            plan_publish(actor=people["office_admin"], plan=drawn)
            plan_draw(actor=people["office_admin"], plan=drawn)
            recorded_subject, open_subject = drawn.results["subjects"][:2]
            result_record(actor=people["office_admin"], plan=drawn, subject=recorded_subject, outcome="no_problem",
                          description="未发现问题", inspected_on=clock.today())
            conduct = conduct_record(actor=people["office_admin"], agency=people["agency_user"].organization,
                                     source="inspection", occurred_on=dt.date(2026, 10, 1), finding="以包授权招揽业务",
                                     measure="warning", document_number="津警-世界-1",
                                     valid_until=dt.date(2027, 9, 30))
            listing = listing_create(actor=people["office_admin"], organization=people["enterprise_user"].organization,
                                     listed_on=dt.date(2026, 1, 10),
                                     penalties=[Penalty("p", dt.date(2025, 1, 1), True, True, False)])
            mediation = mediation_apply(actor=people["enterprise_user"], channel="people",
                                        body=people["mediator"].organization, respondent="某店", right_type="trademark",
                                        claim="假冒")
            case = case_register(actor=people["enforcement_officer"], kind="patent", source="inspection", party="某公司",
                                 facts="假冒专利", received_on=dt.date(2026, 10, 1))
            assistance = assistance_request(actor=people["enterprise_user"], topic="展会被诉", description="临时禁令")
            market = market_create(actor=people["office_admin"], name="南开大悦城", level="city")
            cluster = cluster_create(actor=people["office_admin"], name="电池产业链专利集群", industry="新能源",
                                     enterprises=[people["enterprise_user"].organization], ipc_prefixes=["H01M"],
                                     established_on=dt.date(2026, 1, 5))
            service_item = item_create(actor=people["office_admin"], code="NK-PERM-001", name="专利资助", item_type="public_service",
                               unit=people["unit_staff"].organization, guide=service_guide())
            application = application_submit(actor=people["enterprise_user"], item=service_item, description="申请", files=[
                SimpleUploadedFile("表.pdf", b"%PDF-1.4 world")])
            training = training_create(actor=people["unit_staff"], title="培训", audience="public",
                                       held_on=clock.today(), hours=Decimal(2), place="会议室", capacity=50,
                                       registration_deadline=clock.today())
            training_registration = training_register(actor=other_member, training=training, phone="13700009999")
            tcm_project = tcm_project_create(actor=people["office_admin"], name="名老中医经验传承", undertaker="某中医医院",
                                             approved_on=dt.date(2025, 3, 1))
            profile_save(actor=people["agency_user"], services=["custody"], qualifications=[], staff=3, attorneys=0,
                         description="托管服务")
            custody = custody_record(actor=people["agency_user"], enterprise=people["enterprise_user"].organization,
                                     enterprise_size="small", scope=["fees"], starts_on=dt.date(2025, 1, 1),
                                     ends_on=dt.date(2025, 12, 31))
            expert_record = expert_add(actor=people["office_admin"], name="张教授", title="教授", organization_name="测试大学",
                                       specialties=["patent"], user=people["expert"])
            consent_set(actor=people["expert"], expert=expert_record, consent=True)
            expert_assignment = expert_assign(actor=people["office_admin"], expert=expert_record, kind="assessment",
                                              subject="品牌机构评审")
            guidance = guidance_start(actor=people["agency_user"], enterprise=people["enterprise_user"].organization,
                                      started_on=dt.date(2025, 6, 1))
            certification = certification_record(
                actor=people["enterprise_user"], enterprise=people["enterprise_user"].organization, certifier="某认证公司",
                certificate_number="PERM-1", scope="研发", issued_on=dt.date(2025, 1, 5), valid_until=dt.date(2028, 1, 4),
                guiding_agency=people["agency_user"].organization)
            event = event_record(actor=people["unit_staff"], kind="salon", title="沙龙", held_on=dt.date(2026, 1, 5),
                                 place="会议室")
            nomination = demonstration_nominate(actor=people["unit_staff"], name="南开实验小学", kind="school", year=2026,
                                                reason="课程体系完整")
            policy_record = policy_create(
                actor=people["office_admin"], level="district", issuer="南开区科学技术局", document_number="南开科规〔2025〕9号",
                title="南开区专利导航资助办法", summary="资助专利导航", issued_on=dt.date(2025, 3, 1),
                effective_from=dt.date(2025, 3, 15), responsible_unit=tech, task_numbers=[11],
                measures=[{"kind": "subsidy", "name": "专利授权资助", "standard": "每件3000元", "cap": Decimal(3000)},
                          {"kind": "subsidy", "name": "专利导航资助", "standard": "最高20万元", "cap": Decimal(200000)}])
            policy_application = policy_apply(actor=people["enterprise_user"], description="授权1件",
                                              measure=policy_record.measures.get(name="专利授权资助"),
                                              amount_requested=Decimal(3000))
            ids = {"cluster": cluster.pk, "university_org": people["university_user"].organization_id,
                   "policy": policy_record.pk, "policy_application": policy_application.pk,
                   "policy_measure": policy_record.measures.get(name="专利导航资助").pk, "event": event.pk, "nomination": nomination.pk, "guidance": guidance.pk, "certification": certification.pk, "expert_record": expert_record.pk, "expert_assignment": expert_assignment.pk,
                   "agency": people["agency_user"].organization_id, "custody": custody.pk,
                   "custody_client": people["enterprise_user"].organization_id, "service_item": service_item.code, "service_application": application.pk,
                   "material": application.materials.get().pk, "training": training.pk,
                   "training_registration": training_registration.pk, "tcm_project": tcm_project.pk,
                   "training_token": training.sign_in_token, "assistance": assistance.pk, "market": market.pk, "case": case.pk, "officer": people["enforcement_officer"].pk, "mediation": mediation.pk, "mediation_body": people["mediator"].organization_id,
                   "listing": listing.pk, "inspection": inspection.pk, "watch": watch.pk, "financing": financing.pk, "claim": claim.pk, "alliance_member": member.pk, "navigation": navigation.pk, "portfolio": portfolio.pk, "offer": offer.pk, "need": need.pk, "interest": interest.pk, "offered_patent": "202110011111.1", "unpooled_patent": "202110033333.3",
                   "registration": registration.pk, "notarization": notarized.notarization.pk, "meeting": meeting.pk, "decision": meeting.decisions.get().pk, "task": task.pk,
                   "interview": interview.pk, "reported_interview": reported.pk,
                   "drawn_inspection": drawn.pk, "open_subject": open_subject, "recorded_subject": recorded_subject,
                   "conduct": conduct.pk, "today": clock.today().isoformat(),
                   "survey": survey.pk, "survey_token": survey.token,
                   "evaluation": evaluation.pk, "line": line.pk, "extension": extension.pk, "item": item.pk, "tech": Organization.objects.get(code="science_technology").pk, "batch": batch.pk, "patent": "202310012345.6", "member": "other_member", "other_org": other.pk,
                   "unit": Organization.objects.get(code="culture_tourism").pk, "attachment": attachment.pk}
            yield people, ids
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def sessions(world, django_db_blocker) -> dict:
    """A signed-in session per persona, made once in the world's transaction: signing in per case was a fifth of
    the table's time. A case that changes or ends its session does so in its own savepoint, rolled back after it."""
    from django.conf import settings
    from django.test import Client

    with django_db_blocker.unblock():
        keys = {}
        for name, user in world[0].items():
            client = Client()
            client.force_login(user)
            keys[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return keys


@pytest.fixture
def client_for(sessions, db):
    """As conftest's client_for, signed in with the persona's session of this module."""
    from django.conf import settings
    from django.test import Client

    def make(persona: str | None) -> Client:
        client = Client()
        if persona is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[persona]
        return client
    return make


@pytest.fixture
def people(world, db):
    return world[0]


@pytest.fixture
def ids(world, db):
    return world[1]
