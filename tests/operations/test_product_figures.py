"""专利产品产值比重 is reported by its unit; its page shows beside it the patent products registered on the platform by
year and the annual sales their holders declared, read from the product register in a fixed number of queries."""

import re

from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import post_json, query_count
from tests.operations.helpers import PATENTS

PAGE = "/plan/indicators/patent_product_output_share/"


def _product(client, name, recorded_on, sales=None, patent="202110011111.1"):
    body = {"name": name, "patent_numbers": [patent], "recorded_on": recorded_on}
    if sales is not None:
        body["annual_sales"] = sales
    made = post_json(client, "/api/v1/operations/products", body)
    assert made.status_code == 201, made.content


def _figures(html: str) -> dict[str, tuple[str, str]]:
    rows = re.findall(r'<tr data-year="(\d{4})"><td>\d{4}年</td><td class="num" data-testid="product-count">(\d+)</td>'
                      r'<td class="num" data-testid="product-sales">([\d.,]+)</td>', html)
    return {year: (count, sales) for year, count, sales in rows}


def test_the_indicator_page_shows_registered_products_and_their_declared_sales_by_year(client_for, people,
                                                                                        frozen_clock):
    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=PATENTS)
    university = client_for("university_user")
    _product(university, "电池健康监测模组", "2025-03-01", "320.50")
    _product(university, "储能电池管理单元", "2025-11-20", "100", patent="202110033333.3")
    _product(university, "焊缝检测终端", "2026-05-01")  # no sales declared
    html = client_for(None).get(PAGE).content.decode()
    assert "专利产品备案（平台登记，供参考）" in html and 'href="/operations/products/"' in html
    assert _figures(html) == {"2024": ("0", "0.00"), "2025": ("2", "420.50"), "2026": ("1", "0.00")}
    assert "product-figures" not in client_for(None).get("/plan/indicators/valid_patents/").content.decode()


def test_the_products_figure_costs_the_same_queries_however_many_products(client_for, people, frozen_clock):
    batch = import_batch_start(kind="patents", filename="patents.csv", actor=None)
    import_batch_run(batch=batch, data=PATENTS)
    university, public = client_for("university_user"), client_for(None)
    _product(university, "模组一", "2025-03-01", "10")
    public.get(PAGE)
    before = query_count(public, PAGE)
    for n in range(5):
        _product(university, f"模组{n + 2}", f"2026-0{n + 1}-01", "10")
    assert query_count(public, PAGE) == before
