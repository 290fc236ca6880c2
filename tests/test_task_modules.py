"""Each key task shows the modules that carry its work, with their records counted year by year by each record's
own date: on the task page, in the API, and through task_modules() for the final report."""

import datetime as dt
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ipcity import clock
from ipcity.accounts.models import Organization
from ipcity.plan.task_modules import MODULES, TASK_MODULES, task_modules
from ipcity.protection.assistance import assistance_request, cooperation_record
from ipcity.protection.mediation import mediation_apply, mediation_step
from ipcity.stats.models import Trademark


def _cooperation(people, day, kind="regional"):
    with clock.on_day(day):
        units = list(Organization.objects.filter(code__in=["market_supervision", "public_security"]))
        cooperation_record(actor=people["office_admin"], kind=kind, title=f"京津冀协作{day}", partners="北京市、河北省",
                           started_on=day, units=units)


def _mediation(people, day, outcome="agree"):
    with clock.on_day(day):
        case = mediation_apply(actor=people["enterprise_user"], channel="people",
                               body=people["mediator"].organization, respondent="某店铺", right_type="trademark",
                               claim="销售假冒注册商标的商品")
        mediator = people["mediator"]
        case = mediation_step(actor=mediator, case=case, action="accept", mediator=mediator)
        case = mediation_step(actor=mediator, case=case, action="session", text="双方陈述")
        return mediation_step(actor=mediator, case=case, action=outcome, text="调解结果")


def _assistance(people, local_moment: dt.datetime):
    with clock.frozen_at(timezone.make_aware(local_moment)):
        assistance_request(actor=people["enterprise_user"], topic="展会被诉", description="收到警告函")


def _task8_world(people):
    for day in (dt.date(2024, 5, 10), dt.date(2025, 3, 1), dt.date(2025, 9, 1)):
        _cooperation(people, day)
    _cooperation(people, dt.date(2025, 4, 1), kind="joint_operation")  # a joint operation is not 京津冀 work
    _mediation(people, dt.date(2025, 6, 2))
    _mediation(people, dt.date(2025, 7, 2), outcome="fail")  # a failed mediation is no success
    _mediation(people, dt.date(2026, 3, 3))
    _assistance(people, dt.datetime(2025, 12, 31, 23, 30))  # Beijing time: still 2025
    _assistance(people, dt.datetime(2026, 1, 1, 0, 30))  # Beijing time: 2026, although UTC says 2025


def _row_counts(html: str, label: str) -> list[int]:
    row = re.search(r'<tr data-module="' + re.escape(label) + r'">(.*?)</tr>', html, re.S)
    assert row, f"the task page has no row for {label}"
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row.group(1))]


# ---- the task page and its API route ----

def test_the_task_page_shows_mediation_and_beijing_tianjin_hebei_cooperation_by_year(client_for, people):
    _task8_world(people)
    html = client_for(None).get("/plan/tasks/8/").content.decode()
    assert "承载模块" in html and "2024年" in html and "2026年" in html
    assert _row_counts(html, "京津冀知识产权协同保护协作") == [1, 2, 0]
    assert _row_counts(html, "知识产权纠纷调解（成功）") == [0, 1, 1]
    assert _row_counts(html, "维权援助（含海外纠纷应对指导）") == [0, 1, 1]
    assert 'href="/protection/mediations/"' in html and 'href="/protection/markets/"' in html


def test_the_api_gives_the_same_counts_for_each_pilot_year(client_for, people):
    _task8_world(people)
    modules = client_for(None).get("/api/v1/plan/tasks/8/modules").json()
    by_label = {m["label"]: m for m in modules}
    assert by_label["京津冀知识产权协同保护协作"]["counts"] == [
        {"year": 2024, "count": 1}, {"year": 2025, "count": 2}, {"year": 2026, "count": 0}]
    assert by_label["知识产权纠纷调解（成功）"]["unit_label"] == "件"
    assert by_label["知识产权纠纷调解（成功）"]["url"] == "/protection/mediations/"


