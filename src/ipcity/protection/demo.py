"""Synthetic protection records for the demo: certified officers and their cases (one referred to the police),
mediations in the four channels, two drawn random inspections (the first with every result recorded and published,
one of them a case opened on the spot; the second with its results still being recorded), agency conduct records
(a talk, an order to rectify, a warning and a dishonesty measure shown in the directory), a dishonesty listing that
was repaired, rights-assistance requests, standardized markets and cooperation records — so every protection page
and indicator shows a district at work. Everything acts through the services on the day it happened."""

import datetime as dt
import random
from decimal import Decimal

from ipcity import clock
from ipcity.accounts.demo import demo_account
from ipcity.accounts.models import Organization, OrgType, User
from ipcity.accounts.roles import Role
from ipcity.protection.agency_conduct import conduct_record
from ipcity.protection.assistance import (
    CHECKLIST,
    assistance_request,
    assistance_step,
    cooperation_record,
    market_check,
    market_create,
    market_recognition_record,
)
from ipcity.protection.core.credit import Penalty
from ipcity.protection.credit import commitment_sign, listing_create, repair_apply, repair_decide
from ipcity.protection.enforcement import (
    case_assign,
    case_refer,
    case_register,
    case_step,
    certificate_record,
    referral_receipt,
)
from ipcity.protection.inspection_results import result_record
from ipcity.protection.inspections import (
    conflict_declare,
    plan_create,
    plan_draw,
    plan_publish,
    plan_results_publish,
    risk_set,
)
from ipcity.protection.mediation import mediation_apply, mediation_step
from ipcity.protection.models import EnforcementCase, MediationCase
from ipcity.protection.trade_secrets import assessment_submit

SUFFIX = "（演示）"
YEARS = (2025, 2026)
# Per year, roughly what a district of Nankai's size handles (the plan's targets are 5, 40 and 5 cases and
# 10, 40, 20 and 20 successful mediations).
CASES_PER_YEAR = {EnforcementCase.Kind.PATENT: 5, EnforcementCase.Kind.TRADEMARK: 36,
                  EnforcementCase.Kind.COPYRIGHT: 4, EnforcementCase.Kind.UNFAIR_COMPETITION: 3,
                  EnforcementCase.Kind.ECOMMERCE: 2}
MEDIATIONS_PER_YEAR = {MediationCase.Channel.ADMINISTRATIVE: 10, MediationCase.Channel.PEOPLE: 42,
                       MediationCase.Channel.ASSOCIATION: 20, MediationCase.Channel.WORKSTATION: 18}
CERTIFIED_OFFICERS = 21
FACTS = {
    EnforcementCase.Kind.PATENT: ("在产品宣传册上标注已失效的专利号", "假冒专利"),
    EnforcementCase.Kind.TRADEMARK: ("销售假冒注册商标的白酒", "销售侵犯注册商标专用权的服装", "在门头招牌上使用近似商标"),
    EnforcementCase.Kind.COPYRIGHT: ("网店销售盗版图书", "未经许可复制发行教辅软件"),
    EnforcementCase.Kind.UNFAIR_COMPETITION: ("擅自使用他人有一定影响的商品包装装潢", "离职员工披露前雇主客户名单"),
    EnforcementCase.Kind.ECOMMERCE: ("电商平台店铺销售仿冒品牌耳机",),
}
RIGHT_TYPES = ("patent", "trademark", "copyright")


def _user(username: str, organization: Organization, role: str, full_name: str) -> User:
    return demo_account(username=username, organization=organization, role=role, full_name=full_name)


