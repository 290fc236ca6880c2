"""Industry-chain patent clusters (key task 3): the office records a cluster (its enterprises and patent scope) and
industry–education agreements; the cluster's patents, valid patents and high-value invention patents by year come
from the registry by the engine's own rules, and the task page counts clusters and agreements by year."""

import datetime as dt

from ipcity.accounts.models import Organization, OrgType
from ipcity.operations.models import IndustryEducationAgreement, PatentCluster
from ipcity.stats.services import import_batch_run, import_batch_start
from tests.helpers import json_text, post_json

PATENTS = """申请号,申请日,专利类型,发明名称,专利权人,专利权人地址,IPC分类号,授权公告日
201410000001.1,2014-03-01,发明,一种神经网络训练方法,智算科技有限公司,天津市南开区卫津路1号,G06N3/08,2016-05-10
202110000002.2,2021-05-01,发明,一种图像识别方法,视觉智能有限公司,天津市南开区鞍山西道2号,G06V10/82,2024-08-01
202110000003.3,2021-06-01,发明,一种中药组合物,智算科技有限公司,天津市南开区卫津路1号,A61K36/00,2023-02-01
202110000004.4,2021-07-01,发明,一种模型压缩方法,他人科技有限公司,天津市南开区黄河道3号,G06N3/04,2023-03-01
202220000005.5,2022-01-10,实用新型,一种计算加速卡散热结构,智算科技有限公司,天津市南开区卫津路1号,G06F1/20,2025-03-01
""".encode()
EVENTS = """申请号,法律事件,生效日,受让人,受让人地址
202110000002.2,转让,2025-06-01,他人科技有限公司,天津市南开区黄河道3号
""".encode()


def _registry():
    for kind, data in (("patents", PATENTS), ("events", EVENTS)):
        batch = import_batch_start(kind=kind, filename=f"{kind}.csv", actor=None)
        import_batch_run(batch=batch, data=data)
        batch.refresh_from_db()
        assert batch.state == "done", batch.problems


def _enterprises():
    return [Organization.objects.create(name=name, org_type=OrgType.ENTERPRISE)
            for name in ("智算科技有限公司", "视觉智能有限公司")]


def _cluster(office, enterprises, **changes):
    body = {"name": "人工智能产业链专利集群", "industry": "人工智能", "enterprises": [getattr(o, "pk", o) for o in enterprises],
            "ipc_prefixes": ["G06"], "established_on": "2024-05-16",
            "layout_notes": "围绕机器视觉和大模型训练布局核心专利", **changes}
    return post_json(office, "/api/v1/operations/clusters", body)


# ---- the cluster and its patents from the registry ----

def test_a_clusters_patents_by_year_come_from_the_registry_by_the_engines_rules(client_for, people, frozen_clock):
    _registry()
    cluster = _cluster(client_for("office_admin"), _enterprises()).json()
    years = {y["year"]: y for y in client_for(None).get(f"/api/v1/operations/clusters/{cluster['id']}").json()["years"]}
    # 2024: the three G06 patents the members hold (the A61K one is outside the scope, 他人's is not a member's);
    # the 2014 invention is high-value from its tenth year (2024-03-01), the 2021 one is not yet.
    assert {k: years[2024][k] for k in ("held", "granted", "valid", "high_value")} == {
        "held": 3, "granted": 1, "valid": 2, "high_value": 1}
    # 2025: the image patent was transferred to a non-member on 06-01; the utility model was granted.
    assert {k: years[2025][k] for k in ("held", "granted", "valid", "high_value")} == {
        "held": 2, "granted": 1, "valid": 2, "high_value": 1}
    assert years[2026]["as_of"] == "2026-11-02" and years[2026]["valid"] == 2
    page = client_for(None).get(f"/operations/clusters/{cluster['id']}/").content.decode()
    assert "人工智能产业链专利集群" in page and "围绕机器视觉和大模型训练布局核心专利" in page
    assert '<tr data-year="2024">' in page


