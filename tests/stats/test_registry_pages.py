"""Importing from the page and the API, following a batch's progress, and the lineage behind each number."""

import csv
import io

from openpyxl import load_workbook

from ipcity.stats.models import ImportBatch, Patent
from tests.stats.helpers import PATENTS, upload


def test_the_office_imports_from_the_page_and_sees_the_batch_finish(client_for):
    office = client_for("office_admin")
    response = upload(office, "patents", "专利.csv", PATENTS)
    batch = ImportBatch.objects.get(filename="专利.csv")
    assert response["Location"] == f"/registries/batches/{batch.pk}/"
    assert batch.state == "done" and batch.created == 3 and batch.encoding == "gb18030"
    page = office.get(response["Location"]).content.decode()
    assert 'data-state="done"' in page and "新增 3 条" in page
    assert "hx-trigger" not in page  # a finished batch stops polling


def test_a_rejected_upload_lists_its_problems_on_the_batch_page(client_for):
    office = client_for("office_admin")
    response = upload(office, "patents", "bad.csv", PATENTS.replace("2023-01-06", "2023-02-30"))
    page = office.get(response["Location"]).content.decode()
    assert 'data-state="failed"' in page
    assert "第3行“申请日”列（值：2023-02-30）：不是有效日期" in page
    assert Patent.objects.count() == 0


def test_an_import_through_the_api_reports_its_progress_and_result(client_for):
    office = client_for("office_admin")
    response = upload(office, "patents", "p.csv", PATENTS, path="/api/v1/registries/imports")
    assert response.status_code == 202
    status = office.get(f"/api/v1/registries/imports/{response.json()['id']}").json()
    assert (status["state"], status["processed_rows"], status["total_rows"], status["created"]) == ("done", 3, 3, 3)


def test_an_unknown_import_kind_is_refused(client_for):
    response = upload(client_for("office_admin"), "comets", "p.csv", PATENTS, path="/api/v1/registries/imports")
    assert response.status_code == 422 and "未知的导入类型" in response.json()["detail"][0]


def test_a_computed_number_lists_and_downloads_the_records_behind_it(client_for, plan):
    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS)
    dashboard = office.get("/indicators/", {"as_of": "2024-06-30"}).content.decode()
    assert 'href="/indicators/valid_patents/records/?as_of=2024-06-30"' in dashboard
    page = office.get("/indicators/valid_patents/records/", {"as_of": "2024-06-30"}).content.decode()
    assert page.count("data-record") == 1 and "202310012345.6" in page
    book = load_workbook(io.BytesIO(office.get("/indicators/valid_patents/records/",
                                               {"as_of": "2024-12-31", "format": "xlsx"}).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "申请号" and sorted(r[0] for r in rows[1:]) == ["202310012345.6", "202310012346.4"]
    text = office.get("/indicators/valid_patents/records/", {"as_of": "2024-12-31", "format": "csv"}).content.decode()
    assert len(list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))) == 3
    api = office.get("/api/v1/indicators/valid_patents/records", {"as_of": "2024-12-31"}).json()
    assert api["value"] == "2" and api["count"] == 2


def test_the_dashboard_goes_back_to_any_date(client_for, plan):
    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS)
    rows = {r["code"]: r for r in office.get("/api/v1/plan/indicators", {"as_of": "2024-06-15"}).json()}
    assert rows["valid_patents"]["latest"]["value"] == "1" and rows["valid_patents"]["computed"]
    rows = {r["code"]: r for r in office.get("/api/v1/plan/indicators", {"as_of": "2024-07-15"}).json()}
    assert rows["valid_patents"]["latest"]["value"] == "2"


def test_a_unit_browses_patents_but_cannot_import(client_for):
    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS)
    unit = client_for("unit_staff")
    assert "一种图像识别方法" in unit.get("/registries/patents/", {"q": "图像"}).content.decode()
    assert upload(unit, "patents", "p.csv", PATENTS).status_code == 403


def test_the_office_lowers_the_pledge_threshold_and_a_pledged_invention_becomes_high_value(client_for, plan):
    import json

    office = client_for("office_admin")
    upload(office, "patents", "p.csv", PATENTS)
    upload(office, "population", "pop.csv", "年份,年末常住人口（万人）,来源\n2024,1,测试\n")
    upload(office, "pledges", "z.csv", "质押登记号,出质人,出质人地址,质押金额（万元）,登记日,涉及专利\n"
                                         "Z1,天开智能,天津市南开区,600,2025-01-10,202310012345.6\n")

    def high_value():
        rows = {r["code"]: r for r in office.get("/api/v1/plan/indicators", {"as_of": "2025-06-30"}).json()}
        return rows["high_value_invention_patents_per_10k"]["latest"]["value"]

    assert high_value() == "0.00"
    response = office.put("/api/v1/registries/settings/high_value_pledge_threshold", json.dumps({"value": "5000000"}),
                          content_type="application/json")
    assert response.status_code == 200
    assert high_value() == "1.00"
    page = office.post("/registries/", {"form": "threshold", "value": "abc"}).content.decode()
    assert "质押融资金额门槛（元）应为数字" in page


def test_an_unknown_setting_is_refused(client_for):
    import json

    response = client_for("office_admin").put("/api/v1/registries/settings/colour", json.dumps({"value": "1"}),
                                              content_type="application/json")
    assert response.status_code == 422 and "未知的参数" in response.json()["detail"][0]