def _scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def build_protection(*, users: dict, seed: int, scale: float = 1.0) -> int:
    """`scale` shrinks the volumes (tests use a small demo). Returns how many records were made."""
    rng = random.Random(seed)
    today = clock.today()
    office = users["office_admin"]
    enterprises = list(Organization.objects.filter(org_type=OrgType.ENTERPRISE, is_synthetic=True).order_by("pk"))
    officers = _officers(users, office)
    made = _cases(officers, _culture_officers(office), rng, today, scale)
    made += _mediations(users, enterprises, rng, today, scale)
    made += _inspection(office, officers, enterprises, rng)
    made += _agency_conduct(office, today)
    made += _credit(office, enterprises)
    made += _assistance_and_markets(users, office, officers)
    with clock.on_day(dt.date(2026, 5, 12)):
        assessment_submit(actor=users["enterprise_user"], answers={
            "inventory": True, "marking": True, "access": True, "it": False, "agreements": True, "non_compete": False,
            "departure": True, "training": False, "evidence": True})
    return made + 1


def _officers(users: dict, office: User) -> list[User]:
    """The market supervision bureau's officers: the persona and colleagues, most with a valid certificate."""
    bureau = users["officer_user"].organization
    officers = [users["officer_user"]] + [_user(f"officer_{n:02d}", bureau, Role.ENFORCEMENT_OFFICER,
                                                f"执法人员{n:02d}{SUFFIX}") for n in range(1, 24)]
    for number, officer in enumerate(officers[:CERTIFIED_OFFICERS], start=1):
        issued = dt.date(2022 + number % 3, 3, 1)
        with clock.on_day(issued):
            certificate_record(actor=office, officer=officer, number=f"津执法-演示-{number:03d}", issued_on=issued,
                               valid_until=issued.replace(year=issued.year + 6) - dt.timedelta(days=1))
    return officers


def _culture_officers(office: User) -> list[User]:
    """区文化和旅游局's culture market officers, who handle the copyright cases (their certificates are not patent
    enforcement certificates, so the certified patent officers' indicator does not count them)."""
    culture = Organization.objects.get(code="culture_tourism")
    officers = [_user(f"culture_officer_{n}", culture, Role.ENFORCEMENT_OFFICER, f"文化执法人员{n}{SUFFIX}")
                for n in range(1, 4)]
    for number, officer in enumerate(officers, start=1):
        with clock.on_day(dt.date(2023, 6, 1)):
            certificate_record(actor=office, officer=officer, number=f"津文执-演示-{number:03d}",
                               issued_on=dt.date(2023, 6, 1), valid_until=dt.date(2029, 5, 31), field="other")
    return officers


def _cases(officers: list[User], culture_officers: list[User], rng: random.Random, today: dt.date,
           scale: float) -> int:
    """Each kind's cases, registered by the unit that handles it: copyright cases by 区文化和旅游局's officers."""
    made = 0
    referred = False
    for year in YEARS:
        for kind, count in CASES_PER_YEAR.items():
            for _ in range(_scaled(count, scale)):
                received = dt.date(year, 1, 5) + dt.timedelta(days=rng.randrange(0, 300))
                if received > today:
                    continue
                lead, second = rng.sample(culture_officers if kind == EnforcementCase.Kind.COPYRIGHT
                                          else officers[:CERTIFIED_OFFICERS], 2)
                with clock.on_day(received):
                    case = case_register(actor=lead, kind=kind, source=rng.choice(EnforcementCase.Source.values),
                                         party=f"{rng.choice('张王李赵刘陈杨黄')}某经营部{SUFFIX}",
                                         facts=rng.choice(FACTS[kind]), received_on=received)
                    case_assign(actor=lead, case=case, officers=[lead, second])
                made += 1
                if not referred and kind == EnforcementCase.Kind.TRADEMARK:
                    referred = _walk_referral(case, lead, received, today)
                else:
                    _walk_penalty(case, lead, received, today, rng)
    return made


def _steps(case, actor, received: dt.date, steps: list[tuple[str, int, dict]], today: dt.date):
    """Take each (action, days after intake, arguments) step on its day, stopping at today; the case as it ends."""
    for action, offset, extra in steps:
        day = received + dt.timedelta(days=offset)
        if day > today:
            break
        with clock.on_day(day):
            case = case_step(actor=actor, case=case, action=action, day=day, **extra)
    return case


