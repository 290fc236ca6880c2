"""Registry imports: CNIPA-style Chinese headers, UTF-8 or GBK, whole file or nothing, every problem named."""

import io
import json

import pytest
from openpyxl import Workbook

from ipcity.cli import main as ipcity_main
from ipcity.stats.models import ImportBatch, LegalEvent, Patent, Pledge, Trademark

PATENT_HEADER = "申请号,申请日,专利类型,发明名称,申请人,专利权人,专利权人地址,主分类号,IPC分类号,授权公告日,法律状态"
PATENTS_OK = "\n".join([
    PATENT_HEADER,
    "CN202310012345.6,2023-01-05,发明,一种图像识别方法,天开智能有限公司,天开智能有限公司,天津市南开区华苑街道海泰路1号,G06V 10/00,G06V 10/00;G06N 3/08,2024-06-01,有效",
    "202220123456.X,2022/3/1,实用新型,一种夹具,某某机械厂,某某机械厂,北京市海淀区学院路2号,B25B 11/00,B25B 11/00,2022/8/1,有效",
    "ZL 201910001111.2,20190110,外观设计,包装盒,某公司,某公司,某某路88号,,,20190601,",
])


def _file(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def _import(kind, path):
    return ipcity_main(["import", kind, path])


def test_patents_import_with_chinese_headers_and_addresses_resolve(db, tmp_path, capsys):
    assert _import("patents", _file(tmp_path, "patents.csv", PATENTS_OK)) == 0
    assert "新增 3 条" in capsys.readouterr().err
    first = Patent.objects.get(application_number="202310012345.6")
    assert (first.patent_type, first.owner_district, first.owner_street) == ("invention", "天津市南开区", "huayuan")
    assert (first.main_ipc, first.ipc_codes) == ("G06V10/00", ["G06V10/00", "G06N3/08"])
    assert Patent.objects.get(application_number="202220123456.X").owner_district == "北京市海淀区"
    unknown = Patent.objects.get(application_number="201910001111.2")
    assert unknown.owner_district == "" and unknown.patent_type == "design"


def test_a_gbk_file_labelled_csv_imports_the_same(db, tmp_path):
    assert _import("patents", _file(tmp_path, "patents.csv", PATENTS_OK, encoding="gbk")) == 0
    assert Patent.objects.get(application_number="202310012345.6").title == "一种图像识别方法"


def test_reimporting_upserts_by_application_number(db, tmp_path, capsys):
    _import("patents", _file(tmp_path, "a.csv", PATENTS_OK))
    changed = PATENTS_OK.replace("一种图像识别方法", "一种改进的图像识别方法")
    assert _import("patents", _file(tmp_path, "b.csv", changed)) == 0
    assert "新增 0 条，更新 3 条" in capsys.readouterr().err
    assert Patent.objects.count() == 3
    assert Patent.objects.get(application_number="202310012345.6").title == "一种改进的图像识别方法"


def test_a_malformed_file_reports_every_problem_with_row_and_column_and_changes_nothing(db, tmp_path, capsys):
    _import("patents", _file(tmp_path, "good.csv", PATENTS_OK))
    capsys.readouterr()
    bad = "\n".join([
        PATENT_HEADER,
        "202410000001.1,2024-13-01,发明,甲,甲,甲,天津市南开区,,,,",
        "202410000002.2,2024-01-01,发明专利申请书,乙,乙,乙,天津市南开区,,,,",
        "202410000003.3,2024-01-01,发明,丙,丙,丙,天津市南开区,,,2023-01-01,",
        "202410000004.4,2024-01-01,实用新型,丁,丁,丁,天津市南开区,,,,",
        "CN202410000004.4,2024-01-01,实用新型,丁,丁,丁,天津市南开区,,,,",
        "12345,2024-01-01,发明,戊,戊,戊,天津市南开区,,,,",
        "202310012345.6,2023-01-05,发明,,x,x,x,,,,",
    ])
    assert _import("patents", _file(tmp_path, "bad.csv", bad)) == 2
    err = capsys.readouterr().err
    assert "第2行“申请日”列（值：2024-13-01）：不是有效日期" in err
    assert "第3行“专利类型”列（值：发明专利申请书）：未知的专利类型" in err
    assert "第4行：授权公告日早于申请日" in err
    assert "第6行“申请号”列（值：202410000004.4）：与第5行重复" in err
    assert "第7行“申请号”列（值：12345）：不是有效的专利申请号" in err
    assert "第8行“发明名称”列：必填项为空" in err
    assert "未导入任何数据" in err
    assert Patent.objects.count() == 3
    assert Patent.objects.get(application_number="202310012345.6").title == "一种图像识别方法"
    batch = ImportBatch.objects.get(filename="bad.csv")
    assert batch.state == "failed" and len(batch.problems) == 6


def test_wrong_headers_name_the_missing_columns(db, tmp_path, capsys):
    assert _import("patents", _file(tmp_path, "x.csv", "编号,日期,名字\n1,2,3")) == 2
    err = capsys.readouterr().err
    assert "文件“申请号”列：缺少必需的列（可用列名：申请号、专利申请号" in err
    assert "无法识别的列：编号、日期、名字" in err


def test_a_file_in_neither_utf8_nor_gbk_is_refused(db, tmp_path, capsys):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe\x00\xd8\x00\xdc" * 10)
    assert _import("patents", str(path)) == 2
    assert "无法识别文件编码" in capsys.readouterr().err


def test_an_xlsx_export_imports_with_date_cells(db, tmp_path):
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.append(["申请号", "申请日", "专利类型", "发明名称", "专利权人地址", "授权公告日"])
    ws.append(["202310099999.1", dt.datetime(2023, 2, 1), "发明", "电池", "天津市南开区学府街道", dt.datetime(2025, 1, 2)])
    buffer = io.BytesIO()
    wb.save(buffer)
    path = tmp_path / "p.xlsx"
    path.write_bytes(buffer.getvalue())
    assert _import("patents", str(path)) == 0
    patent = Patent.objects.get(application_number="202310099999.1")
    assert (str(patent.filing_date), str(patent.grant_date), patent.owner_street) == ("2023-02-01", "2025-01-02", "xuefu")


def test_events_need_their_patent_and_map_chinese_event_names(db, tmp_path, capsys):
    _import("patents", _file(tmp_path, "p.csv", PATENTS_OK))
    events = "\n".join(["申请号,法律事件,生效日,受让人,受让人地址",
                        "202310012345.6,专利权的转移,2025-05-01,北京某公司,北京市朝阳区某路",
                        "202310012345.6,未缴年费专利权终止,2025-09-01,,",
                        "209910000000.1,授权,2025-01-01,,"])
    assert _import("events", _file(tmp_path, "e.csv", events)) == 2
    assert "第4行“申请号”列（值：209910000000.1）：专利库中没有这个申请号" in capsys.readouterr().err
    assert LegalEvent.objects.count() == 0
    assert _import("events", _file(tmp_path, "e2.csv", "\n".join(events.splitlines()[:3]))) == 0
    transfer = LegalEvent.objects.get(event_type="transfer")
    assert transfer.new_owner_district == "北京市朝阳区"


def test_trademarks_and_pledges_import(db, tmp_path):
    marks = "注册号,商标名称,注册人,注册人地址,注册日,专用权期限至,马德里申请日,老字号\n" \
            "12345678,桂顺斋,桂顺斋食品,天津市南开区鼓楼街道,2015-01-01,2035-01-01,2025-03-01,是"
    assert _import("trademarks", _file(tmp_path, "t.csv", marks)) == 0
    mark = Trademark.objects.get(registration_number="12345678")
    assert mark.time_honored and str(mark.madrid_filing_date) == "2025-03-01" and mark.owner_district == "天津市南开区"
    pledges = "质押登记号,出质人,出质人地址,质权人,质押金额（万元）,登记日,涉及专利\n" \
              "Y2025001,天开智能,天津市南开区华苑街道,某银行,1200,2025-04-01,202310012345.6；202220123456X"
    assert _import("pledges", _file(tmp_path, "z.csv", pledges)) == 0
    pledge = Pledge.objects.get(reference="Y2025001")
    assert pledge.amount == 12_000_000 and pledge.patents == ["202310012345.6", "202220123456.X"]


def test_indicators_command_prints_computed_values_as_of_a_date(plan, tmp_path, capsys):
    _import("patents", _file(tmp_path, "p.csv", PATENTS_OK))
    capsys.readouterr()
    assert ipcity_main(["indicators", "--as-of", "2024-12-31", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {r["code"]: r for r in out["indicators"]}
    assert rows["valid_patents"]["computed"] and rows["valid_patents"]["value"] == "1"  # only the invention is in 南开区
    assert rows["valid_trademarks"]["computed"] is False


@pytest.mark.parametrize("bad", ["2024-02-30", "tomorrow"])
def test_indicators_command_refuses_a_bad_date(plan, capsys, bad):
    assert ipcity_main(["indicators", "--as-of", bad]) == 2


def test_the_documented_formats_are_the_importers_own():
    from pathlib import Path

    from ipcity.stats.core.formats_doc import render

    doc = (Path(__file__).resolve().parents[2] / "docs" / "data-formats.md").read_text(encoding="utf-8")
    assert doc == render(), "run: python -m ipcity.stats.core.formats_doc > docs/data-formats.md"


def test_copyright_registrations_and_geographical_indications_import_and_list(client_for, tmp_path):
    copyrights = "登记号,类别,作品名称,著作权人,著作权人地址,登记日\n" \
                 "2025SR0001,计算机软件,南开智慧园区管理系统V1.0,天开智能,天津市南开区华苑街道,2025-03-01\n" \
                 "津作登字-2025-F-0001,美术作品,鼓楼印象,某设计工作室,天津市南开区鼓楼街道,2025-04-01"
    assert _import("copyrights", _file(tmp_path, "c.csv", copyrights)) == 0
    assert _import("gis", _file(tmp_path, "g.csv", "地理标志名称,类别,产品,登记日\n南开某特产,地理标志证明商标,糕点,2024-05-01")) == 0
    office = client_for("office_admin")
    page = office.get("/registries/copyrights/", {"q": "智慧"}).content.decode()
    assert page.count("data-record") == 1 and "计算机软件" in page
    gis = office.get("/api/v1/registries/gis").json()
    assert gis["count"] == 1 and gis["rows"][0][:2] == ["南开某特产", "地理标志证明商标"]
    assert office.get("/api/v1/registries/comets").status_code == 404


def test_a_copyright_of_an_unknown_category_is_refused(db, tmp_path, capsys):
    bad = "登记号,类别,作品名称,著作权人,登记日\nX1,专利,某,某,2025-01-01"
    assert _import("copyrights", _file(tmp_path, "c.csv", bad)) == 2
    assert "第2行“类别”列（值：专利）：应为“作品”或“计算机软件”" in capsys.readouterr().err
