"""The dashboard's trend and breakdowns, and clicking a number to reach its records."""

from ipcity.accounts.models import Organization, OrgType
from tests.stats.helpers import PATENTS, upload


def test_breakdowns_count_valid_patents_by_type_street_industry_and_enterprise_category(client_for, plan):
    Organization.objects.create(name="天开智能", org_type=OrgType.ENTERPRISE, tags=["high_tech", "specialized"])
    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS)
    upload(office, "sei", "sei.csv", "IPC,战略性新兴产业\nG06V,新一代信息技术产业\n")
    page = office.get("/indicators/", {"as_of": "2024-12-31"}).content.decode()
    assert 'data-breakdown="street"' in page and "华苑街道" in page
    assert "国家高新技术企业" in page and "专精特新" in page
    records = office.get("/indicators/valid_patents/records/",
                         {"as_of": "2024-12-31", "by": "tag", "group": "专精特新"}).content.decode()
    assert records.count("data-record") == 2
    assert "（按企业类别：专精特新）" in records


def test_the_trend_has_a_point_for_each_month(client_for, plan):
    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS)
    page = office.get("/indicators/", {"as_of": "2024-12-31"}).content.decode()
    assert 'id="trend-data"' in page and '"2024-12-31"' in page and '"2021-12-31"' in page
