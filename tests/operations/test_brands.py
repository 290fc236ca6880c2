"""Brands: holders of well-known marks and time-honored brands with their portfolios and Madrid filings, GIs, and
the office's key-enterprise watch list with each enterprise's IP profile."""

import json

import pytest

from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import post_json

MARKS = """注册号,商标名称,注册人,注册人地址,注册日,专用权期限至,马德里申请日,驰名商标,老字号
1000001,狗不理,测试企业有限公司,天津市南开区,2010-01-01,2030-01-01,2024-05-01,是,是
1000002,狗不理包子,测试企业有限公司,天津市南开区,2012-01-01,2022-01-01,,否,否
1000003,某新品牌,测试企业有限公司,天津市南开区,2020-01-01,2030-01-01,,否,否
1000004,其他商标,其他公司,天津市南开区,2020-01-01,2030-01-01,,否,否
"""


@pytest.fixture
def marks(people):
    batch = import_batch_start(kind="trademarks", filename="tm.csv", actor=None)
    import_batch_run(batch=batch, data=MARKS.encode())


def test_a_brand_holder_shows_its_whole_portfolio(client, marks, frozen_clock):
    [holder] = client.get("/api/v1/operations/brands/holders").json()
    assert holder == {"holder": "测试企业有限公司", "marks": 3, "valid": 2, "well_known": 1, "time_honored": 1,
                      "madrid": 1}
    assert "测试企业有限公司" in client.get("/operations/brands/").content.decode()


def test_the_office_keeps_a_watch_list_with_each_enterprises_profile(client_for, people, marks, frozen_clock):
    office = client_for("office_admin")
    enterprise_id = people["enterprise_user"].organization_id
    added = post_json(office, "/api/v1/operations/watch-list", {"organization": enterprise_id, "reason": "老字号重点培育",
                                                            "added_on": "2026-01-10"})
    assert added.status_code == 201 and added.json()["profile"]["valid_marks"] == 2
    again = post_json(office, "/api/v1/operations/watch-list", {"organization": enterprise_id, "reason": "x",
                                                            "added_on": "2026-01-10"})
    assert again.status_code == 422 and "已在关注名录中" in json.dumps(again.json(), ensure_ascii=False)
    university = post_json(office, "/api/v1/operations/watch-list", {"organization": people["university_user"].organization_id,
                                                                 "reason": "x", "added_on": "2026-01-10"})
    assert university.status_code == 422
    assert client_for("enterprise_user").get("/api/v1/operations/watch-list").status_code == 403
    assert 'data-testid="watch-list"' not in client_for(None).get("/operations/brands/").content.decode()
    removed = post_json(office, f"/api/v1/operations/watch-list/{added.json()['id']}/remove", {"removed_on": "2026-10-01"})
    assert removed.json()["removed_on"] == "2026-10-01" and office.get("/api/v1/operations/watch-list").json() == []


def test_a_watched_enterprises_profile_counts_the_patents_it_bought_not_only_those_it_filed(
        client_for, people, marks, frozen_clock):
    from tests.operations.helpers import PATENTS

    for kind, data in (("patents", PATENTS), ("events", "申请号,法律事件,生效日,相对方\n"
                                             "202110011111.1,转让,2026-10-05,测试企业有限公司\n".encode())):
        import_batch_run(batch=import_batch_start(kind=kind, filename=f"{kind}.csv", actor=None), data=data)
    office = client_for("office_admin")
    post_json(office, "/api/v1/operations/watch-list", {"organization": people["enterprise_user"].organization_id,
                                                    "reason": "重点培育", "added_on": "2026-01-10"})
    [entry] = office.get("/api/v1/operations/watch-list").json()
    assert (entry["profile"]["patents"], entry["profile"]["granted_inventions"]) == (1, 1)
