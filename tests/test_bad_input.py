"""Malformed input never takes a page or the API down and never writes anything.

Built like the permission table: every page route that accepts POST and every API operation has a row naming who
may use it (and, where the defaults do not reach the service, a valid body). From the row the test makes the bad
inputs itself: for the API from the OpenAPI document (each path, query and body parameter by its type), for pages
from the forms the page actually renders (each field by its input type). Ids that are not numbers, missing or out of
range; impossible or absurd dates; `abc`, `NaN`, `1e30` and `-1` for numbers; control characters and 10,000-character
strings for text. Each must be answered with a 4xx (or the form again, with its error) in Chinese, never a 5xx, and
must leave the database exactly as it was. A new route or operation without a row fails a completeness test."""

import hashlib
import json
import re
import urllib.parse
import zlib
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.urls import resolve

from tests import permission_world
from tests.permission_world import PAGES as PERMISSION_PAGES

world = permission_world.world  # the module-scoped world: plan, personas, one of everything

CHINESE = re.compile(r"[\u4e00-\u9fff]")
TEN_K = "长" * 10_000
HUGE_ID = "99999999999999999999"  # beyond a 64-bit integer
TEXT_BAD = ("名称\x01", "名称\x0b", TEN_K)  # each text field gets one of these (all three across the table)
NUMBER_BAD = ("abc", "NaN", "1e30", "-1")
DATE_BAD = ("0001-01-01", "2026-13-45", "abc")
ID_BAD = ("abc", "999999", "-1", HUGE_ID, "")


people, ids = permission_world.people, permission_world.ids
sessions, client_for = permission_world.sessions, permission_world.client_for


def _fill(value, ids, own_org):
    if isinstance(value, str):
        names = {**ids, "own_org": own_org}
        return re.sub(r"\{(\w+)\}", lambda m: str(names[m.group(1)]) if m.group(1) in names else m.group(), value)
    if isinstance(value, list):
        return [_fill(v, ids, own_org) for v in value]
    if isinstance(value, dict):
        return {_fill(k, ids, own_org): _fill(v, ids, own_org) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------------------------------------------------
# What "nothing was written" means: every table but the session store holds exactly the rows it held before.

def _tables():
    skip = {"django_session"}
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed}
                  - skip)


def fingerprint() -> dict[str, str]:
    digests = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (model table names)
            rows = sorted(repr(row) for row in cursor.fetchall())
            digests[table] = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16] + f"/{len(rows)}"
    return digests


def _changed(before, after) -> list[str]:
    return [f"{table}: {before.get(table)} -> {after.get(table)}" for table in after if before.get(table) != after[table]]


# ---------------------------------------------------------------------------------------------------------------
# What "refused in Chinese" means.

ERROR_BITS = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>|<li class="msg-error">(.*?)</li>|'
                        r'<div class="placeholder"[^>]*>\s*<h1>[^<]*</h1>(.*?)</div>', re.S)


def _page_errors(html: str) -> list[str]:
    return ["".join(parts) for parts in ERROR_BITS.findall(html)]


def _cookie_messages(response) -> list:
    cookie = response.cookies.get(CookieStorage.cookie_name)
    if cookie is None or not cookie.value:
        return []
    return CookieStorage(response.wsgi_request)._decode(cookie.value) or []


def page_refusal(response) -> str | None:
    """None when the page refused the input in Chinese; otherwise what was wrong."""
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if 400 <= status < 500:
        text = response.content.decode(errors="replace")
        errors = _page_errors(text)
        return None if any(CHINESE.search(e) for e in errors) else f"{status} without a Chinese message"
    if status in (301, 302, 303):
        errors = [m.message for m in _cookie_messages(response) if "error" in m.tags]
        return None if any(CHINESE.search(str(e)) for e in errors) else f"{status} to {response['Location']} without an error"
    errors = _page_errors(response.content.decode(errors="replace"))
    return None if any(CHINESE.search(e) for e in errors) else f"{status} without an error on the form"


def _report(method, path, failures, changed):
    assert not failures and not changed, "\n".join([f"{method.upper()} {path}", *failures,
                                                     *(f"written: {c}" for c in changed)])


def api_refusal(response) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status}"
    if not 400 <= status < 500:
        return f"{status} (accepted)"
    try:
        detail = json.dumps(response.json().get("detail"), ensure_ascii=False)
    except (ValueError, AttributeError):
        return f"{status} with a body that is not JSON"
    return None if CHINESE.search(detail) else f"{status} without a Chinese message: {detail[:200]}"


# ---------------------------------------------------------------------------------------------------------------
# The API: one row per operation (method, path with {world ids}, who may call it, a valid body). The bad values
# come from the OpenAPI document: every path, query and body parameter gets the bad values of its type.

class upload(dict):  # noqa: N801 (reads as a table cell)
    """A multipart body: text fields, and (name, bytes) pairs for files."""


NEXT_VERSION = "NEXT_VERSION"
POPULATION_CSV = "年份,年末常住人口（万人）,来源\n2025,89.3,区统计局".encode()
WORK_METADATA = json.dumps({"title": "地图", "work_type": "美术", "author": "张三", "completed_on": "2026-10-01"},
                           ensure_ascii=False)


def _guide(**changes):
    from tests.services.helpers import guide

    return guide(**changes)


GUIDE = "GUIDE"