def test_the_task_page_counts_clusters_and_agreements_by_year(client_for, people, frozen_clock):
    office = client_for("office_admin")
    enterprises = _enterprises()
    cluster = _cluster(office, enterprises).json()
    university = people["university_user"].organization_id
    for signed in ("2025-03-01", "2025-09-01", "2026-04-01"):
        made = post_json(office, "/api/v1/operations/industry-education-agreements", {
            "university": university, "enterprise": enterprises[0].pk, "cluster": cluster["id"],
            "subject": "共建人工智能联合实验室", "signed_on": signed, "term_until": "2028-12-31"})
        assert made.status_code == 201
    listed = client_for(None).get("/api/v1/operations/industry-education-agreements").json()
    assert listed["by_year"] == [{"year": 2024, "count": 0}, {"year": 2025, "count": 2}, {"year": 2026, "count": 1}]
    modules = {m["label"]: m for m in client_for(None).get("/api/v1/plan/tasks/3/modules").json()}
    assert [c["count"] for c in modules["产业链专利集群（组建）"]["counts"]] == [1, 0, 0]
    assert [c["count"] for c in modules["产教融合协议（签订）"]["counts"]] == [0, 2, 1]
    assert modules["产教融合协议（签订）"]["url"] == "/operations/clusters/"
    page = client_for(None).get("/operations/clusters/").content.decode()
    assert "共建人工智能联合实验室" in page and "测试大学" in page


def test_the_office_records_a_cluster_from_the_page(client_for, people, frozen_clock):
    enterprises = _enterprises()
    response = client_for("office_admin").post("/operations/clusters/", {
        "form": "cluster", "name": "数字经济产业链专利集群", "industry": "数字经济",
        "enterprises": [o.pk for o in enterprises], "ipc_prefixes": "H04L, G06Q", "established_on": "2026-04-10"})
    assert response.status_code == 302
    assert PatentCluster.objects.get().ipc_prefixes == ["H04L", "G06Q"]


# ---- who may record, and bad input ----

def test_only_the_office_records_clusters_and_agreements(client_for, people, frozen_clock):
    enterprises = _enterprises()
    agreement = {"university": people["university_user"].organization_id, "enterprise": enterprises[0].pk,
                 "subject": "共建实验室", "signed_on": "2026-01-05"}
    for persona in ("unit_staff", "enterprise_user", "university_user"):
        assert _cluster(client_for(persona), enterprises).status_code == 403
        assert post_json(client_for(persona), "/api/v1/operations/industry-education-agreements",
                         agreement).status_code == 403
        assert client_for(persona).post("/operations/clusters/", {"form": "cluster"}).status_code == 403
    assert _cluster(client_for(None), enterprises).status_code == 401
    assert not PatentCluster.objects.exists() and not IndustryEducationAgreement.objects.exists()


def test_bad_cluster_input_is_refused_naming_the_field_and_nothing_is_written(client_for, people, frozen_clock):
    office = client_for("office_admin")
    enterprises = _enterprises()
    no_scope = _cluster(office, enterprises, ipc_prefixes=[], name=" ")
    assert no_scope.status_code == 422
    assert "请填写集群名称" in json_text(no_scope) and "IPC前缀或战略性新兴产业至少一项" in json_text(no_scope)
    wrong = _cluster(office, [*enterprises, people["university_user"].organization], ipc_prefixes=["G06", "9X"],
                     sei_industry="不存在的产业", established_on="2027-01-01")
    text = json_text(wrong)
    assert "IPC前缀格式不对：9X" in text and "测试大学不是企业" in text and "不在已导入的战略性新兴产业对照表中" in text
    assert "组建日期应在" in text
    missing = _cluster(office, [999999])
    assert missing.status_code == 422 and "成员企业不存在" in json_text(missing)
    page = office.post("/operations/clusters/", {"form": "cluster", "name": "集群", "industry": "人工智能",
                                                 "enterprises": [enterprises[0].pk], "established_on": "2026-01-01"})
    assert page.status_code == 200 and "IPC前缀或战略性新兴产业至少一项" in page.content.decode()
    assert not PatentCluster.objects.exists()


def test_bad_agreement_input_is_refused_naming_the_field_and_nothing_is_written(client_for, people, frozen_clock):
    office = client_for("office_admin")
    enterprises = _enterprises()
    cluster = _cluster(office, enterprises[:1]).json()
    wrong = post_json(office, "/api/v1/operations/industry-education-agreements", {
        "university": enterprises[0].pk, "enterprise": people["university_user"].organization_id, "subject": "",
        "signed_on": "2026-03-01", "term_until": "2025-01-01"})
    text = json_text(wrong)
    assert wrong.status_code == 422 and "高校院所一方应为高校或科研院所" in text and "企业一方应为企业" in text
    assert "请填写合作内容" in text and "合作期限不能早于签订日期" in text
    outsider = post_json(office, "/api/v1/operations/industry-education-agreements", {
        "university": people["university_user"].organization_id, "enterprise": enterprises[1].pk,
        "cluster": cluster["id"], "subject": "共建实验室", "signed_on": dt.date(2026, 3, 1).isoformat()})
    assert outsider.status_code == 422 and "不是集群“人工智能产业链专利集群”的成员企业" in json_text(outsider)
    assert not IndustryEducationAgreement.objects.exists()
