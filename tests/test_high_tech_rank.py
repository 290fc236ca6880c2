"""国家高新技术企业数量始终保持中心城区领先 (issue 15, part 7): the office enters or imports each central district's
count by year with its source; the page, the API, goal 一 and the evaluation report show 南开's rank."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from ipcity import clock
from ipcity.audit.models import AuditEntry
from ipcity.plan.models import HighTechCount
from ipcity.plan.ranking import rank_of
from tests.helpers import json_text, post_json

HEADERS = ["年度", "区", "国家高新技术企业数量", "来源"]


def _xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    body = io.BytesIO()
    book.save(body)
    return SimpleUploadedFile("高新技术企业.xlsx", body.getvalue())


def _enter(client, year, district, count, source="天津市科技局认定名单"):
    return post_json(client, "/api/v1/plan/high-tech", {"year": year, "district": district, "count": count,
                                                        "source": source})


def _year(client, year) -> dict:
    return next(y for y in client.get("/api/v1/plan/high-tech").json() if y["year"] == year)


# ---------------------------------------------------------------------------------------------- the rank

def test_ties_share_a_rank_and_a_district_without_a_figure_has_none():
    counts = {"nankai": 900, "hexi": 950, "heping": 900, "hebei": 400}
    assert [rank_of(counts, d) for d in ("hexi", "nankai", "heping", "hebei", "hongqiao")] == [1, 2, 2, 4, None]


def test_the_office_enters_the_six_districts_and_everyone_reads_nankais_rank(client, client_for):
    office = client_for("office_admin")
    for district, count in [("nankai", 1130), ("hexi", 1090), ("heping", 450), ("hedong", 410), ("hebei", 590),
                            ("hongqiao", 230)]:
        assert _enter(office, 2025, district, count).status_code == 201
    assert _enter(office, 2024, "nankai", 1000).status_code == 201
    assert _enter(office, 2024, "hexi", 1040).status_code == 201
    year = _year(client, 2025)
    assert (year["nankai_rank"], year["ranked"], year["leading"], year["complete"]) == (1, 6, True, True)
    assert year["rank_label"] == "第1名（共6个区）"
    assert [(f["district_label"], f["count"], f["rank"]) for f in year["figures"]][:2] == [("南开区", 1130, 1),
                                                                                          ("和平区", 450, 4)]
    assert year["figures"][0]["source"] == "天津市科技局认定名单"
    earlier = _year(client, 2024)
    assert (earlier["nankai_rank"], earlier["leading"], earlier["complete"]) == (2, False, False)
    assert earlier["missing"] == ["和平区", "河东区", "河北区", "红桥区"]
    page = client.get("/plan/high-tech/").content.decode()
    assert "第1名（共6个区）" in page and "第2名（共2个区，缺和平区、河东区、河北区、红桥区）" in page
    assert "来源：天津市科技局认定名单" in page
    goal = client.get("/plan/goals/creation/").content.decode()
    assert "2025年南开区1130家，第1名（共6个区）" in goal
    assert "国家高新技术企业数量中心城区排名</a>：2025年 第1名；2024年 第2名" in client.get("/").content.decode()


def test_a_later_entry_replaces_the_figure_and_the_audit_trail_keeps_the_old_one(client_for):
    office = client_for("office_admin")
    _enter(office, 2025, "nankai", 1100)
    assert _enter(office, 2025, "nankai", 1130, "区统计公报").status_code == 201
    figure = HighTechCount.objects.get()
    assert (figure.count, figure.source) == (1130, "区统计公报")
    last = AuditEntry.objects.filter(action="plan.high_tech.record").latest("pk")
    assert last.before == {"count": 1100, "source": "天津市科技局认定名单"} and last.after["count"] == 1130


@pytest.mark.parametrize(("body", "message"), [
    ({"count": -1}, "国家高新技术企业数量应在0～100,000之间"), ({"count": 100001}, "国家高新技术企业数量应在0～100,000之间"),
    ({"district": "滨海新区"}, "district: 应为以下之一"), ({"source": ""}, "请填写来源"), ({"year": 1999}, "年度应在2,000～2,100之间"),
])
def test_a_bad_figure_is_refused_in_chinese_naming_the_field_and_nothing_is_written(client_for, body, message):
    refused = post_json(client_for("office_admin"), "/api/v1/plan/high-tech",
                        {"year": 2025, "district": "nankai", "count": 900, "source": "区科技局", **body})
    assert refused.status_code == 422 and message in json_text(refused)
    page = client_for("office_admin").post("/plan/high-tech/", {"form": "figure", "year": "2025", "district": "nankai",
                                                                "count": "100001", "source": "区科技局"})
    assert page.status_code == 200 and "国家高新技术企业数量应在0～100,000之间" in page.content.decode()
    assert not HighTechCount.objects.exists()


def test_only_the_office_records_figures(client, client_for):
    assert _enter(client, 2025, "nankai", 900).status_code == 401
    for persona in ("unit_staff", "enterprise_user"):
        assert _enter(client_for(persona), 2025, "nankai", 900).status_code == 403
        assert client_for(persona).post("/plan/high-tech/", {"form": "figure", "year": "2025", "district": "nankai",
                                                             "count": "900", "source": "x"}).status_code == 403
        imported = client_for(persona).post("/api/v1/plan/high-tech/import",
                                            {"file": _xlsx([[2025, "南开区", 900, "区科技局"]])})
        assert imported.status_code == 403
    assert not HighTechCount.objects.exists()


# ---------------------------------------------------------------------------------------------- the import

def test_an_xlsx_import_stores_every_row(client_for):
    office = client_for("office_admin")
    rows = [[2026, district, count, "天津市科技局认定名单"] for district, count in
            [("南开区", 1250), ("河西", 1120), ("和平区", 470), ("河东区", 430), ("河北区", 610), ("红桥区", 240)]]
    imported = office.post("/api/v1/plan/high-tech/import", {"file": _xlsx(rows)})
    assert imported.status_code == 200 and imported.json() == {"imported": 6, "replaced": 0}
    assert _year(office, 2026)["nankai_rank"] == 1
    page = office.post("/plan/high-tech/", {"form": "import", "file": _xlsx(rows[:1])}, follow=True)
    assert "已导入 1 条（其中替换原有数据 1 条）" in page.content.decode()
    assert HighTechCount.objects.count() == 6


@pytest.mark.parametrize(("row", "problem"), [
    ([2026, "滨海新区", 300, "来源"], "第3行“区”列（值：滨海新区）：应为中心城区之一"),
    ([2026, "河西区", "很多", "来源"], "第3行“国家高新技术企业数量”列（值：很多）：应为0～100000之间的整数"),
    ([26, "河西区", 300, "来源"], "第3行“年度”列（值：26）：应为2000～2100之间的四位年份"),
    ([2026, "河西区", 300, None], "第3行“来源”列：必填项为空"),
    ([2026, "南开区", 300, "来源"], "第3行“年度”列（值：2026）：与第2行重复"),
])
def test_an_import_with_a_bad_row_names_the_row_and_field_and_writes_nothing(client_for, row, problem):
    office = client_for("office_admin")
    upload = _xlsx([[2026, "南开区", 1250, "天津市科技局认定名单"], row])
    refused = office.post("/api/v1/plan/high-tech/import", {"file": upload})
    assert refused.status_code == 422 and problem in json_text(refused)
    page = office.post("/plan/high-tech/", {"form": "import", "file": _xlsx([[2026, "南开区", 1250, "x"], row])},
                       follow=True)
    assert "文件未导入" in page.content.decode() and problem in page.content.decode()
    assert not HighTechCount.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="plan.high_tech").exists()


def test_an_import_without_the_columns_says_which_are_missing(client_for):
    refused = client_for("office_admin").post("/api/v1/plan/high-tech/import",
                                              {"file": _xlsx([[2026, 900]], headers=["年度", "数量"])})
    assert refused.status_code == 422 and "缺少必需的列" in json_text(refused) and "区" in json_text(refused)


# ---------------------------------------------------------------------------------------------- the report

def test_the_evaluation_report_states_nankais_count_and_rank_each_year(client_for):
    office = client_for("office_admin")
    for year, nankai, hexi in [(2024, 1000, 1040), (2025, 1130, 1090)]:
        _enter(office, year, "nankai", nankai)
        _enter(office, year, "hexi", hexi)
    with clock.frozen_at(dt.datetime(2027, 1, 8, 9, tzinfo=dt.UTC)):
        report = post_json(office, "/api/v1/supervision/evaluations", {"kind": "final"}).json()
        document = Document(io.BytesIO(office.get(f"/api/v1/supervision/evaluations/{report['id']}/document",
                                                  {"format": "docx"}).content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2024年1000家、居中心城区第2名（共2个区，缺和平区、河东区、河北区、红桥区）" in text
    assert "2025年1130家、居中心城区第1名" in text and "保持领先的年度：2025年" in text