def _walk_penalty(case, officer, received: dt.date, today: dt.date, rng: random.Random) -> None:
    fine = Decimal(rng.randrange(5, 200) * 1000)
    _steps(case, officer, received, [
        ("file", 6, {}), ("investigate", 8, {}), ("notify", 35, {"note": "送达行政处罚告知书"}),
        ("decide", 50, {"decision_number": f"{'津南文旅罚' if case.kind == EnforcementCase.Kind.COPYRIGHT else '津南市监处'}"
                                           f"〔{received.year}〕{case.pk}号", "fine": fine}),
        ("execute", 55, {}), ("close", 70, {"note": "罚没款已缴清"}),
    ], today)


def _walk_referral(case, officer, received: dt.date, today: dt.date) -> bool:
    """行刑衔接: filed, investigated, referred to the police with its receipt, then closed."""
    referred_on, receipt_on = received + dt.timedelta(days=20), received + dt.timedelta(days=24)
    if received + dt.timedelta(days=30) > today:
        return False
    case = _steps(case, officer, received, [("file", 5, {}), ("investigate", 7, {})], today)
    with clock.on_day(referred_on):
        case_refer(actor=officer, case=case, police="天津市公安局南开分局", referred_on=referred_on,
                   reason="涉案金额超过五万元，涉嫌销售假冒注册商标的商品罪（演示）")
    with clock.on_day(receipt_on):
        referral_receipt(actor=officer, case=case, receipt_number=f"南公受字〔{received.year}〕演示-1",
                         receipt_on=receipt_on)
    _steps(case, officer, received, [("close", 30, {"note": "已移送公安机关并收到回执"})], today)
    return True


def _mediations(users: dict, enterprises: list[Organization], rng: random.Random, today: dt.date,
                scale: float) -> int:
    bodies = _mediation_bodies(users)
    applicants = [users["enterprise_user"]] + [
        _user(f"enterprise_{n:02d}", org, Role.ENTERPRISE_USER, f"企业联系人{n:02d}{SUFFIX}")
        for n, org in enumerate(enterprises[1:7], start=1)]
    made = 0
    for year in YEARS:
        for channel, count in MEDIATIONS_PER_YEAR.items():
            body, mediator = bodies[channel]
            for _ in range(_scaled(count, scale)):
                applied = dt.date(year, 1, 10) + dt.timedelta(days=rng.randrange(0, 300))
                if applied > today:
                    continue
                with clock.on_day(applied):
                    case = mediation_apply(actor=rng.choice(applicants), channel=channel, body=body,
                                           respondent=f"{rng.choice('张王李赵刘陈杨黄')}某商行{SUFFIX}",
                                           right_type=rng.choice(RIGHT_TYPES), claim="停止侵权并赔偿损失（演示）")
                made += 1
                _walk_mediation(case, mediator, applied, today, rng)
    return made


def _mediation_bodies(users: dict) -> dict[str, tuple[Organization, User]]:
    """Each channel's body with a mediator: the bureau (administrative), the committee (the persona), the
    association's mediation centre and a rights-protection workstation."""
    committee = users["mediator_user"]
    association = Organization.objects.get(name="南开区知识产权保护协会调解中心" + SUFFIX)
    workstation = Organization.objects.get(name="南开区知识产权维权工作站" + SUFFIX)
    bureau = users["officer_user"].organization
    return {
        MediationCase.Channel.ADMINISTRATIVE: (bureau, _user("mediator_bureau", bureau, Role.MEDIATOR,
                                                             f"行政调解员{SUFFIX}")),
        MediationCase.Channel.PEOPLE: (committee.organization, committee),
        MediationCase.Channel.ASSOCIATION: (association, _user("mediator_association", association, Role.MEDIATOR,
                                                               f"协会调解员{SUFFIX}")),
        MediationCase.Channel.WORKSTATION: (workstation, _user("mediator_workstation", workstation, Role.MEDIATOR,
                                                               f"工作站调解员{SUFFIX}")),
    }


