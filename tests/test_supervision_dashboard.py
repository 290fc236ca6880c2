"""The supervision dashboards: the leading group sees attainment, states by action and unit, and what is overdue;
a unit sees only its own items, what is due soon and the reports it owes. Page and API show the same data."""

import json

from ipcity.accounts.models import Organization
from ipcity.plan.models import KeyTask
from ipcity.plan.supervision import work_item_create, work_item_transition


def _assigned(people, task, unit_code, deadline, title):
    import datetime as dt

    item = work_item_create(actor=people["office_admin"], task=KeyTask.objects.get(number=task),
                            unit=Organization.objects.get(code=unit_code), year=2026, title=title,
                            deadline=dt.date.fromisoformat(deadline))
    return work_item_transition(actor=people["office_admin"], item=item, action="assign")


def _page_data(client) -> dict:
    page = client.get("/supervision/").content.decode()
    start = page.index('<script id="supervision-data" type="application/json">') + len(
        '<script id="supervision-data" type="application/json">')
    return json.loads(page[start:page.index("</script>", start)])


def test_the_leading_group_sees_every_unit_by_action_and_the_overdue_list(client_for, people, frozen_clock):
    _assigned(people, 2, "science_technology", "2026-11-10", "导航项目")
    _assigned(people, 7, "market_supervision", "2026-12-20", "执法专项行动")
    _assigned(people, 7, "public_security", "2026-11-04", "打击侵权犯罪")
    office = client_for("office_admin")
    data = office.get("/api/v1/supervision/dashboard").json()
    assert data["scope"] == "office" and data["counts"]["assigned"] == 3
    assert [(a["action"][:3], a["counts"]["assigned"]) for a in data["by_action"]] == [("（一）", 1), ("（三）", 2)]
    assert {u["unit"] for u in data["by_unit"]} == {"区科技局", "区市场监管局", "公安南开分局"}
    assert [i["title"] for i in data["due_soon"]] == ["打击侵权犯罪"]  # within 7 days of 11-02
    assert data["overdue"] == [] and len(data["attainment"]) == 32 and data["attainment"][0]["code"] == "valid_patents"
    frozen_clock.advance(days=10)  # 2026-11-12
    data = office.get("/api/v1/supervision/dashboard").json()
    assert [(i["title"], i["days_overdue"]) for i in data["overdue"]] == [("打击侵权犯罪", 8), ("导航项目", 2)]
    assert {u["unit"]: u["light"] for u in data["by_unit"]}["区市场监管局"] == "green"
    assert _page_data(office)["overdue"][0]["title"] == "打击侵权犯罪"
    page = office.get("/supervision/").content.decode()
    assert 'data-chart="attainment"' in page and 'data-by="by_unit"' in page and 'data-testid="overdue"' in page


def test_a_unit_sees_only_its_own_items_and_what_it_owes(client_for, people, frozen_clock):
    _assigned(people, 2, "science_technology", "2026-11-06", "导航项目")
    _assigned(people, 7, "market_supervision", "2026-11-05", "执法专项行动")
    unit = client_for("unit_staff")
    data = unit.get("/api/v1/supervision/dashboard").json()
    assert data["scope"] == "unit" and [u["unit"] for u in data["by_unit"]] == ["区科技局"]
    assert [i["title"] for i in data["due_soon"]] == ["导航项目"]
    frozen_clock.advance(days=34)  # 2026-12-06: November's report was due 12-05
    data = unit.get("/api/v1/supervision/dashboard").json()
    assert [(r["title"], r["period"], r["standing"]) for r in data["reports_owed"]] == [("导航项目", "2026-11", "missing")]
    assert [i["title"] for i in data["overdue"]] == ["导航项目"]
    page = unit.get("/supervision/").content.decode()
    assert "本单位应报送的进展报告" in page and 'data-chart="attainment"' not in page and "执法专项行动" not in page


def test_the_dashboard_can_be_read_as_of_an_earlier_day(client_for, people, frozen_clock):
    _assigned(people, 2, "science_technology", "2026-11-10", "导航项目")
    frozen_clock.advance(days=20)
    office = client_for("office_admin")
    assert office.get("/api/v1/supervision/dashboard", {"as_of": "2026-11-05"}).json()["overdue"] == []
    assert len(office.get("/api/v1/supervision/dashboard").json()["overdue"]) == 1


def test_the_dashboard_is_computed_once_per_change_and_follows_each_change_at_once(
        client_for, people, frozen_clock, monkeypatch):
    from ipcity.plan import dashboard
    from ipcity.stats.selectors import clear_cache

    office = client_for("office_admin")
    _assigned(people, 2, "science_technology", "2026-11-10", "导航项目")
    first = office.get("/api/v1/supervision/dashboard").json()
    clear_cache()  # another worker: only the shared cache
    computed = []
    real = dashboard._work_item_standings
    monkeypatch.setattr(dashboard, "_work_item_standings", lambda *a: computed.append(1) or real(*a))
    assert office.get("/api/v1/supervision/dashboard").json() == first and not computed
    _assigned(people, 7, "public_security", "2026-11-04", "打击侵权犯罪")
    second = office.get("/api/v1/supervision/dashboard").json()
    assert computed == [1] and sum(second["counts"].values()) == sum(first["counts"].values()) + 1
    frozen_clock.advance(days=1)  # a new day: standings move with it
    office.get("/api/v1/supervision/dashboard")
    assert computed == [1, 1]


def test_every_table_the_dashboard_reads_is_one_whose_writes_move_its_version(client_for, people):
    from ipcity import clock, versions
    from ipcity.plan.dashboard import _work_item_standings
    from ipcity.plan.supervision import work_item_list
    from ipcity.web.models import DataVersion
    from tests.helpers import tables_read

    _assigned(people, 2, "science_technology", "2026-11-10", "导航项目")
    read = tables_read(lambda: _work_item_standings(work_item_list(user=people["office_admin"]), clock.today()))
    watched = versions.tables("supervision") | {DataVersion._meta.db_table}
    assert read and read <= watched, f"read but not watched: {sorted(read - watched)}"