API = [
    ("get", "/api/v1/plan", "office_admin"),
    ("get", "/api/v1/plan/goals", "office_admin"),
    ("get", "/api/v1/plan/indicators", "office_admin"),
    ("get", "/api/v1/plan/indicators/valid_patents", "office_admin"),
    ("get", "/api/v1/plan/tasks", "office_admin"),
    ("get", "/api/v1/plan/tasks/3", "office_admin"),
    ("get", "/api/v1/plan/tasks/1/modules", "office_admin"),
    ("get", "/api/v1/plan/safeguards", "office_admin"),
    ("get", "/api/v1/plan/surveys", "office_admin"),
    ("post", "/api/v1/plan/surveys", "office_admin", {"year": 2026, "title": "满意度调查", "questions": [{"kind": "choice", "text": "您的身份", "options": ["企业", "公众"]}]}),
    ("get", "/api/v1/plan/surveys/{survey}", "office_admin"),
    ("post", "/api/v1/plan/surveys/{survey}/transitions", "office_admin", {"action": "close"}),
    ("get", "/api/v1/plan/satisfaction", "office_admin"),
    ("get", "/api/v1/plan/high-tech", "office_admin"),
    ("post", "/api/v1/plan/high-tech", "office_admin", {"year": 2026, "district": "nankai", "count": 900, "source": "区科技局"}),
    ("post", "/api/v1/plan/high-tech/import", "office_admin", upload(file=("h.csv", "年度,区,国家高新技术企业数量,来源\n2026,南开区,900,区科技局".encode()))),
    ("get", "/api/v1/plan/holidays", "office_admin"),
    ("post", "/api/v1/plan/holidays/import", "office_admin", upload(source="国务院办公厅关于2026年部分节假日安排的通知", file=("h.csv", "日期,类型,节日\n2026-10-01,放假,国庆节\n2026-10-10,调休上班,国庆节".encode()))),
    ("get", "/api/v1/me", "office_admin"),
    ("post", "/api/v1/me/tokens", "office_admin", {"name": "脚本"}),
    ("get", "/api/v1/organizations", "office_admin"),
    ("get", "/api/v1/organizations/{other_org}", "office_admin"),
    ("get", "/api/v1/organizations/{other_org}/members", "office_admin"),
    ("get", "/api/v1/audit", "office_admin"),
    ("post", "/api/v1/organizations", "office_admin", {"name": "新设企业", "org_type": "enterprise", "street": "xuefu", "tags": ["high_tech"], "credit_code": "914403001922038216"}),
    ("patch", "/api/v1/organizations/{other_org}", "office_admin", {"address": "天津市南开区某路1号"}),
    ("patch", "/api/v1/organizations/{own_org}", "office_admin", {"address": "天津市南开区某路1号"}),
    ("post", "/api/v1/organizations/{other_org}/members", "office_admin", {"username": "new_member", "full_name": "新成员", "role": "enterprise_user", "password": "Str0ng!Passw0rd"}),
    ("patch", "/api/v1/users/{member}", "office_admin", {"unlock": True}),
    ("patch", "/api/v1/plan/indicators/valid_patents", "office_admin", {"target": 26500}),
    ("post", "/api/v1/plan/indicators/navigation_projects_industry_planning/values", "office_admin", {"as_of": "2026-10-31", "value": 2, "source": "区科技局统计"}),
    ("put", "/api/v1/plan/tasks/1/units", "office_admin", {"units": ["science_technology", "market_supervision"]}),
    ("post", "/api/v1/plan/import", "office_admin", NEXT_VERSION),
    ("get", "/api/v1/indicators/valid_patents/records", "office_admin"),
    ("get", "/api/v1/indicators/by-year", "office_admin"),
    ("get", "/api/v1/indicators/navigation_projects_industry_planning/confirmations", "office_admin"),
    ("post", "/api/v1/indicators/navigation_projects_industry_planning/confirmations", "office_admin", {"year": 2025, "basis": "other", "value": 3, "reason": "核定"}),
    ("get", "/api/v1/reports/indicators.xlsx", "office_admin"),
    ("get", "/api/v1/reports/indicators.docx", "office_admin"),
    ("post", "/api/v1/registries/imports", "office_admin", upload(kind="population", file=("pop.csv", POPULATION_CSV))),
    ("get", "/api/v1/registries/imports/{batch}", "office_admin"),
    ("get", "/api/v1/registries/patents/{patent}/events", "office_admin"),
    ("get", "/api/v1/registries/patents", "office_admin"),
    ("get", "/api/v1/registries/gis", "office_admin"),
    ("put", "/api/v1/registries/settings/high_value_pledge_threshold", "office_admin", {"value": "5000000"}),
    ("get", "/api/v1/registries/coverage", "office_admin"),
    ("post", "/api/v1/registries/coverage", "office_admin", {"kind": "activity:market_national", "complete_from": "2024-01-01"}),
    ("get", "/api/v1/supervision/items", "office_admin"),
    ("post", "/api/v1/supervision/items", "office_admin", {"task": 2, "unit": "science_technology", "year": 2026, "title": "x", "deadline": "2026-12-01"}),
    ("get", "/api/v1/supervision/items/{item}", "office_admin"),
    ("post", "/api/v1/supervision/items/{item}/transitions", "unit_staff", {"action": "acknowledge"}),
    ("post", "/api/v1/supervision/items/{item}/reports", "unit_staff", {"period": "2026-10", "text": "进展"}),
    ("post", "/api/v1/supervision/reminders/run", "office_admin", {}),
    ("post", "/api/v1/supervision/items/{item}/extensions", "unit_staff", {"requested_deadline": "2026-12-20", "reason": "等待数据"}),
    ("post", "/api/v1/supervision/extensions/{extension}/decision", "office_admin", {"approve": True}),
    ("get", "/api/v1/supervision/ledger.xlsx", "office_admin"),
    ("get", "/api/v1/supervision/assessment?year=2026", "office_admin"),
    ("put", "/api/v1/supervision/assessment/ratings/science_technology", "office_admin", {"year": 2026, "score": 80}),
    ("put", "/api/v1/supervision/assessment/schemes/2026", "office_admin", {"weights": {"timeliness": 25, "completion": 25, "indicators": 25, "office": 25}}),
    ("get", "/api/v1/supervision/assessment/bulletin.docx?year=2026", "office_admin"),
    ("get", "/api/v1/supervision/assessment/scope", "office_admin"),
    ("get", "/api/v1/supervision/assessment/scope/history", "office_admin"),
    ("put", "/api/v1/supervision/assessment/scope", "office_admin", {"unranked_units": []}),
    ("get", "/api/v1/supervision/fund?year=2026", "office_admin"),
    ("get", "/api/v1/supervision/evaluations", "office_admin"),
    ("get", "/api/v1/supervision/evaluations/{evaluation}", "office_admin"),
    ("post", "/api/v1/supervision/evaluations", "office_admin", {"kind": "annual", "year": 2025}),
    ("patch", "/api/v1/supervision/evaluations/{evaluation}", "office_admin", {"highlights": "x"}),
    ("post", "/api/v1/supervision/evaluations/{evaluation}/release", "office_admin", {}),
    ("get", "/api/v1/supervision/evaluations/{evaluation}/document?format=docx", "office_admin"),
    ("get", "/api/v1/supervision/fund.xlsx?year=2026", "office_admin"),
    ("post", "/api/v1/supervision/fund/lines", "office_admin", {"year": 2026, "use": "platform_building", "name": "平台运维", "amount": 1000, "managing_unit": "market_supervision"}),
    ("post", "/api/v1/supervision/fund/lines/{line}/disbursements", "office_admin", {"amount": 10, "paid_on": "2026-03-01", "recipient": "甲", "purpose": "x"}),
    ("post", "/api/v1/supervision/ledger", "office_admin", upload(file=("ledger.csv", "编号,重点任务编号\n1,2".encode()))),
    ("post", "/api/v1/evidence/registrations", "enterprise_user", {"kind": "trade_secret", "metadata": {"title": "配方", "secret_type": "技术信息"}, "sha256": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sm3": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}),
    ("post", "/api/v1/evidence/registrations/file", "enterprise_user", upload(kind="copyright_work", metadata=WORK_METADATA, file=("map.pdf", b"%PDF-1.4 bad input"))),
    ("get", "/api/v1/evidence/registrations", "enterprise_user"),
    ("get", "/api/v1/evidence/registrations/{registration}", "enterprise_user"),
    ("get", "/api/v1/evidence/registrations/{registration}/bundle", "enterprise_user"),
    ("get", "/api/v1/evidence/registrations/{registration}/certificate.pdf", "enterprise_user"),
    ("post", "/api/v1/evidence/verify", "office_admin", upload(bundle=("b.ipcity-evidence", b"not a bundle"))),
    ("get", "/api/v1/evidence/statistics", "office_admin"),
    ("get", "/api/v1/operations/offers", "office_admin"),
    ("post", "/api/v1/operations/offers", "enterprise_user", {"patent_number": "{offered_patent}", "mode": "ordinary", "price_terms": "面议", "field": "新能源", "maturity": "中试"}),
    ("post", "/api/v1/operations/offers/import", "enterprise_user", upload(file=("offers.csv", "申请号,方式\n1,租赁".encode()))),
    ("post", "/api/v1/operations/offers/{offer}/withdraw", "university_user", {}),
    ("get", "/api/v1/operations/offers/{offer}/matches", "university_user"),
    ("get", "/api/v1/operations/needs", "office_admin"),
    ("post", "/api/v1/operations/needs", "enterprise_user", {"title": "需求", "problem": "需要解决电池寿命预测的问题", "field": "新能源", "deadline": "2027-06-30"}),
    ("post", "/api/v1/operations/needs/{need}/review", "office_admin", {"approve": True}),
    ("post", "/api/v1/operations/needs/{need}/renew", "enterprise_user", {"deadline": "2027-09-30"}),
    ("get", "/api/v1/operations/needs/{need}/matches", "office_admin"),
    ("get", "/api/v1/operations/interests", "office_admin"),
    ("post", "/api/v1/operations/interests", "enterprise_user", {"offer": "{offer}"}),
    ("post", "/api/v1/operations/interests/{interest}/steps", "enterprise_user", {"action": "meet", "meeting_on": "2026-10-30"}),
    ("post", "/api/v1/operations/interests/{interest}/deal", "university_user", {"kind": "ordinary", "amount": 1, "contract_date": "2026-10-01", "recordal_date": "2026-10-02"}),
    ("get", "/api/v1/protection/inspections", "office_admin"),
    ("get", "/api/v1/protection/credit", "office_admin"),
    ("get", "/api/v1/protection/cases", "office_admin"),
    ("post", "/api/v1/protection/cases", "enforcement_officer", {"kind": "patent", "source": "inspection", "party": "某公司", "facts": "假冒专利", "received_on": "2026-10-01"}),
    ("get", "/api/v1/protection/cases/{case}", "office_admin"),
    ("post", "/api/v1/protection/cases/{case}/steps", "enforcement_officer", {"action": "investigate"}),
    ("post", "/api/v1/protection/cases/{case}/officers", "office_admin", {"officers": ["{officer}"]}),
    ("post", "/api/v1/protection/cases/{case}/referral", "enforcement_officer", {"police": "公安", "referred_on": "2026-10-02", "reason": "涉罪"}),
    ("post", "/api/v1/protection/cases/{case}/receipt", "enforcement_officer", {"receipt_number": "1", "receipt_on": "2026-10-03"}),
    ("post", "/api/v1/protection/certificates", "office_admin", {"officer": "{officer}", "number": "津执-9", "issued_on": "2031-01-01", "valid_until": "2036-12-31"}),
    ("get", "/api/v1/protection/mediations", "office_admin"),
    ("post", "/api/v1/protection/mediations", "enterprise_user", {"channel": "people", "body": "{mediation_body}", "respondent": "某店", "right_type": "trademark", "claim": "假冒"}),
    ("post", "/api/v1/protection/mediations/{mediation}/steps", "mediator", {"action": "accept"}),
    ("get", "/api/v1/protection/trade-secrets/questions", "office_admin"),
    ("post", "/api/v1/protection/trade-secrets/assessments", "enterprise_user", {"answers": {"inventory": True}}),
    ("get", "/api/v1/protection/trade-secrets/assessments", "enterprise_user"),
    ("get", "/api/v1/protection/credit/export?format=csv", "office_admin"),
    ("post", "/api/v1/protection/credit/listings", "office_admin", {"organization": "{other_org}", "listed_on": "2026-01-10", "penalties": [{"reference": "a", "decided_on": "2025-01-01", "infringement": True, "intentional": True}]}),
    ("get", "/api/v1/protection/credit/listings", "office_admin"),
    ("post", "/api/v1/protection/credit/listings/{listing}/repair", "enterprise_user", {"statement": "已整改"}),
    ("post", "/api/v1/protection/credit/listings/{listing}/decision", "office_admin", {"grant": False, "note": "x"}),
    ("post", "/api/v1/protection/credit/commitments", "office_admin", {"text": "守法经营", "signed_on": "2026-10-01"}),
    ("post", "/api/v1/protection/inspections", "office_admin", {"code": "perm-check", "title": "抽查", "quotas": {"low": 1}}),
    ("get", "/api/v1/protection/inspections/{inspection}", "office_admin"),
    ("post", "/api/v1/protection/inspections/{inspection}/publish", "office_admin", {}),
    ("post", "/api/v1/protection/inspections/{inspection}/draw", "office_admin", {}),
    ("get", "/api/v1/protection/inspections/{drawn_inspection}/results", "office_admin"),
    ("post", "/api/v1/protection/inspections/{drawn_inspection}/results", "office_admin", {"subject": "{open_subject}", "outcome": "no_problem", "description": "未发现问题", "inspected_on": "{today}"}),
    ("put", "/api/v1/protection/inspections/{drawn_inspection}/results", "office_admin", {"subject": "{recorded_subject}", "outcome": "problem", "description": "标识不规范", "inspected_on": "{today}", "reason": "补充检查情况"}),
    ("post", "/api/v1/protection/inspections/{drawn_inspection}/publish-results", "office_admin", {}),
    ("get", "/api/v1/protection/agency-conduct", "office_admin"),
    ("post", "/api/v1/protection/agency-conduct", "office_admin", {"agency": "{agency}", "source": "inspection", "occurred_on": "2026-10-01", "finding": "收费标准未公示", "measure": "talk"}),
    ("post", "/api/v1/protection/agency-conduct/publication", "office_admin", {"record": "{conduct}", "publish_in_directory": True}),
    ("get", "/api/v1/protection/agency-conduct/published", "office_admin"),
    ("put", "/api/v1/protection/risk/{other_org}", "office_admin", {"level": "high", "reason": "处罚记录"}),
    ("get", "/api/v1/protection/assistance", "office_admin"),
    ("post", "/api/v1/protection/assistance", "enterprise_user", {"topic": "展会被诉", "description": "临时禁令"}),
    ("post", "/api/v1/protection/assistance/{assistance}/steps", "office_admin", {"action": "triage", "category": "专利"}),
    ("get", "/api/v1/protection/cooperation", "office_admin"),
    ("post", "/api/v1/protection/cooperation", "office_admin", {"kind": "regional", "title": "京津冀协作", "partners": "北京市朝阳区", "started_on": "2026-03-01"}),
    ("get", "/api/v1/protection/markets", "office_admin"),
    ("post", "/api/v1/protection/markets", "office_admin", {"name": "某市场", "level": "city"}),
    ("put", "/api/v1/protection/markets/{market}/checklist", "office_admin", {"items": {"rules": True}}),
    ("post", "/api/v1/protection/markets/{market}/recognition", "office_admin", {"authority": "天津市知识产权局", "document_number": "津知保〔2026〕1号", "recognized_on": "2026-10-30"}),
    ("get", "/api/v1/services/items", "office_admin"),
    ("get", "/api/v1/services/items/{service_item}", "office_admin"),
    ("post", "/api/v1/services/items", "office_admin", {"code": "NK-PERM-002", "name": "事项", "item_type": "public_service", "unit": "{unit}", "guide": GUIDE}),
    ("post", "/api/v1/services/items/{service_item}/guides", "office_admin", {"guide": "NEW_GUIDE", "change_note": "压缩时限"}),
    ("get", "/api/v1/services/applications", "office_admin"),
    ("post", "/api/v1/services/applications", "enterprise_user", upload(item="NK-PERM-001", description="申请", files=("表.pdf", b"%PDF-1.4 x"))),
    ("get", "/api/v1/services/applications/{service_application}", "office_admin"),
    ("post", "/api/v1/services/applications/{service_application}/steps", "unit_staff", upload(action="accept", note="受理")),
    ("post", "/api/v1/services/applications/{service_application}/rating", "enterprise_user", {"rating": 5}),
    ("get", "/api/v1/services/satisfaction", "office_admin"),
    ("get", "/api/v1/services/certifications", "office_admin"),
    ("post", "/api/v1/services/certifications", "enterprise_user", {"enterprise": "{custody_client}", "certifier": "某认证公司", "certificate_number": "PERM-2", "scope": "研发", "issued_on": "2026-01-05", "valid_until": "2029-01-04", "guiding_agency": "{agency}"}),
    ("post", "/api/v1/services/certifications/{certification}/state", "office_admin", {"state": "valid"}),
    ("get", "/api/v1/services/certification-guidance", "office_admin"),
    ("post", "/api/v1/services/certification-guidance", "agency_user", {"enterprise": "{other_org}", "started_on": "2026-01-05"}),
    ("post", "/api/v1/services/certification-guidance/{guidance}/advance", "agency_user", {"note": "诊断完成"}),
    ("post", "/api/v1/services/certifications/reminders/run", "office_admin", {}),
    ("get", "/api/v1/services/culture/events", "office_admin"),
    ("post", "/api/v1/services/culture/events", "office_admin", {"kind": "salon", "title": "沙龙", "held_on": "2026-12-01", "place": "会议室"}),
    ("post", "/api/v1/services/culture/events/{event}/report", "office_admin", {"participants": 30, "summary": "30人参加"}),
    ("get", "/api/v1/services/culture/schools", "office_admin"),
    ("post", "/api/v1/services/culture/schools", "office_admin", {"name": "新学校", "level": "junior", "joined_on": "2025-09-01"}),
    ("get", "/api/v1/services/culture/demonstration-units", "office_admin"),
    ("post", "/api/v1/services/culture/demonstration-units", "office_admin", {"name": "新单位", "kind": "community", "year": 2026, "reason": "宣传活跃"}),
    ("post", "/api/v1/services/culture/demonstration-units/{nomination}/decision", "office_admin", {"selected": True, "note": "同意"}),
    ("get", "/api/v1/services/culture/copyright", "office_admin"),
    ("get", "/api/v1/services/culture/resources", "office_admin"),
    ("post", "/api/v1/services/culture/resources", "office_admin", {"category": "folk_art", "name": "南开剪纸", "holder_organization": "{unit}", "holder_name": "李某", "protection_status": "protected", "source": "区级非遗名录", "recorded_on": "2026-01-05", "protected_since": "2025-12-01", "description": "剪纸", "responsible_unit": "culture_tourism"}),
    ("get", "/api/v1/services/culture/products", "office_admin"),
    ("post", "/api/v1/services/culture/products", "office_admin", {"kind": "product", "name": "文创礼盒", "owner_organization": "{unit}", "owner_name": "某公司", "brand": "南开礼物", "launched_on": "2026-01-05", "description": "礼盒", "responsible_unit": "publicity"}),
    ("get", "/api/v1/services/culture/tcm-projects", "office_admin"),
    ("post", "/api/v1/services/culture/tcm-projects", "office_admin", {"name": "中医药示范项目", "undertaker": "某医院", "approved_on": "2026-01-05", "summary": "传承"}),
    ("post", "/api/v1/services/culture/tcm-projects/{tcm_project}/knowledge", "office_admin", {"name": "膏方经验", "holder_name": "王某", "protection_status": "archived", "source": "整理", "recorded_on": "2026-01-05", "protected_since": "2025-12-01", "description": "膏方"}),
    ("get", "/api/v1/services/culture/talent", "office_admin"),
    ("get", "/api/v1/services/culture/talent/records", "office_admin"),
    ("post", "/api/v1/services/culture/talent", "office_admin", {"name": "王代理", "organization_name": "某所", "category": "patent_attorney"}),
    ("get", "/api/v1/services/open-data", "office_admin"),
    ("get", "/api/v1/services/open-data/agencies", "office_admin"),
    ("get", "/api/v1/services/experts", "office_admin"),
    ("get", "/api/v1/services/experts/pool", "office_admin"),
    ("post", "/api/v1/services/experts", "office_admin", {"name": "李研究员", "title": "研究员", "organization_name": "某院", "specialties": ["law"]}),
    ("get", "/api/v1/services/experts/{expert_record}", "office_admin"),
    ("put", "/api/v1/services/experts/{expert_record}", "office_admin", {"title": "教授", "organization_name": "测试大学", "specialties": ["patent"]}),
    ("post", "/api/v1/services/experts/{expert_record}/consent", "expert", {"consent": True}),
    ("post", "/api/v1/services/experts/{expert_record}/conflicts", "office_admin", {"organization": "{other_org}", "reason": "亲属"}),
    ("post", "/api/v1/services/experts/{expert_record}/assignments", "office_admin", {"kind": "assessment", "subject": "评审"}),
    ("get", "/api/v1/services/expert-assignments", "office_admin"),
    ("post", "/api/v1/services/expert-assignments/{expert_assignment}/close", "expert", {"opinion": "同意"}),
    ("get", "/api/v1/services/agencies", "office_admin"),
    ("get", "/api/v1/services/agencies/{agency}", "office_admin"),
    ("put", "/api/v1/services/agency-profile", "agency_user", {"services": ["custody"], "staff": 3, "attorneys": 0}),
    ("post", "/api/v1/services/agencies/{agency}/cluster", "office_admin", {"action": "join", "day": "2026-01-05", "place": "A座"}),
    ("post", "/api/v1/services/agencies/{agency}/brand", "office_admin", {"designated_on": "2026-01-05", "reason": "成效突出"}),
    ("post", "/api/v1/services/agencies/{agency}/rating", "enterprise_user", {"rating": 5}),
    ("get", "/api/v1/services/custody", "office_admin"),
    ("post", "/api/v1/services/custody", "agency_user", {"enterprise": "{custody_client}", "enterprise_size": "small", "scope": ["fees"], "starts_on": "2027-01-01", "ends_on": "2027-12-31"}),
    ("post", "/api/v1/services/custody/{custody}/answer", "enterprise_user", {"confirm": True}),
    ("post", "/api/v1/services/custody/{custody}/terminate", "enterprise_user", {"terminated_on": "2026-01-05", "note": "x"}),
    ("get", "/api/v1/services/trainings", "office_admin"),
    ("post", "/api/v1/services/trainings", "office_admin", {"title": "培训", "audience": "public", "held_on": "2026-12-01", "hours": "2", "place": "会议室"}),
    ("get", "/api/v1/services/trainings/{training}", "office_admin"),
    ("get", "/api/v1/services/trainings/{training}/attendees", "office_admin"),
    ("post", "/api/v1/services/trainings/{training}/sign-in", "office_admin", {"token": "{training_token}", "name": "张三", "organization_name": "某公司", "phone": "13800000009"}),
    ("post", "/api/v1/services/trainings/{training}/attendees/import", "office_admin", upload(file=("r.csv", "姓名,单位,手机号\n李四,某公司,13900000001".encode()))),
    ("post", "/api/v1/services/trainings/{training}/close", "office_admin", {}),
    ("get", "/api/v1/services/trainings/audiences", "office_admin"),
    ("put", "/api/v1/services/trainings/audiences", "office_admin", {"counted": ["officers", "civil_servants"], "reason": "方案所称相关人员"}),
    ("post", "/api/v1/services/trainings/{training}/registrations", "enterprise_user", {"phone": "13800000010"}),
    ("get", "/api/v1/services/trainings/{training}/registrations", "office_admin"),
    ("get", "/api/v1/services/trainings/{training}/registrations.xlsx", "office_admin"),
    ("post", "/api/v1/services/trainings/{training}/registrations/{training_registration}/steps", "unit_staff", {"action": "attend"}),
    ("get", "/api/v1/services/training-registrations", "enterprise_user"),
    ("get", "/api/v1/services/policies", "office_admin"),
    ("get", "/api/v1/services/policies/figures", "office_admin"),
    ("post", "/api/v1/services/policies", "office_admin", {"level": "district", "issuer": "南开区科学技术局", "document_number": "南开科规〔2025〕8号", "title": "资助办法", "summary": "资助", "issued_on": "2025-03-01", "effective_from": "2025-03-15", "responsible_unit": "science_technology", "task_numbers": [11], "measures": [{"kind": "subsidy", "name": "专利授权资助", "standard": "每件3000元", "cap": "3000"}]}),
    ("get", "/api/v1/services/policies/{policy}", "office_admin"),
    ("put", "/api/v1/services/policies/{policy}", "office_admin", {"level": "district", "issuer": "南开区科学技术局", "document_number": "南开科规〔2025〕9号", "title": "资助办法", "summary": "资助", "issued_on": "2025-03-01", "effective_from": "2025-03-15", "responsible_unit": "science_technology", "task_numbers": [11], "measures": [{"kind": "subsidy", "name": "专利授权资助", "standard": "每件3000元", "cap": "3000"}, {"kind": "subsidy", "name": "专利导航资助", "standard": "最高20万元", "cap": "200000"}]}),
    ("post", "/api/v1/services/policies/{policy}/awards/import", "unit_staff", upload(file=("a.csv", "措施,企业名称,兑现金额（元）,兑现日期\n专利授权资助,测试企业有限公司,1000,2026-11-01".encode()))),
    ("get", "/api/v1/services/policy-applications", "office_admin"),
    ("post", "/api/v1/services/policy-applications", "enterprise_user", {"measure": "{policy_measure}", "amount_requested": "1000", "description": "导航项目"}),
    ("get", "/api/v1/services/policy-applications/{policy_application}", "office_admin"),
    ("post", "/api/v1/services/policy-applications/{policy_application}/steps", "unit_staff", {"action": "approve", "amount_granted": "1000"}),
    ("get", "/api/v1/services/policy-awards", "office_admin"),
    ("post", "/api/v1/protection/conflicts", "enforcement_officer", {"organization": "{other_org}", "reason": "亲属"}),
    ("get", "/api/v1/operations/navigation", "office_admin"),
    ("get", "/api/v1/operations/events", "office_admin"),
    ("post", "/api/v1/operations/events", "office_admin", {"title": "对接会", "held_on": "2026-10-20", "organizer": "{own_org}", "attendees": ["{other_org}"]}),
    ("get", "/api/v1/operations/alliance", "office_admin"),
    ("get", "/api/v1/operations/centers", "office_admin"),
    ("get", "/api/v1/operations/clusters", "office_admin"),
    ("post", "/api/v1/operations/clusters", "office_admin", {"name": "新能源产业链专利集群", "industry": "新能源", "enterprises": ["{custody_client}"], "ipc_prefixes": ["H01M"], "established_on": "2026-01-05", "layout_notes": "布局"}),
    ("get", "/api/v1/operations/clusters/{cluster}", "office_admin"),
    ("get", "/api/v1/operations/industry-education-agreements", "office_admin"),
    ("post", "/api/v1/operations/industry-education-agreements", "office_admin", {"university": "{university_org}", "enterprise": "{custody_client}", "subject": "共建联合实验室", "signed_on": "2026-01-05", "term_until": "2028-12-31", "cluster": "{cluster}"}),
    ("post", "/api/v1/operations/centers", "office_admin", {"name": "天开园新一代信息技术产业知识产权运营中心", "authority": "天津市知识产权局", "recognized_on": "2025-06-30"}),
    ("post", "/api/v1/operations/alliance", "office_admin", {"organization": "{other_org}", "joined_on": "2026-01-10"}),
    ("post", "/api/v1/operations/alliance/{alliance_member}/leave", "office_admin", {"left_on": "2026-10-10"}),
    ("get", "/api/v1/operations/products", "office_admin"),
    ("get", "/api/v1/operations/brands/holders", "office_admin"),
    ("get", "/api/v1/operations/brands/geographical-indications", "office_admin"),
    ("get", "/api/v1/operations/watch-list", "office_admin"),
    ("post", "/api/v1/operations/watch-list", "office_admin", {"organization": "{other_org}", "reason": "重点", "added_on": "2026-01-10"}),
    ("post", "/api/v1/operations/watch-list/{watch}/remove", "office_admin", {"removed_on": "2026-10-10"}),
    ("get", "/api/v1/operations/financing", "office_admin"),
    ("post", "/api/v1/operations/financing", "enterprise_user", {"bank": "{tech}", "amount_requested": 100, "purpose": "研发"}),
    ("post", "/api/v1/operations/financing/{financing}/steps", "finance_user", {"action": "accept"}),
    ("get", "/api/v1/operations/claims", "office_admin"),
    ("post", "/api/v1/operations/claims", "enterprise_user", {"policy_number": "BD1", "amount_claimed": 1, "reason": "维权"}),
    ("post", "/api/v1/operations/claims/{claim}/decision", "finance_user", {"pay": True, "amount_paid": 100}),
    ("post", "/api/v1/operations/products", "university_user", {"name": "模组", "patent_numbers": ["{offered_patent}"], "recorded_on": "2026-10-01"}),
    ("post", "/api/v1/operations/navigation", "office_admin", {"kind": "industry_planning", "title": "导航", "undertaker": "{tech}", "industry": "新能源", "started_on": "2026-01-05", "scope_ipc": "H01M"}),
    ("post", "/api/v1/operations/navigation/{navigation}/complete", "office_admin", {"completed_on": "2026-10-30"}),
    ("get", "/api/v1/operations/navigation/{navigation}/landscape", "office_admin"),
    ("get", "/api/v1/operations/navigation/{navigation}/report.docx", "office_admin"),
    ("get", "/api/v1/operations/portfolios", "office_admin"),
    ("post", "/api/v1/operations/portfolios", "university_user", {"name": "组合", "industry": "新能源", "patent_numbers": ["{unpooled_patent}"], "milestones": []}),
    ("post", "/api/v1/operations/portfolios/{portfolio}/milestones/0", "university_user", {"done_on": "2026-10-01"}),
    ("post", "/api/v1/operations/portfolios/{portfolio}/establish", "office_admin", {"established_on": "2026-10-30"}),
    ("get", "/api/v1/evidence/notarizations", "enterprise_user"),
    ("post", "/api/v1/evidence/notarizations/{notarization}/transitions", "notary_user", {"action": "accept"}),
    ("get", "/api/v1/supervision/items/{item}/report-standings", "office_admin"),
    ("get", "/api/v1/supervision/dashboard", "office_admin"),
    ("get", "/api/v1/supervision/settings", "office_admin"),
    ("put", "/api/v1/supervision/settings", "office_admin", {"report_frequency": "quarterly", "report_due_days": 10, "reminder_days": 7}),
    ("get", "/api/v1/supervision/meetings", "office_admin"),
    ("post", "/api/v1/supervision/meetings", "office_admin", {"title": "专题会", "held_on": "2026-10-30", "chaired_by": "区长", "summary": "研究", "decisions": [{"text": "开展导航"}]}),
    ("get", "/api/v1/supervision/meetings/{meeting}", "office_admin"),
    ("get", "/api/v1/records/meeting/{meeting}/files", "office_admin"),
    ("post", "/api/v1/records/meeting/{meeting}/files", "office_admin", upload(files=("纪要.pdf", b"%PDF-1.4 bad input"))),
    ("get", "/api/v1/files/{attachment}", "office_admin"),
    ("get", "/api/v1/supervision/evidence-package?year=2026", "office_admin"),
    ("post", "/api/v1/supervision/meetings/{meeting}/decisions/1/work-item", "office_admin", {}),
    ("get", "/api/v1/supervision/interviews", "office_admin"),
    ("post", "/api/v1/supervision/interviews", "office_admin", {"unit": "science_technology", "year": 2026, "held_on": "2026-10-30", "interviewer": "主任", "interviewees": "副局长", "reason": "得分低", "content": "分析", "requirements": "整改", "rectification_deadline": "2026-12-01"}),
    ("get", "/api/v1/supervision/interviews/{interview}", "office_admin"),
    ("post", "/api/v1/supervision/interviews/{interview}/rectification", "unit_staff", {"text": "已整改"}),
    ("post", "/api/v1/supervision/interviews/{reported_interview}/decision", "office_admin", {"accept": True}),]


_SPEC: dict = {}


def openapi() -> dict:
    if not _SPEC:
        from ipcity.api import api

        _SPEC.update(api.get_openapi_schema())
    return _SPEC


def _deref(schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _kind(schema: dict) -> str:
    schema = _deref(schema)
    options = [_deref(s) for s in schema.get("anyOf", schema.get("oneOf", [schema]))]
    options = [o for o in options if o.get("type") != "null"] or [schema]
    types = {o.get("type") for o in options}
    formats = {o.get("format") for o in options}
    if any("enum" in o or "const" in o for o in options):
        return "choice"
    if "integer" in types:
        return "integer"
    if "number" in types:
        return "number"
    if "date" in formats:
        return "date"
    if "date-time" in formats:
        return "datetime"
    if "binary" in formats:
        return "file"
    if "boolean" in types:
        return "boolean"
    if "array" in types:
        return "array:" + _kind(next(o for o in options if o.get("type") == "array").get("items", {}))
    if "object" in types or "properties" in schema:
        return "object"
    return "text"


def _minimum(schema: dict):
    schema = _deref(schema)
    found = [s.get("minimum") for s in [schema, *schema.get("anyOf", [])] if s.get("minimum") is not None]
    return min(found) if found else None


def _text_bad(key: str) -> list[str]:
    """One of the bad texts, chosen by the field: every field is tried, every kind of bad text is tried somewhere,
    and the table stays fast."""
    return [TEXT_BAD[zlib.crc32(key.encode()) % len(TEXT_BAD)]]


def _json_bad(kind: str, is_id: bool, negative_allowed: bool = False, key: str = "") -> list:
    minus = [] if negative_allowed else [-1]
    if kind == "integer":
        return ["abc", 1e30, *minus, "NaN", *([999999, int(HUGE_ID)] if is_id else [])]
    if kind == "number":
        return ["abc", "NaN", "1e30", *minus]
    if kind == "date":
        return list(DATE_BAD)
    if kind == "datetime":
        return ["0001-01-01T00:00:00", "abc"]
    if kind == "text":
        return _text_bad(key)
    if kind in ("choice", "boolean", "object"):
        return ["abc\x01"]
    if kind.startswith("array:"):
        return [[value] for value in _json_bad(kind.removeprefix("array:"), is_id, key=key)[:3]]
    return []


def _query_bad(kind: str, key: str) -> list[str]:
    return {"integer": ["abc", "-1", "1e30", HUGE_ID], "number": list(NUMBER_BAD), "date": list(DATE_BAD),
            "datetime": ["0001-01-01T00:00:00", "abc"], "text": _text_bad(key)}.get(kind, ["abc\x01"])


def _path_bad(kind: str) -> list[str]:
    return ["abc", "999999", "-1", HUGE_ID] if kind == "integer" else ["不存在", "名称\x01"]


def _template_regex(template: str) -> re.Pattern:
    parts = re.split(r"(\{\w+\})", template)
    return re.compile("".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts) + "$")


def api_operation(method: str, path: str) -> tuple[str, dict]:
    """The OpenAPI template and operation a concrete path is an instance of (literal segments win)."""
    matches = [(template.count("{"), template, item[method]) for template, item in openapi()["paths"].items()
               if method in item and _template_regex(template).match(path.split("?")[0])]
    assert matches, f"no API operation {method.upper()} {path}"
    _, template, operation = min(matches, key=lambda m: m[0])
    return template, operation


def _api_cases(method, row_path, row_body, path):
    """(label, path, body) for every bad value of every parameter of the operation."""
    template, operation = api_operation(method, path)
    base, _, query = path.partition("?")
    base_query = dict(urllib.parse.parse_qsl(query))
    match = _template_regex(template).match(base)
    raw_body = row_body if isinstance(row_body, dict) else {}
    cases = []
    for param in operation.get("parameters", []):
        kind, name = _kind(param["schema"]), param["name"]
        if param["in"] == "path":
            start, end = match.span(name)
            for bad in _path_bad(kind):
                cases.append((f"path {name}={bad[:12]!r}", base[:start] + urllib.parse.quote(bad) + base[end:],
                              base_query, None))
        elif param["in"] == "query":
            for bad in _query_bad(kind, template + name):
                cases.append((f"query {name}={bad[:12]!r}", base, {**base_query, name: bad}, None))
    content = operation.get("requestBody", {}).get("content", {})
    for media, body in content.items():
        schema = _deref(body["schema"])
        for name, prop in schema.get("properties", {}).items():
            kind = _kind(prop)
            if media != "application/json" and kind in ("file", "array:file"):
                continue
            is_id = bool(re.fullmatch(r"\{\w+\}", str(raw_body.get(name, ""))))
            negative_allowed = (_minimum(prop) or 0) < 0  # a value that may fall (an indicator's change)
            key = template + name
            values = _json_bad(kind, is_id, negative_allowed, key) if media == "application/json" else \
                [str(v) for v in _json_bad(kind if kind != "object" else "text", is_id, key=key)
                 if not isinstance(v, list)]
            for bad in values:
                cases.append((f"body {name}={str(bad)[:12]!r}", base, base_query, (name, bad)))
    return cases


def _api_send(client, method, path, query, body, change):
    url = path + ("?" + urllib.parse.urlencode(query) if query else "")
    if method == "get":
        return client.get(url)
    if isinstance(body, upload):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = {k: (SimpleUploadedFile(*v) if isinstance(v, tuple) else v) for k, v in body.items()}
        if change:
            data[change[0]] = change[1]
        return client.post(url, data)
    payload = body if isinstance(body, str) else dict(body or {})
    if change:
        payload = {**payload, change[0]: change[1]} if isinstance(payload, dict) else payload
    return getattr(client, method)(url, payload if isinstance(payload, str) else json.dumps(payload),
                                   content_type="application/json")


def _api_body(body, ids, own_org):
    if body == NEXT_VERSION:
        from tests.helpers import next_version_plan

        return json.loads(next_version_plan())
    if isinstance(body, upload):
        return upload({k: _fill(v, ids, own_org) if isinstance(v, str) else v for k, v in body.items()})
    if isinstance(body, dict):
        guides = {GUIDE: _guide, "NEW_GUIDE": lambda: _guide(decide_days=12)}
        return {k: (guides[v]() if isinstance(v, str) and v in guides else _fill(v, ids, own_org))
                for k, v in body.items()}
    return body


@pytest.mark.parametrize(("method", "path", "persona", "body"),
                         [pytest.param(*row[:3], row[3] if len(row) > 3 else None, id=f"{row[0]} {row[1]}")
                          for row in API])
def test_no_api_operation_fails_or_writes_on_malformed_input(client_for, people, ids, method, path, persona, body):
    own_org = people[persona or "office_admin"].organization_id
    client = client_for(persona)
    concrete = _fill(path, ids, own_org)
    payload = _api_body(body, ids, own_org)
    before = fingerprint()
    failures = []
    for label, case_path, query, change in _api_cases(method, path, body, concrete):
        try:
            response = _api_send(client, method, case_path, query, payload, change)
        except Exception as exc:  # the test client re-raises what would have been a 500
            failures.append(f"{label}: 500 {type(exc).__name__}: {str(exc)[:160]}")
            continue
        problem = api_refusal(response)
        if problem:
            failures.append(f"{label}: {problem}")
    _report(method, path, failures, _changed(before, fingerprint()))


# A row's own body is accepted (so a bad value in it is refused for being bad, not because the body already was),
# except where the world's record is in a state that refuses the operation whatever is sent:
BODY_REFUSED_AS_IS = {
    ("post", "/api/v1/services/agencies/{agency}/rating"): "the enterprise never had that agency's custody service",
    ("post", "/api/v1/operations/financing"): "the bank persona's organization has no placeholder in the world",
    ("post", "/api/v1/operations/interests/{interest}/deal"): "the interest has not been negotiated yet",
    ("post", "/api/v1/operations/needs/{need}/review"): "the need is already published",
    ("post", "/api/v1/operations/offers"): "the university's one patent is already offered",
    ("post", "/api/v1/operations/offers/import"): "the sheet lacks columns (the import's own refusal is the case)",
    ("post", "/api/v1/supervision/ledger"): "the sheet lacks columns (the import's own refusal is the case)",
    ("post", "/api/v1/operations/portfolios/{portfolio}/establish"): "its milestone is not done",
    ("post", "/api/v1/protection/cases/{case}/receipt"): "the case was not referred",
    ("post", "/api/v1/protection/cases/{case}/referral"): "the case is not investigated yet",
    ("post", "/api/v1/protection/cases/{case}/steps"): "the case is not filed yet",
    ("post", "/api/v1/protection/credit/listings/{listing}/decision"): "no repair was applied for",
    ("post", "/api/v1/protection/inspections/{inspection}/publish"): "the plan is published already",
    ("post", "/api/v1/protection/inspections/{drawn_inspection}/publish-results"): "one drawn subject has no result yet",
    ("post", "/api/v1/protection/trade-secrets/assessments"): "the answers are partial",
    ("post", "/api/v1/services/applications/{service_application}/rating"): "the application is not closed",
    ("post", "/api/v1/services/custody/{custody}/terminate"): "the contract is not confirmed",
    ("post", "/api/v1/supervision/items/{item}/reports"): "the work item is only assigned",
}


def test_each_api_row_sends_a_body_the_operation_accepts(client_for, people, ids):
    from django.db import transaction

    wrong = []
    for row in API:
        method, path, persona = row[:3]
        if method == "get":
            continue
        own_org = people[persona or "office_admin"].organization_id
        with transaction.atomic():
            response = _api_send(client_for(persona), method, _fill(path, ids, own_org), {},
                                 _api_body(row[3] if len(row) > 3 else None, ids, own_org), None)
            transaction.set_rollback(True)
        accepted = response.status_code < 300
        if accepted == ((method, path) in BODY_REFUSED_AS_IS):
            wrong.append(f"{method.upper()} {path}: {response.status_code} {response.content[:120].decode()}")
    assert wrong == [], "\n".join(wrong)


# ---------------------------------------------------------------------------------------------------------------
# Pages: one row per route that accepts POST (the route, who may post to it, values the rendered defaults do not
# supply, and the page its forms are on when that is another). The test reads every POST form the page renders for
# that persona and sends each field's bad values, the other fields holding valid ones.

class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "fields": [],
                          "buttons": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._form["buttons"].append((a["name"], a.get("value", "")))
            elif kind == "radio":  # one field per group: its checked (or first) value, any other value is bad
                group = next((f for f in self._form["fields"] if f["name"] == a["name"]), None)
                if group is None:
                    group = {"name": a["name"], "kind": "select", "value": None, "options": [], "multiple": False}
                    self._form["fields"].append(group)
                group["options"].append(a.get("value", "on"))
                if "checked" in a:
                    group["value"] = a.get("value", "on")
            elif kind == "checkbox":
                if "checked" in a:
                    self._form["fields"].append({"name": a["name"], "kind": "choice", "value": a.get("value", "on")})
            elif kind not in ("button", "reset"):
                self._form["fields"].append({"name": a["name"], "kind": kind, "value": a.get("value", ""),
                                             "min": a.get("min")})
        elif tag == "button" and a.get("name"):
            self._form["buttons"].append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "kind": "textarea", "value": ""}
            self._form["fields"].append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "kind": "select", "value": None, "options": [],
                            "multiple": "multiple" in a}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["options"].append(value)
            if "selected" in a and self._select["value"] is None:
                self._select["value"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


DISCRIMINATORS = {"form", "action"}
NUMBER_NAME = re.compile(r"amount|fine$|rating|participants|score|value$|year$|_days$|staff$|attorneys|capacity|"
                         r"budget|sales|target$|weight|quota|index$|threshold")
SAMPLE_DAY = "2026-10-15"


def _default(field) -> str | list | None:
    kind, value = field["kind"], field.get("value")
    if kind == "select":
        options = [o for o in field["options"] if o != ""]
        chosen = value if value not in (None, "") else (options[0] if options else "")
        return [chosen] if field["multiple"] else chosen
    if value not in (None, ""):
        return value.strip() if kind == "textarea" else value
    if kind == "date":
        return SAMPLE_DAY
    if kind == "number" or NUMBER_NAME.search(field["name"]):
        return "1"
    if kind == "password":
        return "Str0ng!Passw0rd"
    if kind == "email":
        return "someone@example.com"
    if kind == "url":
        return "https://example.com/live"
    if kind == "file":
        return None
    return "测试内容"


def _field_bad(field, key: str) -> list:
    kind, name = field["kind"], field["name"]
    if kind == "file":
        return []
    if kind == "date":
        return list(DATE_BAD)
    if kind == "select":
        options = [o for o in field["options"] if o != ""]
        bad = list(ID_BAD) if options and all(o.isdigit() for o in options) else ["abc"]
        if "" in field["options"]:  # optional: an empty choice is a valid one
            bad = [b for b in bad if b != ""]
        return [[b] for b in bad] if field["multiple"] else bad
    if kind == "hidden" and (field.get("value") or "").isdigit():
        return list(ID_BAD)
    numeric = kind == "number" or NUMBER_NAME.search(name) and kind in ("text", "hidden")
    negative_allowed = field.get("min") not in (None, "") and float(field["min"]) < 0
    numbers = [v for v in NUMBER_BAD if not (v == "-1" and negative_allowed)] if numeric else []
    return [*numbers, *(_text_bad(key) if kind != "number" else ())]


def _resolve_action(page: str, action: str) -> str:
    return urllib.parse.urlsplit(urllib.parse.urljoin(page, action)).path


def page_forms(client, page: str, target: str) -> list[dict]:
    """The POST forms on `page` that submit to `target`, one per distinct shape (per-record copies collapse)."""
    response = client.get(page)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    reader = _FormReader()
    reader.feed(response.content.decode())
    shapes, forms = set(), []
    for form in reader.forms:
        if form["method"] != "post" or _resolve_action(page, form["action"]) != target:
            continue
        for button in form["buttons"] or [None]:
            variant = {**form, "button": button}
            discriminators = tuple(sorted((f["name"], f["value"]) for f in form["fields"]
                                          if f["name"] in DISCRIMINATORS))
            shape = (tuple(sorted(f["name"] for f in form["fields"])), discriminators, button)
            if shape not in shapes:
                shapes.add(shape)
                forms.append(variant)
    return forms


def _form_body(form, overrides) -> dict:
    body = {}
    for field in form["fields"]:
        if field["name"] == "csrfmiddlewaretoken":
            continue
        value = _default(field)
        if value is not None:
            body[field["name"]] = value
    if form["button"] is not None:
        body[form["button"][0]] = form["button"][1]
    body.update({k: v for k, v in overrides.items() if k in body or not any(f["name"] == k for f in form["fields"])})
    return body


def _post(client, path, body):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(path, {k: (SimpleUploadedFile(*v) if isinstance(v, tuple) else v) for k, v in body.items()})


def _page_cases(form, body, path):
    """(label, changed body, strict) for every bad value of every field; a form's discriminator is sent as "abc"
    only to see that nothing fails or is written (an unknown form may simply show the page again)."""
    cases = []
    for field in form["fields"]:
        name = field["name"]
        if name == "csrfmiddlewaretoken":
            continue
        if name in DISCRIMINATORS:
            cases.append((f"{name}='abc'", {**body, name: "abc"}, False))
            continue
        for bad in _field_bad(field, path + name):
            cases.append((f"{name}={str(bad)[:12]!r}", {**body, name: bad}, True))
    if form["button"] is not None:
        name = form["button"][0]
        cases.append((f"{name}='abc'", {**body, name: "abc"}, name not in DISCRIMINATORS))
    return cases


def _row(path, persona, overrides=None, page=None):
    return pytest.param(path, persona, overrides or {}, page or path, id=f"{path} as {persona or 'anonymous'}")


POPULATION_FILE = ("pop.csv", POPULATION_CSV)
# Forms whose only inputs are a button or a file (a file's name is cleaned by Django, its size and content are the
# upload and spreadsheet limits' tests): they are still posted with an unknown action, which must not fail.
NOTHING_TO_TYPE = {"/logout/", "/orgs/{other_org}/members/other_member/", "/supervision/ledger/", "/evidence/verify/",
                   "/operations/offers/import/", "/operations/offers/{offer}/", "/protection/inspections/{inspection}/",
                   "/services/trainings/{training}/", "/files/attach/meeting/{meeting}/",
                   "/plan/satisfaction/{survey}/"}
PAGES = [
    _row("/login/", None),
    _row("/logout/", "office_admin", page="/"),
    _row("/account/", "enterprise_user"),
    _row("/orgs/new/", "office_admin"),
    _row("/orgs/{other_org}/edit/", "office_admin"),
    _row("/orgs/{other_org}/members/", "office_admin", page="/orgs/{other_org}/"),
    _row("/orgs/{other_org}/members/other_member/", "office_admin", page="/orgs/{other_org}/"),
    _row("/registries/", "office_admin", {"kind": "population", "file": POPULATION_FILE}),
    _row("/registries/coverage/", "office_admin", {"kind": "activity:market_national"}),
    _row("/plan/indicators/valid_patents/", "office_admin"),
    _row("/indicators/by-year/", "office_admin"),
    _row("/plan/indicators/navigation_projects_industry_planning/", "unit_staff"),
    _row("/plan/tasks/1/", "office_admin"),
    _row("/plan/satisfaction/", "office_admin"),
    _row("/plan/satisfaction/{survey}/", "office_admin"),
    _row("/plan/satisfaction/answer/{survey_token}/", None),
    _row("/plan/high-tech/", "office_admin", {"file": ("h.csv", "年度,区,国家高新技术企业数量,来源\n2026,南开区,900,区科技局".encode())}),
    _row("/plan/holidays/", "office_admin", {"file": ("h.csv", "日期,类型,节日\n2026-10-01,放假,国庆节".encode())}),
    _row("/supervision/tasks/2/new/", "office_admin"),
    _row("/supervision/items/{item}/", "unit_staff", {"period": "2026-10"}),
    _row("/supervision/ledger/", "office_admin", {"file": ("ledger.csv", "编号,重点任务编号\n1,2".encode())}),
    _row("/supervision/assessment/", "office_admin"),
    _row("/supervision/fund/", "office_admin", page="/supervision/fund/?year=2026"),
    _row("/supervision/evaluations/", "office_admin", {"year": "2025"}),
    _row("/supervision/evaluations/{evaluation}/", "office_admin"),
    _row("/supervision/settings/", "office_admin"),
    _row("/supervision/meetings/new/", "office_admin"),
    _row("/supervision/meetings/{meeting}/", "office_admin"),
    _row("/files/attach/meeting/{meeting}/", "office_admin", page="/supervision/meetings/{meeting}/"),
    _row("/supervision/interviews/new/", "office_admin"),
    _row("/supervision/interviews/{interview}/", "unit_staff"),
    _row("/supervision/interviews/{reported_interview}/", "office_admin"),
    _row("/evidence/new/copyright_work/", "enterprise_user", {"file": ("map.pdf", b"%PDF-1.4 bad input page")}),
    _row("/evidence/verify/", None, {"bundle": ("b.ipcity-evidence", b"not a bundle")}),
    _row("/evidence/notarizations/", "notary_user"),
    _row("/operations/offers/new/", "university_user", {"patent_number": "202110011111.1"}),
    _row("/operations/offers/import/", "university_user", {"file": ("offers.csv", "申请号,方式\n1,租赁".encode())}),
    _row("/operations/offers/{offer}/", "university_user"),
    _row("/operations/offers/{offer}/", "enterprise_user"),
    _row("/operations/needs/new/", "enterprise_user"),
    _row("/operations/needs/{need}/", "enterprise_user"),
    _row("/operations/interests/", "enterprise_user"),
    _row("/operations/interests/", "university_user"),
    _row("/operations/events/", "office_admin"),
    _row("/operations/finance/", "enterprise_user", {"apply-patents": "202110022222.2", "claim-policy_number": "BD1"}),
    _row("/operations/finance/", "finance_user"),
    _row("/operations/brands/", "office_admin"),
    _row("/operations/alliance/", "office_admin"),
    _row("/operations/centers/", "office_admin"),
    _row("/operations/clusters/", "office_admin", {"ipc_prefixes": "H01M"}),
    _row("/operations/products/", "university_user", {"patent_numbers": "202110011111.1"}),
    _row("/operations/navigation/", "office_admin"),
    _row("/operations/navigation/{navigation}/", "office_admin"),
    _row("/operations/portfolios/", "university_user", {"patent_numbers": "202110011111.1",
                                                        "milestones": "布局规划,2026-12-31"}),
    _row("/operations/portfolios/{portfolio}/", "university_user"),
    _row("/operations/portfolios/{portfolio}/", "office_admin"),
    _row("/protection/", "office_admin"),
    _row("/protection/", "enforcement_officer"),
    _row("/protection/inspections/{inspection}/", "office_admin"),
    _row("/protection/inspections/{drawn_inspection}/results/", "office_admin", {"case": ""}),
    _row("/protection/agency-conduct/", "office_admin"),
    _row("/protection/credit/", "office_admin"),
    _row("/protection/credit/", "enterprise_user"),
    _row("/protection/trade-secrets/", "enterprise_user"),
    _row("/protection/mediations/", "enterprise_user"),
    _row("/protection/cases/", "enforcement_officer"),
    _row("/protection/cases/{case}/", "enforcement_officer"),
    _row("/protection/mediations/{mediation}/", "mediator"),
    _row("/protection/assistance/", "enterprise_user"),
    _row("/protection/assistance/", "office_admin"),
    _row("/protection/markets/", "office_admin"),
    _row("/services/items/new/", "office_admin"),
    _row("/services/items/{service_item}/", "office_admin"),
    _row("/services/items/{service_item}/apply/", "enterprise_user", {"files": ("表.pdf", b"%PDF-1.4 x")}),
    _row("/services/applications/{service_application}/", "unit_staff"),
    _row("/services/applications/{service_application}/", "enterprise_user"),
    _row("/services/agencies/{agency}/", "office_admin"),
    _row("/services/custody/", "agency_user"),
    _row("/services/custody/", "enterprise_user"),
    _row("/services/certifications/", "agency_user"),
    _row("/services/certifications/", "enterprise_user"),
    _row("/services/certifications/", "office_admin"),
    _row("/services/culture/", "office_admin"),
    _row("/services/culture/", "unit_staff"),
    _row("/services/talent/", "office_admin"),
    _row("/services/copyright/", "office_admin"),
    _row("/services/cultural-resources/", "office_admin"),
    _row("/services/cultural-products/", "office_admin"),
    _row("/services/tcm/", "office_admin"),
    _row("/services/experts/", "office_admin"),
    _row("/services/experts/{expert_record}/", "expert"),
    _row("/services/experts/{expert_record}/", "office_admin"),
    _row("/services/trainings/", "unit_staff"),
    _row("/services/trainings/{training}/", "unit_staff"),
    _row("/services/trainings/{training}/", "enterprise_user"),
    _row("/services/trainings/", "office_admin"),
    _row("/services/policies/new/", "office_admin", {"measures": "资助|专利资助|3000|每件3000元"}),
    _row("/services/policies/{policy}/edit/", "office_admin"),
    _row("/services/policies/{policy}/", "enterprise_user", {"measure": "{policy_measure}"}),
    _row("/services/policies/applications/{policy_application}/", "unit_staff"),
    _row("/services/trainings/{training}/sign-in/", None, page="/services/trainings/{training}/sign-in/?t={training_token}"),
]


@pytest.mark.parametrize(("path", "persona", "overrides", "page"), PAGES)
def test_no_page_fails_or_writes_on_malformed_form_input(client_for, people, ids, path, persona, overrides, page):
    own_org = people[persona or "office_admin"].organization_id
    client = client_for(persona)
    target = _fill(path, ids, own_org)
    forms = page_forms(client, _fill(page, ids, own_org), target)
    assert forms, f"{page} shows {persona} no form that posts to {target}"
    cases = []
    for form in forms:
        body = _form_body(form, _fill(overrides, ids, own_org) if overrides else {})
        shape = ",".join(f"{k}={v}" for k, v in body.items() if k in DISCRIMINATORS)
        cases += [(shape, *case) for case in _page_cases(form, body, path)]
    assert any(case[3] for case in cases) or path in NOTHING_TO_TYPE, f"{path}: its forms have no field to try"
    before, written = fingerprint(), []
    failures = []
    # an unknown form name ("form=abc") may fall through to the page's default form and save it: those go last,
    # after the database was compared, and only must not fail
    for shape, label, changed, strict in sorted(cases, key=lambda case: not case[3]):
        if not strict and not written:
            written = _changed(before, fingerprint())
            try:
                response = _post(client, target, changed)
            except Exception as exc:  # the test client re-raises what would have been a 500
                failures.append(f"[{shape}] {label}: 500 {type(exc).__name__}: {str(exc)[:160]}")
                continue
            problem = page_refusal(response) if strict else (
                f"{response.status_code}" if response.status_code >= 500 else None)
            if problem:
                failures.append(f"[{shape}] {label}: {problem}")
    _report("post", path, failures, written if any(not case[3] for case in cases) else _changed(before, fingerprint()))


# ---------------------------------------------------------------------------------------------------------------
# Query parameters of pages: (path, who asks, {parameter: kind}). Dates and record numbers that cannot be read are
# refused with 400 and the reason; free text is held to the same rules as form text; a page number or year that
# cannot be read may fall back to the first page or this year, but never fails.

QUERY_BAD = {"date": DATE_BAD, "index": ("\u00b2", "abc", "-1", HUGE_ID), "version": ("\u00b2", "abc", "-1", HUGE_ID),
             "text": TEXT_BAD, "int": ("abc", "-1", "1e30", "NaN", HUGE_ID), "hint": ("abc", "\u00b2", "-1", HUGE_ID)}
LENIENT = {"int", "hint"}  # kinds a page may ignore (showing its default) instead of refusing
AUDIT_FILTERS = {"q": "text", "action": "text", "actor": "text", "date_from": "date", "date_to": "date"}
QUERIES = [
    ("/", None, {"as_of": "date"}),
    ("/indicators/", None, {"as_of": "date"}),
    ("/indicators/report.xlsx", None, {"as_of": "date"}),
    ("/plan/goals/creation/", None, {"as_of": "date"}),
    ("/plan/indicators/valid_patents/", None, {"as_of": "date"}),
    ("/indicators/valid_patents/records/", None, {"as_of": "date", "by": "text", "group": "text", "format": "text",
                                                  "page": "int"}),
    ("/registries/patents/", "office_admin", {"q": "text", "page": "int"}),
    ("/registries/trademarks/", "office_admin", {"q": "text", "page": "int"}),
    ("/login/", None, {"next": "text"}),
    ("/orgs/", "office_admin", {"type": "text"}),
    ("/audit/", "office_admin", {**AUDIT_FILTERS, "page": "int"}),
    ("/audit/export.xlsx", "office_admin", AUDIT_FILTERS),
    ("/supervision/assessment/", "office_admin", {"year": "int"}),
    ("/supervision/fund/", "office_admin", {"year": "int"}),
    ("/supervision/fund.xlsx", "office_admin", {"year": "int"}),
    ("/supervision/evaluations/{evaluation}/", "office_admin", {"format": "text"}),
    ("/supervision/assessment/bulletin.docx", "office_admin", {"document_number": "text", "year": "int"}),
    ("/supervision/interviews/new/", "office_admin", {"unit": "hint"}),
    ("/evidence/verify/", None, {"i": "index", "h": "text", "n": "text", "r": "text"}),
    ("/operations/navigation/{navigation}/", None, {"format": "text"}),
    ("/protection/inspections/{inspection}/", None, {"format": "text"}),
    ("/protection/credit/", None, {"q": "text"}),
    ("/services/", None, {"q": "text"}),
    ("/services/items/{service_item}/", None, {"version": "version"}),
    ("/services/agencies/", None, {"q": "text", "service": "text", "cluster": "text"}),
    ("/services/experts/", None, {"q": "text", "specialty": "text"}),
    ("/services/policies/", None, {"level": "text", "in_force": "text"}),
    ("/services/trainings/{training}/sign-in/", None, {"t": "text"}),
]


@pytest.mark.parametrize(("path", "persona", "params"), [pytest.param(*row, id=row[0]) for row in QUERIES])
def test_no_page_fails_or_writes_on_a_malformed_query(client_for, people, ids, path, persona, params):
    client = client_for(persona)
    concrete = _fill(path, ids, people[persona or "office_admin"].organization_id)
    before = fingerprint()
    failures = []
    for name, kind in params.items():
        for bad in QUERY_BAD[kind]:
            label = f"{name}={bad[:12]!r}"
            try:
                response = client.get(concrete, {name: bad, **({"i": "0"} if name in "hnr" and "verify" in path else {})})
            except Exception as exc:  # the test client re-raises what would have been a 500
                failures.append(f"{label}: 500 {type(exc).__name__}: {str(exc)[:160]}")
                continue
            problem = (f"{response.status_code}" if response.status_code >= 500 else None) if kind in LENIENT \
                else page_refusal(response)
            if problem:
                failures.append(f"{label}: {problem}")
    _report("get", path, failures, _changed(before, fingerprint()))


# ---------------------------------------------------------------------------------------------------------------
# The reproductions from the server log (issue 12, finding 13), each as the user met it.

def test_a_qr_code_link_with_a_superscript_two_is_refused_rather_than_failing(client, db):
    response = client.get("/evidence/verify/?i=%C2%B2")
    assert response.status_code == 400 and "序号无效" in response.content.decode()


def test_the_dashboard_as_of_year_one_is_refused_rather_than_failing(client, world):  # noqa: F811
    for bad in ("0001-01-01", "2026-13-45"):
        response = client.get(f"/indicators/?as_of={bad}")
        assert response.status_code == 400 and "日期" in response.content.decode()


@pytest.mark.parametrize(("persona", "path", "body"), [
    ("enterprise_user", "/operations/interests/", {"pk": "abc", "action": "meet"}),
    ("finance_user", "/operations/finance/", {"form": "step", "pk": "abc", "action": "accept"}),
    ("finance_user", "/operations/finance/", {"form": "step", "pk": "999", "action": "accept"}),
    ("finance_user", "/operations/finance/", {"form": "decide", "pk": "abc", "pay": "1"}),
    ("finance_user", "/operations/finance/", {"form": "decide", "pk": "999", "pay": "1"}),
    ("university_user", "/operations/portfolios/{portfolio}/", {"index": "abc", "done_on": "2026-10-01"}),
    ("enterprise_user", "/operations/needs/{need}/", {"form": "interest", "offer": "abc"}),
    ("enterprise_user", "/account/", {"form": "revoke", "token_id": "abc"}),
    ("notary_user", "/evidence/notarizations/", {"pk": "abc", "action": "accept"}),
])
def test_a_malformed_or_missing_id_in_a_form_is_refused_in_chinese_and_writes_nothing(client_for, people, ids, persona,
                                                                                      path, body):
    client = client_for(persona)
    before = fingerprint()
    response = client.post(_fill(path, ids, 0), _fill(body, ids, 0))
    assert page_refusal(response) is None, page_refusal(response)
    assert _changed(before, fingerprint()) == []


def test_a_bank_approving_nan_ten_thousand_yuan_is_refused_and_the_application_stays_as_it_was(client_for, ids):
    bank = client_for("finance_user")
    accepted = bank.post("/operations/finance/", {"form": "step", "pk": ids["financing"], "action": "accept"})
    assert accepted.status_code == 302
    before = fingerprint()
    for amount in ("NaN", "1e30", "abc", "-1"):
        response = bank.post("/operations/finance/", {"form": "step", "pk": ids["financing"], "action": "approve",
                                                      "approved_amount": amount})
        assert page_refusal(response) is None, (amount, page_refusal(response))
    assert _changed(before, fingerprint()) == []


def test_the_report_command_refuses_year_one_as_the_pages_do(world, db, tmp_path, capsys):  # noqa: F811
    from ipcity.cli import main as ipcity_main

    out = tmp_path / "r.xlsx"
    assert ipcity_main(["report", "indicators", "--format", "xlsx", "--out", str(out), "--as-of", "0001-01-01"]) == 2
    assert "不在 1900-01-01 至 2100-12-31 之间" in capsys.readouterr().err and not out.exists()


def test_a_long_report_section_is_kept_whole_and_one_character_more_is_refused_not_cut(client_for, ids):
    from ipcity.inputs import TEXT_MAX
    from ipcity.plan.models import EvaluationReport

    office = client_for("office_admin")
    path = f"/api/v1/supervision/evaluations/{ids['evaluation']}"
    kept = office.patch(path, json.dumps({"highlights": "亮" * TEXT_MAX}), content_type="application/json")
    assert kept.status_code == 200 and EvaluationReport.objects.get(pk=ids["evaluation"]).highlights == "亮" * TEXT_MAX
    refused = office.patch(path, json.dumps({"highlights": "多" * (TEXT_MAX + 1)}), content_type="application/json")
    assert refused.status_code == 422 and f"超过 {TEXT_MAX} 字的上限" in refused.json()["detail"][0]
    assert EvaluationReport.objects.get(pk=ids["evaluation"]).highlights == "亮" * TEXT_MAX


def test_a_spreadsheet_row_with_a_control_character_is_refused_with_its_row_and_column(client_for):
    """Imports are input too: the same rule refuses the cell, names its row and column, and imports nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    university = client_for("university_user")
    sheet = "申请号,方式,价格条件,技术领域,成熟度\n202110011111.1,普通许可,面议\x0b可谈,新能源,中试\n".encode()
    before = fingerprint()
    page = university.post("/operations/offers/import/", {"file": SimpleUploadedFile("offers.csv", sheet)})
    assert page.status_code == 200
    assert "第2行“价格条件”列" in page.content.decode() and "控制字符（U+000B）" in page.content.decode()
    assert _changed(before, fingerprint()) == []


# ---------------------------------------------------------------------------------------------------------------
# Completeness: a new route, operation or query parameter without a row fails here.

def test_every_page_route_that_takes_post_has_a_row(people, ids):
    def route(path):
        return resolve(_fill(path, ids, people["office_admin"].organization_id).split("?")[0]).route

    takes_post = {route(path) for method, path, _body, _expected in PERMISSION_PAGES if method == "post"}
    covered = {route(row.values[0]) for row in PAGES}
    assert takes_post - covered == set(), "no bad-input row for POST " + ", ".join(sorted(takes_post - covered))


def test_every_api_operation_has_a_row(people, ids):
    operations = {(method, template) for template, item in openapi()["paths"].items() for method in item}
    covered = {(row[0], api_operation(row[0], _fill(row[1], ids, 1))[0]) for row in API}
    missing = operations - covered
    assert not missing, "no bad-input row for " + ", ".join(f"{m.upper()} {p}" for m, p in sorted(missing))


GET_READS = re.compile(r'request\.GET(?:\.get\(|\[)"(\w+)"|\bg\.get\("(\w+)"|params(?:\.get\(|\[)"(\w+)"|'
                       r'query_(?:day|int)\(request, "(\w+)"')
HELPERS = {"as_of_param(": "as_of", "_as_of(": "as_of", "_year(request": "year"}


def test_every_query_parameter_a_page_reads_has_a_row():
    """Every name a view module reads from the query string (directly or through the shared helpers) is tried."""
    from pathlib import Path

    import ipcity

    read = set()
    for module in Path(ipcity.__file__).parent.rglob("*views*.py"):
        text = module.read_text(encoding="utf-8")
        read |= {next(g for g in match if g) for match in GET_READS.findall(text)}
        read |= {name for call, name in HELPERS.items() if call in text}
    covered = {name for _path, _persona, params in QUERIES for name in params}
    assert read - covered == set(), "no bad-input row for the query parameter(s) " + ", ".join(sorted(read - covered))


def test_no_view_reads_an_id_or_a_date_from_a_request_by_hand():
    """The class stays closed: ids go through object_or_404 (ipcity.inputs), dates through parse_day or query_day;
    nobody copies the lookup that answered "abc" with a server error."""
    from pathlib import Path

    import ipcity

    by_hand = re.compile(r"get_object_or_404|(?<!\w)int\(request\.|(?<!\w)int\(params|fromisoformat\(request\.|"
                         r"^(?!.*isascii).*\.isdigit\(\)|"  # "²".isdigit() is True, int("²") fails
                         r"\.filter\(pk=\w+\)\.first\(\)\n\s+if \w+ is None:\n\s+raise Http404", re.M)
    found = []
    source = Path(ipcity.__file__).parent
    for module in source.rglob("*.py"):
        # an API module (api.py, by_year_api.py) or a topic module of an API package (operations/api/finance.py)
        api = any(name == "api" or name.endswith("_api") for name in (module.stem, module.parent.name))
        if "views" in module.name or module.name == "selectors.py" or api:
            text = module.read_text(encoding="utf-8")
            found += [f"{module.relative_to(source)}: {m.group()[:40]!r}" for m in by_hand.finditer(text)]
    assert found == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-json", ""])
def test_a_json_body_sent_under_another_content_type_is_held_to_the_same_text_rules(client_for, ids, content_type):
    """The API reads any body that is not a form as JSON, so declaring another type must not slip a control
    character or an over-long text past the guard."""
    from ipcity.inputs import TEXT_MAX

    office = client_for("office_admin")
    path = f"/api/v1/supervision/evaluations/{ids['evaluation']}"
    before = fingerprint()
    for text in ("控制\x0b字符", "多" * (TEXT_MAX + 1)):
        refused = office.generic("PATCH", path, json.dumps({"highlights": text}), content_type=content_type)
        assert refused.status_code == 422, refused.content[:300]
    assert _changed(before, fingerprint()) == []