def _walk_mediation(case, mediator: User, applied: dt.date, today: dt.date, rng: random.Random) -> None:
    """Accepted, one or two sessions, mostly an agreement (some fail); administrative agreements go to court."""
    steps = [("accept", 2, {}), ("session", 9, {"text": "双方陈述意见，调解员释明法律规定（演示）"})]
    if rng.random() < 0.85:
        steps.append(("agree", 18, {"text": "被申请人停止销售并赔偿损失（演示）"}))
        if case.channel == MediationCase.Channel.ADMINISTRATIVE:
            steps += [("request_confirmation", 21, {"court": "天津市南开区人民法院"}), ("confirmed", 35, {})]
    else:
        steps.append(("fail", 25, {"text": "双方未能达成一致，告知其可诉讼解决（演示）"}))
    for action, offset, extra in steps:
        day = applied + dt.timedelta(days=offset)
        if day > today:
            return
        with clock.on_day(day):
            mediation_step(actor=mediator, case=case, action=action, day=day, **extra)


def _inspection(office: User, officers: list[User], enterprises: list[Organization], rng: random.Random) -> int:
    """Risk ratings, a conflict of interest, and a plan published (seeded by the evidence log's checkpoint) then
    drawn: the public page can redo it."""
    with clock.on_day(dt.date(2026, 3, 2)):
        for organization in rng.sample(enterprises, 12):
            level = rng.choice(["high", "medium", "medium", "low"])
            risk_set(actor=office, organization=organization, level=level, reason="根据投诉举报和处罚记录评定（演示）")
        conflict_declare(actor=officers[1], organization=enterprises[3], reason="近亲属在该企业任职（演示）")
        plan = plan_create(actor=office, code="2026-q2-ip", title="2026年第二季度知识产权领域双随机抽查（演示）",
                           quotas={"high": 2, "medium": 3, "low": 5})
    with clock.on_day(dt.date(2026, 3, 16)):
        plan_publish(actor=office, plan=plan)
    with clock.on_day(dt.date(2026, 3, 18)):
        plan_draw(actor=office, plan=plan)
    made = 1 + _inspection_results(office, plan, dt.date(2026, 3, 24), case_at=2, case_officers=officers[:2])
    publish_on = dt.date(2026, 4, 20)
    if publish_on <= clock.today():
        with clock.on_day(publish_on):
            plan_results_publish(actor=office, plan=plan)
    # A second quarter's plan, drawn and still being inspected: two subjects have no result yet.
    if dt.date(2026, 7, 8) <= clock.today():
        with clock.on_day(dt.date(2026, 6, 29)):
            later = plan_create(actor=office, code="2026-q3-ip", title="2026年第三季度知识产权领域双随机抽查（演示）",
                                quotas={"high": 1, "medium": 2, "low": 4})
        with clock.on_day(dt.date(2026, 7, 6)):
            plan_publish(actor=office, plan=later)
        with clock.on_day(dt.date(2026, 7, 8)):
            plan_draw(actor=office, plan=later)
        made += 1 + _inspection_results(office, later, dt.date(2026, 7, 14), leave_open=2)
    return made


OUTCOMES = ("no_problem", "no_problem", "problem", "no_problem", "rectify", "no_problem", "no_problem")
DESCRIPTIONS = {
    "no_problem": "现场核查专利标识、商标使用和进货查验台账，未发现违法行为（演示）",
    "problem": "部分商品专利标识未标明专利类型，已当场指导更正（演示）",
    "rectify": "门店招牌使用与他人注册商标近似的标识，责令限期整改（演示）",
    "case_filed": "发现销售涉嫌假冒注册商标的商品，当场登记立案查处（演示）",
}


