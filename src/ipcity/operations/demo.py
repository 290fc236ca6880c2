"""Synthetic operations-center records for the demo: the demo university's patents (marked 演示), its offers
(open licences among them), the demo enterprise's needs reviewed by the office, and one matchmaking that ended in
a licence, so the pages, the matches and the indicator show a center at work."""

import datetime as dt

from ipcity import clock
from ipcity.operations.navigation import navigation_complete, navigation_create, portfolio_create
from ipcity.operations.services import (
    deal_record,
    interest_advance,
    interest_express,
    need_create,
    need_review,
    offer_create,
)
from ipcity.stats.models import Patent
from ipcity.stats.services import import_batch_run, import_batch_start

UNIVERSITY_PATENTS = [  # number, type, title, abstract, ipc, field
    ("202210900001.1", "发明", "一种锂离子电池健康状态在线估计方法", "基于充放电曲线特征和深度学习估计电池容量衰减与剩余寿命",
     "H01M10/48;G01R31/367", "新能源"),
    ("202210900002.2", "发明", "基于视觉的焊缝缺陷自动检测方法", "采集焊缝图像，卷积神经网络识别气孔、裂纹和未熔合", "G06V10/82;B23K31/12",
     "智能制造"),
    ("202210900003.3", "发明", "一种高导热石墨烯复合散热材料及其制备方法", "石墨烯与氮化硼复合，用于电子器件散热",
     "C09K5/14;H01L23/373", "新材料"),
    ("202210900004.4", "发明", "一种黄芪多糖降血糖组合物", "黄芪多糖与桑叶提取物组合，改善胰岛素抵抗", "A61K36/481;A61P3/10",
     "生物医药"),
    ("202220900005.5", "实用新型", "一种充电桩风冷散热装置", "充电模块风道和防尘滤网结构", "B60L53/30", "新能源汽车"),
    ("202210900006.6", "发明", "一种面向中文合同文本的关键条款抽取方法", "预训练语言模型识别合同主体、金额和期限条款",
     "G06F40/30", "人工智能"),
]
NEEDS = [
    ("动力电池剩余寿命预测", "需要根据电池管理系统的充放电数据预测电池健康状态和剩余寿命，用于梯次利用分选", "新能源", "H01M"),
    ("焊接质量在线检测", "产线需要对焊缝图像进行实时缺陷识别，替代人工目检", "智能制造", "B23K"),
    ("服务器机柜高效散热", "数据中心机柜功率密度提高，需要新型导热材料降低芯片温度", "新材料", ""),
]



def _financing(users: dict) -> None:
    """A pledge loan the demo bank approved and registered, on the demo university's patents: universities pledge
    too, and the enterprise persona has no granted patents of its own in the demo."""
    from ipcity.operations.finance import financing_apply, financing_step

    with clock.on_day(dt.date(2025, 9, 1)):
        application = financing_apply(actor=users["university_user"], bank=users["finance_user"].organization,
                                      amount_requested=500, purpose="成果转化中试（演示）",
                                      patents=[UNIVERSITY_PATENTS[0][0], UNIVERSITY_PATENTS[2][0]])
    bank = users["finance_user"]
    with clock.on_day(dt.date(2025, 9, 20)):
        for action, extra in [("accept", {}), ("approve", {"approved_amount": 400})]:
            financing_step(actor=bank, application=application, action=action, **extra)
        financing_step(actor=bank, application=application, action="register", pledge_reference="Y2025-演示-0001",
                       registered_on=dt.date(2025, 9, 20))


CLUSTERS = [  # name, industry, IPC prefixes, SEI industry (of the demo's SEI table), layout, established
    ("人工智能产业链专利集群（演示）", "人工智能", ["G06N", "G06V", "G06F"], "",
     "围绕机器视觉和自然语言处理布局核心算法专利，推动PCT申请和标准必要专利培育（演示）", dt.date(2024, 5, 16)),
    ("生物医药产业链专利集群（演示）", "生物医药", ["A61K"], "生物产业",
     "以中药现代化和生物制药为重点，围绕创新药物、制剂工艺形成专利组合（演示）", dt.date(2025, 3, 28)),
    ("数字经济产业链专利集群（演示）", "数字经济", ["H04L", "G06Q"], "",
     "数据安全、区块链存证和数字内容平台的专利布局，衔接数据知识产权登记（演示）", dt.date(2026, 4, 10)),
]