def test_a_task_number_that_does_not_exist_or_is_not_a_number_is_refused_in_chinese(client_for, people):
    client = client_for(None)
    missing = client.get("/api/v1/plan/tasks/99/modules")
    assert missing.status_code == 404 and "没有这个重点任务" in json.dumps(missing.json(), ensure_ascii=False)
    garbage = client.get("/api/v1/plan/tasks/abc/modules")
    assert garbage.status_code == 422 and "任务序号" in json.dumps(garbage.json(), ensure_ascii=False)
    assert client.get("/plan/tasks/99/").status_code == 404


def test_brand_work_counts_only_the_districts_own_trademarks_by_registration_year(client_for, people, plan):
    for number, district, day in (("T1", plan.region, dt.date(2025, 3, 1)), ("T2", plan.region, dt.date(2026, 5, 1)),
                                  ("T3", "天津市和平区", dt.date(2025, 3, 1)), ("T4", plan.region, None)):
        Trademark.objects.create(registration_number=number, name=number, owner_district=district,
                                 registration_date=day)
    modules = {m["label"]: m for m in client_for(None).get("/api/v1/plan/tasks/4/modules").json()}
    trademarks = modules["商标注册（本区企业新注册）"]
    assert [c["count"] for c in trademarks["counts"]] == [0, 1, 1]
    assert trademarks["url"] == "/registries/trademarks/"


# ---- every task has modules ----

def test_every_key_task_of_the_plan_is_carried_by_at_least_one_module(client_for, people, plan):
    numbers = list(plan.tasks.values_list("number", flat=True))
    assert sorted(numbers) == list(range(1, 19))
    client = client_for(None)
    for number in numbers:
        assert TASK_MODULES.get(number), f"task {number} has no module in TASK_MODULES"
        modules = client.get(f"/api/v1/plan/tasks/{number}/modules").json()
        assert modules, f"task {number} shows no module"
        assert all([c["year"] for c in m["counts"]] == [2024, 2025, 2026] for m in modules)


def test_the_mapping_names_only_modules_that_exist_and_the_tasks_the_brief_names(plan):
    assert {key for keys in TASK_MODULES.values() for key in keys} <= set(MODULES)
    labels = {number: [MODULES[k].label for k in keys] for number, keys in TASK_MODULES.items()}
    assert any("运营中心" in lbl for lbl in labels[5])
    assert any("调解" in lbl for lbl in labels[8]) and any("京津冀" in lbl for lbl in labels[8])
    assert any("培训" in lbl for lbl in labels[10]) and any("人才" in lbl for lbl in labels[10])
    assert any("双随机" in lbl for lbl in labels[12]) and any("信用" in lbl for lbl in labels[12])
    assert any("宣传" in lbl for lbl in labels[18]) and any("直播" in lbl for lbl in labels[18])


def test_task_modules_gives_every_task_every_year_asked(people, plan):
    _task8_world(people)
    result = task_modules(plan=plan, years=[2024, 2025, 2026])
    assert sorted(result) == list(range(1, 19))
    assert all(activities for activities in result.values())
    cooperation = next(a for a in result[8] if a.label == "京津冀知识产权协同保护协作")
    assert cooperation.counts == {2024: 1, 2025: 2, 2026: 0} and cooperation.url == "/protection/markets/"


# ---- the cost does not grow with the records or the tasks ----

def test_counting_takes_one_query_per_module_however_many_records_or_tasks(client_for, people, plan):
    distinct_modules = len({key for keys in TASK_MODULES.values() for key in keys})
    with CaptureQueriesContext(connection) as empty:
        task_modules(plan=plan, years=[2024, 2025, 2026])
    assert len(empty) == 1 + distinct_modules  # the plan's task numbers, then one aggregate per module
    client = client_for(None)
    with CaptureQueriesContext(connection) as page_before:
        client.get("/plan/tasks/8/")
    _task8_world(people)
    _task8_world(people)
    with CaptureQueriesContext(connection) as full:
        task_modules(plan=plan, years=[2023, 2024, 2025, 2026])
    with CaptureQueriesContext(connection) as page_after:
        client.get("/plan/tasks/8/")
    assert len(full) == len(empty)
    assert len(page_after) == len(page_before)