def _inspection_results(office: User, plan, first_day: dt.date, *, case_at: int | None = None,
                        case_officers: list[User] = (), leave_open: int = 0) -> int:
    """Each drawn subject's result, recorded by its first drawn inspector a few days apart; at `case_at` a trademark
    case is opened on the spot by `case_officers` (the market regulator's: whom the draw picks depends on the
    database's ids, the demo must not) and the office records the result naming it."""
    subjects = plan.results["subjects"]
    names = {c["key"]: c["name"] for c in plan.candidates}
    made = 0
    for n, key in enumerate(subjects[:max(0, len(subjects) - leave_open)]):
        day = first_day + dt.timedelta(days=2 * n)
        if day > clock.today():
            break
        inspectors = [User.objects.get(pk=int(k.split("-")[1])) for k in plan.results["inspectors"][key]]
        recorder, outcome, case = (inspectors[0] if inspectors else office), OUTCOMES[n % len(OUTCOMES)], None
        with clock.on_day(day):
            if n == case_at:
                outcome, lead, recorder = "case_filed", case_officers[0], office
                case = case_register(actor=lead, kind=EnforcementCase.Kind.TRADEMARK,
                                     source=EnforcementCase.Source.INSPECTION, party=names[key],
                                     facts="双随机抽查中发现销售涉嫌假冒注册商标的商品（演示）", received_on=day)
                case_assign(actor=lead, case=case, officers=case_officers)
                case = case_step(actor=lead, case=case, action="file", day=day)
            result_record(actor=recorder, plan=plan, subject=key, outcome=outcome, description=DESCRIPTIONS[outcome],
                          inspected_on=day, case_id=case.pk if case else None)
        made += 1
    return made


def _agency_conduct(office: User, today: dt.date) -> int:
    """规范代理执业: an inspection that found nothing, a talk, an order to rectify, and a warning and a dishonesty
    measure that the office shows in the agency directory (the dishonesty measure is on the credit list too)."""
    agencies = list(Organization.objects.filter(org_type=OrgType.SERVICE_AGENCY, is_synthetic=True).order_by("pk"))
    if len(agencies) < 8:
        return 0
    records = [
        (agencies[2], "inspection", dt.date(2025, 5, 20), "执业检查：委托合同、收费公示和代理师执业信息规范（演示）",
         "none", "", "", None, False),
        (agencies[4], "complaint", dt.date(2025, 9, 12), "投诉核查：未经委托人同意将代理业务转委托他人（演示）",
         "talk", "《专利代理条例》第十七条", "津南知约〔2025〕演示-3号", None, False),
        (agencies[5], "monitoring", dt.date(2026, 4, 8), "日常监测：以“包授权”“不授权退款”为宣传招揽专利代理业务（演示）",
         "warning", "《专利代理管理办法》第四十条", "津南知警〔2026〕演示-1号", dt.date(2027, 4, 7), True),
        (agencies[7], "inspection", dt.date(2026, 8, 18), "执业检查：代理非正常专利申请并伪造委托材料，经处罚后拒不改正（演示）",
         "dishonest", "《国家知识产权局知识产权信用管理规定》", "津南知信〔2026〕演示-2号", dt.date(2029, 8, 17), True),
        (agencies[3], "inspection", dt.date(2026, 10, 20), "执业检查：未在经营场所公示商标代理服务收费标准（演示）",
         "rectify", "《商标代理监督管理规定》", "津南知改〔2026〕演示-5号", dt.date(2026, 11, 30), False),
    ]
    made = 0
    for agency, source, day, finding, measure, basis, number, valid_until, publish in records:
        if day > today:
            continue
        with clock.on_day(day):
            conduct_record(actor=office, agency=agency, source=source, occurred_on=day, finding=finding,
                           measure=measure, basis=basis, document_number=number, valid_until=valid_until,
                           publish_in_directory=publish)
        made += 1
    return made


