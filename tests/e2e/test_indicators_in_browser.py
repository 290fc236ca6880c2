"""In a real browser: the office imports a patent export and follows a computed number to its records."""

import pytest

from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.browser

EXPORT = ("申请号,申请日,专利类型,发明名称,专利权人,专利权人地址,授权公告日\n"
          "202310012345.6,2023-01-05,发明,一种图像识别方法,天开智能,天津市南开区华苑街道,2024-06-01\n"
          "202310012346.4,2023-01-06,发明,一种电池,天开智能,天津市南开区学府街道,2024-07-01\n"
          "202220000001.1,2022-01-06,实用新型,一种夹具,外区企业,北京市海淀区,2022-07-01\n")


def test_the_office_imports_patents_and_reaches_the_records_behind_a_number(open_page, people, tmp_path):
    export = tmp_path / "专利导出.csv"
    export.write_bytes(EXPORT.encode("gbk"))
    page = open_page()
    sign_in(page, "office_admin")

    page.goto("/registries/")
    page.select_option("#id_kind", "patents")
    page.set_input_files("#id_file", str(export))
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_selector("[data-testid=batch-status][data-state=done]")
    assert "新增 3 条" in page.text_content("[data-testid=batch-status]")

    page.goto("/indicators/?as_of=2024-12-31")
    page.wait_for_selector("[data-chart=trend][data-rendered=true]")
    value = page.locator("tr[data-indicator=valid_patents] [data-testid=computed-value]")
    assert value.text_content().strip() == "2"
    value.click()
    page.wait_for_url("**/indicators/valid_patents/records/**")
    assert page.locator("tr[data-record]").count() == 2
    assert page.text_content("[data-testid=lineage-value]") == "2"
