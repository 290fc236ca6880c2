"""The district IP office edits the plan in the UI and through the API; every change is audited
with who, when, before and after."""

import json

from ipcity.audit.models import AuditEntry
from ipcity.plan.models import Indicator, KeyTask


def _edit_form(**overrides):
    data = {"form": "edit", "edit-name": "有效专利数量", "edit-target": "26000", "edit-unit": "件",
            "edit-comparison": "at_least", "edit-period_type": "end_state", "edit-deadline": "2026-12-31",
            "edit-reading": "", "edit-data_source": "records"}
    data.update({f"edit-{k}": v for k, v in overrides.items()})
    return data


def test_the_office_changes_a_target_in_the_ui_and_the_audit_trail_shows_before_and_after(client_for, people):
    office = client_for("office_admin")
    response = office.post("/plan/indicators/valid_patents/", _edit_form(target="27000", reading="含外观设计"),
                           REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert Indicator.objects.get(code="valid_patents").target == 27000
    entry = AuditEntry.objects.get(action="plan.indicator.update")
    assert entry.actor == people["office_admin"]
    assert entry.organization.name == "区知识产权工作领导小组办公室"
    assert entry.before == {"target": "26000.0000", "reading": ""}
    assert entry.after == {"target": "27000", "reading": "含外观设计"}
    assert (entry.source_address, entry.channel) == ("10.1.2.3", "web")
    page = office.get("/audit/").content.decode()
    assert "plan.indicator.update" in page and "27000" in page


def test_the_office_changes_a_counting_rule_through_the_api(client_for):
    office = client_for("office_admin")
    response = office.patch("/api/v1/plan/indicators/mediation_people",
                            json.dumps({"period_type": "cumulative", "reading": "改按试点期累计"}),
                            content_type="application/json")
    assert response.status_code == 200
    assert response.json()["period_type"] == "cumulative"
    entry = AuditEntry.objects.get(action="plan.indicator.update")
    assert entry.before == {"period_type": "per_year", "reading": "暂按每年计（同上），可编辑。"}
    assert entry.channel == "api"


def test_an_edit_that_breaks_the_counting_rules_is_refused_with_the_reason_and_nothing_changes(client_for):
    office = client_for("office_admin")
    response = office.patch("/api/v1/plan/indicators/valid_patents", json.dumps({"comparison": "increase"}),
                            content_type="application/json")
    assert response.status_code == 422
    assert "increase（逐年增长）时不设目标值" in json.dumps(response.json(), ensure_ascii=False)
    page = office.post("/plan/indicators/valid_patents/", _edit_form(deadline="2030-01-01"))
    assert page.status_code == 200 and "不在试点期内" in page.content.decode()
    indicator = Indicator.objects.get(code="valid_patents")
    assert (indicator.comparison, str(indicator.deadline)) == ("at_least", "2026-12-31")
    assert not AuditEntry.objects.filter(action="plan.indicator.update").exists()


def test_saving_without_changes_writes_no_audit_row(client_for):
    client_for("office_admin").post("/plan/indicators/valid_patents/", _edit_form())
    assert not AuditEntry.objects.filter(action="plan.indicator.update").exists()


def test_the_office_reassigns_a_task_lead_in_the_ui(client_for):
    from ipcity.accounts.models import Organization

    office = client_for("office_admin")
    tech = Organization.objects.get(name="区科技局")
    market = Organization.objects.get(name="区市场监管局")
    response = office.post("/plan/tasks/17/", {"units": [tech.pk, market.pk], "lead": market.pk, "members_clause": "none"})
    assert response.status_code == 302
    task = KeyTask.objects.get(number=17)
    assert [u.name for u in task.ordered_units] == ["区市场监管局", "区科技局"]
    entry = AuditEntry.objects.get(action="plan.task.units_set")
    assert entry.before == {"units": ["区人社局", "区科技局", "区市场监管局"]}
    assert entry.after == {"units": ["区市场监管局", "区科技局"]}
    assert "区市场监管局（牵头）" in office.get("/plan/tasks/17/").content.decode()


def test_a_lead_outside_the_chosen_units_is_refused_on_the_form(client_for):
    from ipcity.accounts.models import Organization

    tech = Organization.objects.get(name="区科技局")
    market = Organization.objects.get(name="区市场监管局")
    page = client_for("office_admin").post("/plan/tasks/17/", {"units": [tech.pk], "lead": market.pk, "members_clause": "none"})
    assert "牵头单位必须是所选责任单位之一" in page.content.decode()
    assert [u.name for u in KeyTask.objects.get(number=17).ordered_units] == ["区人社局", "区科技局", "区市场监管局"]


def test_a_task_cannot_be_given_to_an_enterprise(client_for):
    response = client_for("office_admin").put("/api/v1/plan/tasks/1/units", json.dumps({"units": ["nope"]}),
                                              content_type="application/json")
    assert response.status_code == 404 and "nope" in response.json()["detail"]


def test_edits_show_up_in_the_export(client_for, capsys):
    from ipcity.cli import main as ipcity_main

    client_for("office_admin").patch("/api/v1/plan/indicators/valid_trademarks", json.dumps({"target": 31000}),
                                     content_type="application/json")
    capsys.readouterr()
    ipcity_main(["plan", "export"])
    exported = json.loads(capsys.readouterr().out)
    assert next(i for i in exported["indicators"] if i["code"] == "valid_trademarks")["target"] == 31000


def test_a_unit_reports_a_value_with_an_attachment_and_the_indicator_shows_it(client_for, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    unit = client_for("unit_staff")
    response = unit.post("/plan/indicators/navigation_projects_industry_planning/", {
        "form": "report", "report-as_of": "2026-10-31", "report-value": "2", "report-source": "区科技局项目台账",
        "report-attachment": SimpleUploadedFile("台账.pdf", b"%PDF-1.7 ledger", content_type="application/pdf")})
    assert response.status_code == 302
    page = unit.get("/plan/indicators/navigation_projects_industry_planning/").content.decode()
    assert "区科技局项目台账" in page and "台账.pdf" in page
    api_row = unit.get("/api/v1/plan/indicators/navigation_projects_industry_planning").json()
    assert api_row["latest"]["value"] == "2.0000" and api_row["status_label"] == "推进中"


def test_a_unit_cannot_report_an_indicator_outside_its_tasks(client_for):
    response = client_for("unit_staff").post("/api/v1/plan/indicators/trademark_enforcement_cases/values",
                                             json.dumps({"as_of": "2026-10-31", "value": 3, "source": "x"}),
                                             content_type="application/json")
    assert response.status_code == 403
    assert "不是该指标相关重点任务的责任单位" in response.json()["detail"]