def _credit(office: User, enterprises: list[Organization]) -> int:
    """An enterprise listed for repeat infringement in 2024 that committed and was repaired; another still listed."""
    repaired, listed = enterprises[8], enterprises[9]
    member = _user("enterprise_credit", repaired, Role.ENTERPRISE_USER, f"信用修复联系人{SUFFIX}")
    with clock.on_day(dt.date(2024, 11, 4)):
        first = listing_create(actor=office, organization=repaired, listed_on=dt.date(2024, 11, 4), penalties=[
            Penalty("津南市监处〔2023〕演示-7号", dt.date(2023, 6, 1), True, False, False),
            Penalty("津南市监处〔2024〕演示-3号", dt.date(2024, 9, 20), True, False, False)])
    with clock.on_day(dt.date(2025, 1, 6)):
        commitment_sign(actor=member, text="严格遵守知识产权法律法规，不再销售侵权商品（演示）", signed_on=dt.date(2025, 1, 6))
    with clock.on_day(dt.date(2025, 11, 10)):
        repair_apply(actor=member, listing=first, statement="罚款已缴清，已建立进货查验制度（演示）")
    with clock.on_day(dt.date(2025, 11, 24)):
        repair_decide(actor=office, listing=first, grant=True, penalties_fulfilled=True, new_violations=False,
                      note="经核查符合修复条件（演示）")
    with clock.on_day(dt.date(2026, 6, 15)):
        listing_create(actor=office, organization=listed, listed_on=dt.date(2026, 6, 15), penalties=[
            Penalty("津南市监处〔2026〕演示-21号", dt.date(2026, 5, 28), True, True, False)])
    return 2


def _assistance_and_markets(users: dict, office: User, officers: list[User]) -> int:
    enterprise = users["enterprise_user"]
    with clock.on_day(dt.date(2026, 4, 9)):
        overseas = assistance_request(actor=enterprise, topic="德国展会被诉外观设计侵权（演示）", overseas=True, country="德国",
                                      description="参展时收到临时禁令，需要海外应诉指导（演示）")
        assistance_step(actor=office, request=overseas, action="triage", category="海外展会")
    with clock.on_day(dt.date(2026, 4, 10)):
        assistance_step(actor=office, request=overseas, action="guide", text="建议委托当地律师提出异议，准备设计在先证据（演示）")
        assistance_step(actor=office, request=overseas, action="refer", text="转天津市知识产权保护中心海外纠纷应对指导（演示）")
    with clock.on_day(dt.date(2026, 9, 3)):
        assistance_request(actor=enterprise, topic="电商平台出现仿冒产品（演示）", description="多家网店销售仿冒我司传感器（演示）")
    markets = [("南开大悦城（演示）", "city", dt.date(2024, 10, 15)), ("鞍山西道科技市场（演示）", "city", dt.date(2025, 6, 20)),
               ("天津古文化街（演示）", "city", dt.date(2025, 11, 5)), ("南开商业步行街（演示）", "city", dt.date(2026, 7, 1)),
               ("长虹生态园商圈（演示）", "national", None)]
    for number, (name, level, approved) in enumerate(markets, start=1):
        with clock.on_day(dt.date(2024, 6, 3)):
            market = market_create(actor=office, name=name, level=level)
        if approved is None:
            with clock.on_day(dt.date(2026, 9, 1)):
                market_check(actor=office, market=market, items=dict.fromkeys(list(CHECKLIST)[:5], True))
            continue
        with clock.on_day(approved):
            market_check(actor=office, market=market, items=dict.fromkeys(CHECKLIST, True))
            market_recognition_record(actor=office, market=market, authority="天津市知识产权局",
                                      document_number=f"津知保〔{approved.year}〕演示{number}号", recognized_on=approved)
    bureau = users["officer_user"].organization
    culture = Organization.objects.get(code="culture_tourism")
    with clock.on_day(dt.date(2025, 3, 20)):
        cooperation_record(actor=office, kind="regional", title="京津冀商标和地理标志保护协作（演示）",
                           partners="北京市朝阳区、河北省廊坊市市场监管部门", started_on=dt.date(2025, 3, 20),
                           summary="线索互通、执法互助、结果互认（演示）")
    with clock.on_day(dt.date(2025, 9, 30)):
        cases = list(EnforcementCase.objects.filter(kind=EnforcementCase.Kind.TRADEMARK).order_by("pk")[:3])
        cooperation_record(actor=office, kind="joint_operation", title="“铁拳”行动南开专项（演示）",
                           partners="区市场监管局、区文化和旅游局", started_on=dt.date(2025, 9, 1),
                           ended_on=dt.date(2025, 9, 30), units=[bureau, culture],
                           cases=cases, summary="检查商户 120 家，立案 3 件（演示）")
    return len(markets) + 4