def _clusters(users: dict) -> None:
    """Three clusters of the demo's registered enterprises (whose patents the demo registry holds) and industry–
    education agreements with the demo university, so key task 3 shows its figures from the registry."""
    from ipcity.accounts.models import Organization, OrgType
    from ipcity.operations.clusters import agreement_record, cluster_create

    office, university = users["office_admin"], users["university_user"].organization
    enterprises = list(Organization.objects.filter(org_type=OrgType.ENTERPRISE, is_synthetic=True).order_by("name"))
    made = []
    for number, (name, industry, prefixes, sei, notes, established) in enumerate(CLUSTERS):
        members = enterprises[number * 4:number * 4 + 4] or enterprises[:4]
        if not members:
            return
        with clock.on_day(established):
            made.append(cluster_create(actor=office, name=name, industry=industry, enterprises=members,
                                       ipc_prefixes=prefixes, sei_industry=sei, layout_notes=notes,
                                       established_on=established))
    for signed, cluster, member, subject in [
            (dt.date(2024, 9, 10), 0, 0, "共建机器视觉联合实验室，联合培养专业学位研究生（演示）"),
            (dt.date(2025, 4, 22), 1, 0, "中药制剂工艺联合攻关与实习基地建设（演示）"),
            (dt.date(2025, 11, 6), 0, 1, "人工智能专利导航人才联合培养（演示）"),
            (dt.date(2026, 5, 18), 2, 0, "数据安全课程共建与产业学院（演示）")]:
        with clock.on_day(signed):
            agreement_record(actor=office, university=university, enterprise=list(made[cluster].enterprises.all())[member],
                             cluster=made[cluster], subject=subject, signed_on=signed,
                             term_until=signed.replace(year=signed.year + 3))


def build_operations(*, users: dict, university_name: str) -> int:
    header = "申请号,申请日,专利类型,发明名称,摘要,专利权人,专利权人地址,IPC分类号,授权公告日\n"
    rows = "".join(f"{n},2022-03-01,{t},{title}（演示）,{abstract},{university_name},天津市南开区卫津路某号（虚构）,{ipc},"
                   f"2024-06-18\n" for n, t, title, abstract, ipc, _ in UNIVERSITY_PATENTS)
    batch = import_batch_start(kind="patents", filename="演示高校专利.csv", actor=None, note="演示数据")
    import_batch_run(batch=batch, data=(header + rows).encode())
    Patent.objects.filter(batch=batch).update(is_synthetic=True)
    university, enterprise, office = users["university_user"], users["enterprise_user"], users["office_admin"]
    offers = []
    with clock.on_day(dt.date(2025, 3, 10)):
        for (number, _, title, _, _, field), mode in zip(UNIVERSITY_PATENTS, ["open", "ordinary", "open", "transfer",
                                                                             "open", "ordinary"], strict=True):
            declaration = {"fee_method": "按年支付", "fee_standard": "每年2万元（演示）"} if mode == "open" else None
            offers.append(offer_create(actor=university, patent_number=number, mode=mode, price_terms="面议（演示）",
                                       field=field, maturity="中试", scenarios=f"{title}的产业化应用（演示）",
                                       declaration=declaration))
    needs = []
    with clock.on_day(dt.date(2025, 4, 2)):
        for title, problem, field, ipc in NEEDS:
            need = need_create(actor=enterprise, title=f"{title}（演示）", problem=problem, field=field, ipc=ipc,
                               deadline=dt.date(2027, 12, 31))
            need_review(actor=office, need=need, approve=True)
            needs.append(need)
    with clock.on_day(dt.date(2025, 4, 20)):
        interest = interest_express(actor=enterprise, offer=offers[0], need=needs[0], message="希望洽谈许可（演示）")
        interest_advance(actor=university, interest=interest, action="meet", meeting_on=dt.date(2025, 5, 8))
    with clock.on_day(dt.date(2025, 6, 30)):
        deal_record(actor=university, interest=interest, kind="open", amount=20000, contract_date=dt.date(2025, 6, 1),
                    recordal_date=dt.date(2025, 6, 20), term_until=dt.date(2028, 5, 31))
    _financing(users)
    _clusters(users)
    agency = users["agency_user"]
    with clock.on_day(dt.date(2025, 3, 1)):
        project = navigation_create(actor=office, kind="industry_planning", title="南开区新能源电池产业专利导航（演示）",
                                    undertaker=agency.organization, industry="新能源", started_on=dt.date(2025, 3, 1),
                                    scope_ipc="H01M,B60L", scope_keywords="电池,充电",
                                    deliverables="产业专利导航报告、重点企业专利布局建议（演示）")
    with clock.on_day(dt.date(2025, 12, 18)):
        navigation_complete(actor=office, project=project, completed_on=dt.date(2025, 12, 18))
    with clock.on_day(dt.date(2026, 4, 8)):
        navigation_create(actor=agency, kind="enterprise_operation", title="焊接检测企业专利微导航（演示）",
                          undertaker=agency.organization, client=enterprise.organization, industry="智能制造",
                          started_on=dt.date(2026, 4, 8), scope_ipc="B23K,G06V", scope_keywords="焊缝")
        portfolio_create(actor=university, name="动力电池健康管理专利组合（演示）", industry="新能源",
                         patent_numbers=[n for n, t, *_ in UNIVERSITY_PATENTS if t == "发明"],
                         milestones=[{"name": "完成专利布局规划（演示）", "due": "2026-06-30"},
                                     {"name": "完成PCT申请（演示）", "due": "2026-12-31"}])
    return len(offers)


def build_operation_centers(*, office) -> None:
    """One recognized operation center (the indicator's target is one by the end of the pilot)."""
    from ipcity.operations.centers import center_record

    with clock.on_day(dt.date(2026, 5, 20)):
        center_record(actor=office, name="南开区新一代信息技术产业知识产权运营中心（演示）", authority="天津市知识产权局",
                      recognized_on=dt.date(2026, 5, 20), industry="新一代信息技术",
                      document_number="津知局发〔2026〕演示-8号")
