"""Synthetic services records for the demo: a catalogue of IP service items with complete guides (all marked 演示),
applications in every state with ratings, and a year and a half of trainings with their sign-in lists."""

import datetime as dt
import random
from decimal import Decimal

from ipcity import clock
from ipcity.accounts.demo import demo_account
from ipcity.accounts.models import Organization, OrgType
from ipcity.accounts.permissions import users_with_perm
from ipcity.accounts.roles import Perm, Role
from ipcity.services.agencies import (
    agency_rate,
    brand_designate,
    cluster_join,
    cluster_leave,
    custody_answer,
    custody_record,
    profile_save,
)
from ipcity.services.applications import application_rate, application_step, application_submit
from ipcity.services.catalogue import item_create
from ipcity.services.certification import certification_record, guidance_advance, guidance_start, years_later
from ipcity.services.culture import (
    demonstration_decide,
    demonstration_nominate,
    event_record,
    school_add,
    talent_record,
)
from ipcity.services.experts import assignment_close, conflict_add, consent_set, expert_add, expert_assign
from ipcity.services.models import Policy, ServiceApplication
from ipcity.services.training import (
    attendees_import,
    audiences_set,
    registration_step,
    sign_in_close,
    training_create,
    training_register,
)

CONTACT = {"place": "南开区政务服务中心知识产权窗口（演示）", "hours": "工作日 9:00—12:00，13:30—17:00",
           "phone": "022-0000-0000（演示）", "complaint": "12345 政务服务便民热线；区市场监管局监督电话（演示）"}
# code, name, type, legal basis, materials, steps, accept days, decide days
ITEMS = [
    ("NK-ZSCQ-001", "专利侵权纠纷行政裁决", "administrative_ruling",
     ["《中华人民共和国专利法》第六十五条", "《专利纠纷行政裁决办案指南》"],
     ["行政裁决请求书", "专利权有效证明", "被请求人主体资格证明", "侵权证据材料"],
     [("立案审查", 5), ("答辩与口头审理", 40), ("作出裁决", 15)], 5, 60),
    ("NK-ZSCQ-002", "知识产权维权援助申请", "public_service",
     ["《中华人民共和国专利法》", "《中华人民共和国商标法》"],
     ["维权援助申请表", "权利证明", "纠纷情况说明"], [("受理", 3), ("提供援助意见", 10)], 3, 10),
    ("NK-ZSCQ-003", "专利权质押融资推荐", "public_service",
     ["《中华人民共和国民法典》第四百四十条", "《专利权质押登记办法》"],
     ["融资需求申请表", "专利证书复印件", "企业近一年财务报表"], [("受理", 3), ("对接银行", 10), ("反馈结果", 2)], 3, 12),
    ("NK-ZSCQ-004", "知识产权资助资金申报（演示）", "public_service",
     ["南开区知识产权资助办法（演示，以正式文件为准）"],
     ["资助申请表", "专利证书或商标注册证复印件", "营业执照复印件"], [("受理", 5), ("审核", 15), ("公示拨付", 5)], 5, 20),
    ("NK-ZSCQ-005", "地理标志和商标品牌培育指导", "public_service",
     ["《中华人民共和国商标法》", "《地理标志产品保护办法》"],
     ["指导需求表"], [("受理", 3), ("上门指导", 15)], 3, 15),
    ("NK-ZSCQ-006", "知识产权保护规范化市场创建指导", "public_service",
     ["《知识产权强国建设纲要（2021—2035年）》"],
     ["创建申请表", "市场管理制度", "经营者名录"], [("受理", 5), ("评估指导", 20)], 5, 20),
]
TRAININGS = [  # title, audience
    ("专利侵权判定与执法实务", "officers"), ("高价值专利培育与布局", "enterprises"), ("商标品牌建设与保护", "enterprises"),
    ("专利导航方法与应用", "agencies"), ("科技成果转化与开放许可", "universities"), ("海外知识产权纠纷应对", "enterprises"),
    ("知识产权质押融资政策解读", "enterprises"), ("商业秘密保护实务", "enterprises"), ("知识产权领导干部专题讲座", "civil_servants"),
    ("数据知识产权与存证", "enterprises"), ("地理标志保护与运用", "public"), ("专利代理执业规范", "agencies"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚"


def _roster(rng: random.Random, count: int, prefix: int) -> bytes:
    lines = ["姓名,单位,手机号"]
    for n in range(count):
        phone = f"13{prefix % 10}{prefix % 10000:04d}{n:04d}"  # fictional, unique within the session
        lines.append(f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(GIVEN)},南开区某单位（演示）,{phone}")
    return "\n".join(lines).encode()


def build_services(*, users: dict, seed: int, scale: float = 1.0) -> int:
    rng = random.Random(seed)
    today = clock.today()
    office = users["office_admin"]
    bureau = users["officer_user"].organization
    items = []
    with clock.on_day(dt.date(2024, 3, 1)):
        for code, name, item_type, basis, materials, steps, accept_days, decide_days in ITEMS:
            guide = {"legal_basis": basis, "conditions": "在南开区注册的企业、高校院所及其他组织（演示）",
                     "materials": [{"name": m, "copies": 1, "required": True, "note": ""} for m in materials],
                     "steps": [{"name": s, "days": d} for s, d in steps], "accept_days": accept_days,
                     "decide_days": decide_days, "fees": "不收费",
                     "faqs": [{"q": "可以只在网上提交吗？", "a": "可以。材料齐全的，无需到窗口提交纸质材料（演示）。"}], **CONTACT}
            items.append(item_create(actor=office, code=code, name=name, item_type=item_type, unit=bureau,
                                     guide=guide))
    made = len(items) + _applications(users, items, rng, today, scale)
    made += _agencies_and_custody(users, rng, today, scale)
    made += _experts(users, rng)
    made += _certifications(users, rng, today)
    made += _culture(users, rng, today)
    made += _policies(users, rng, today)
    made += _culture_resources(users, today)
    made += _trainings(users, rng, today, scale)
    return made + _registrations(users, today)


class _Material:
    """A small PDF standing in for an applicant's scanned material."""

    def __init__(self, name: str, seed: int):
        self.name = name
        self._data = b"%PDF-1.4\n% synthetic demo material " + str(seed).encode() + b"\n%%EOF\n"

    def chunks(self):
        yield self._data


def _applications(users: dict, items: list, rng: random.Random, today: dt.date, scale: float) -> int:
    applicants = [users["enterprise_user"], users["university_user"], users["agency_user"]]
    handler = users["scjgj_staff"]  # the market supervision bureau implements the items
    count = max(4, round(30 * scale))
    for n in range(count):
        submitted = dt.date(2025, 2, 3) + dt.timedelta(days=rng.randrange(0, max(1, (today - dt.date(2025, 2, 3)).days)))
        applicant = applicants[n % len(applicants)]
        item = rng.choice(items)
        with clock.on_day(submitted):
            application = application_submit(actor=applicant, item=item, description=f"{item.name}申请（演示）",
                                             files=[_Material("申请材料（演示）.pdf", n)])
        _walk(application, applicant, handler, submitted, today, rng)
    return count


def _walk(application, applicant, handler, submitted: dt.date, today: dt.date, rng: random.Random) -> None:
    """Most are accepted and approved on time; some need a supplement, a few are refused, recent ones are open."""
    plan = []
    if rng.random() < 0.25:
        plan += [(handler, "supplement", 1, "请补充加盖公章的申请表（演示）"), (applicant, "resubmit", 4, "已补充（演示）")]
    roll = rng.random()
    if roll < 0.08:
        plan.append((handler, "not_accept", 6, "不属于本事项受理范围（演示）"))
    else:
        plan += [(handler, "accept", 6, ""), (handler, "refuse" if roll < 0.15 else "approve", 6 + rng.randrange(3, 20),
                                                "经审查作出决定（演示）")]
    for actor, action, offset, note in plan:
        day = submitted + dt.timedelta(days=offset)
        if day > today:
            return
        files = [_Material("补正材料（演示）.pdf", offset)] if action == "resubmit" else []
        with clock.on_day(day):
            application = application_step(actor=actor, application=application, action=action, note=note,
                                           files=files)
    if application.state in (ServiceApplication.State.APPROVED, ServiceApplication.State.REFUSED,
                             ServiceApplication.State.NOT_ACCEPTED) and rng.random() < 0.8:
        good = application.state == ServiceApplication.State.APPROVED
        rating = rng.choice([5, 5, 4]) if good else rng.choice([3, 2])
        with clock.on_day(min(today, application.decided_on + dt.timedelta(days=2))):
            application_rate(actor=applicant, application=application, rating=rating,
                             comment="" if rating > 2 else "希望提前告知受理范围（演示）")


def _trainings(users: dict, rng: random.Random, today: dt.date, scale: float) -> int:
    """About one session a month since 2025, each with its imported sign-in list. The office records which audiences
    are the plan's 相关人员 before the first session."""
    organizers = [users["office_admin"], users["scjgj_staff"]]
    with clock.on_day(dt.date(2025, 1, 6)):
        audiences_set(actor=users["office_admin"], counted=["enterprises", "officers", "agencies", "universities",
                                                             "civil_servants"],
                      reason="方案“针对相关人员开展知识产权专业培训”：执法人员、党政干部及企业、高校院所、服务机构的知识产权"
                             "从业人员计入；面向社会公众的培训属于宣传活动，不计入（演示）")
    made = 0
    for year, months in ((2025, range(1, 13)), (2026, range(1, 13))):
        for month in months:
            held = dt.date(year, month, rng.randrange(8, 26))
            if held > today or (scale < 1 and made >= 3):
                continue
            title, audience = TRAININGS[(month - 1) % len(TRAININGS)]
            organizer = organizers[month % len(organizers)]
            with clock.on_day(held - dt.timedelta(days=14)):
                training = training_create(actor=organizer, title=f"{title}（演示）", audience=audience, held_on=held,
                                           hours=Decimal(rng.choice([2, 3, 4])), place="南开区知识产权服务中心报告厅（演示）")
            with clock.on_day(held):
                attendees_import(actor=organizer, training=training, filename="签到表.csv",
                                 data=_roster(rng, max(5, round(rng.randrange(55, 95) * scale)), training.pk))
                sign_in_close(actor=organizer, training=training)
            made += 1
    return made



def _registrations(users: dict, today: dt.date) -> int:
    """Pre-registration at work: a past session whose registered people the organizer marked as they came, and an
    upcoming one taking registrations (one of them cancelled)."""
    organizer = users["scjgj_staff"]
    people = [users[name] for name in ("officer_user", "enterprise_user", "university_user", "agency_user")]
    held = today - dt.timedelta(days=30)
    with clock.on_day(held - dt.timedelta(days=20)):
        past = training_create(actor=organizer, title="商标侵权判断标准专题培训（演示）", audience="officers",
                               held_on=held, hours=Decimal(3), place="区市场监管局三楼会议室（演示）", capacity=20,
                               registration_deadline=held - dt.timedelta(days=3))
    with clock.on_day(held - dt.timedelta(days=10)):
        registered = [training_register(actor=person, training=past, phone=person.phone) for person in people[:3]]
    with clock.on_day(held):
        for registration in registered[:2]:
            registration_step(actor=organizer, registration=registration, action="attend")
        sign_in_close(actor=organizer, training=past)
    coming = today + dt.timedelta(days=20)
    with clock.on_day(today - dt.timedelta(days=2)):
        upcoming = training_create(actor=organizer, title="知识产权行政执法能力提升培训（演示）", audience="officers",
                                   held_on=coming, hours=Decimal(4), place="南开区知识产权服务中心报告厅（演示）",
                                   capacity=40, registration_deadline=coming - dt.timedelta(days=6))
    with clock.on_day(today):
        for person in people:
            registration = training_register(actor=person, training=upcoming, phone=person.phone)
        registration_step(actor=people[-1], registration=registration, action="cancel")
    return 2


# Key task 4's culture work: category, name, holder organization (enterprise index or None), named holder,
# protection status, source, days after 2025-01-01
RESOURCES = [
    ("folk_art", "南开传统剪纸技艺（演示）", None, "李某某（区级代表性传承人，演示）", "protected", "区级非物质文化遗产名录（演示）", 40),
    ("folk_art", "老城厢民间曲艺（演示）", None, "南开曲艺传习社（演示）", "registered", "民间文艺资源普查（演示）", 120),
    ("traditional_knowledge", "传统清真糕点制作技艺（演示）", 0, "", "protected", "老字号企业申报（演示）", 200),
    ("traditional_knowledge", "津味酱菜传统工艺（演示）", 1, "", "archived", "民间文艺资源普查（演示）", 380),
    ("genetic_resource", "南开本地月季传统品种资源（演示）", None, "水上公园园艺队（演示）", "archived", "遗传资源调查（演示）", 450),
]
PRODUCTS = [  # kind, name, owner (enterprise index or None), named owner, brand, days after 2025-01-01
    ("product", "南开老城文创礼盒（演示）", 0, "", "南开礼物（演示）", 90),
    ("activity_brand", "南开知识产权文化周（演示）", None, "区委宣传部（演示）", "知产南开（演示）", 115),
    ("landmark", "古文化街知识产权文化长廊（演示）", None, "南开区文化和旅游局（演示）", "", 300),
    ("product", "津门非遗剪纸文具系列（演示）", 1, "", "剪影津门（演示）", 520),
]
TCM_PROJECTS = [  # name, undertaker, days after 2025-01-01, summary, knowledge (name, holder, status, source, days)
    ("南开区中医药传承创新发展示范试点：名老中医学术经验传承（演示）", "南开区中医医院（演示）", 60,
     "整理名老中医学术经验，建设传承工作室（演示）",
     [("名老中医膏方配伍经验（演示）", "王某某（名老中医，演示）", "archived", "传承工作室整理（演示）", 150),
      ("小儿推拿传统手法（演示）", "南开区中医医院推拿科（演示）", "protected", "中医药传统知识调查（演示）", 260)]),
    ("社区中医药适宜技术推广示范试点（演示）", "南开区某社区卫生服务中心（演示）", 330,
     "在社区推广中医药适宜技术，建立传统知识保护档案（演示）",
     [("传统艾灸疗法（演示）", "社区卫生服务中心中医科（演示）", "registered", "中医药传统知识调查（演示）", 400)]),
]


def _unit_user(code: str):
    from ipcity.accounts.models import Organization as Org

    return users_with_perm(Perm.CULTURE_RESOURCE_RECORD, organization=Org.objects.get(code=code)).order_by("pk").first()


def _culture_resources(users: dict, today: dt.date) -> int:
    """Task 4 beyond trademarks: 版权示范单位, cultural resources with their holders, 文创 products and brands, the TCM
    pilot projects with their knowledge records; recorded by the office or the responsible units (all 演示)."""
    from ipcity.services.culture_resources import (
        product_record,
        resource_record,
        tcm_knowledge_record,
        tcm_project_create,
    )

    office, unit = users["office_admin"], users["scjgj_staff"]
    culture = _unit_user("culture_tourism") or office
    health = _unit_user("health") or office
    enterprises = list(Organization.objects.filter(org_type=OrgType.ENTERPRISE, is_synthetic=True).order_by("pk"))[:2]
    start = dt.date(2025, 1, 1)
    with clock.on_day(dt.date(2025, 9, 15)):
        for name, kind, selected in (("海河数字出版有限公司（演示）", "enterprise", True),
                                     ("南开动漫创意产业园（演示）", "park", False)):
            nominated = demonstration_nominate(actor=unit, program="copyright", name=name, kind=kind, year=2025,
                                               reason="自主版权登记数量多、版权保护制度健全（演示）")
            demonstration_decide(actor=office, unit=nominated, selected=selected, note="版权示范单位评审意见（演示）")
    if dt.date(2026, 3, 2) <= today:
        with clock.on_day(dt.date(2026, 3, 2)):
            demonstration_nominate(actor=unit, program="copyright", name="津沽软件科技有限公司（演示）", kind="enterprise",
                                   year=2026, reason="软件著作权登记数量增长快（演示）")
    made = 3
    for category, name, org, holder, status, source, days in RESOURCES:
        day = start + dt.timedelta(days=days)
        if day > today:
            continue
        with clock.on_day(day):
            resource_record(actor=culture if days % 2 == 0 else office, category=category, name=name,
                            holder_organization=enterprises[org] if org is not None and org < len(enterprises) else None,
                            holder_name=holder or ("" if org is not None and org < len(enterprises) else "持有人（演示）"),
                            protection_status=status, source=source, recorded_on=day,
                            protected_since=day - dt.timedelta(days=30) if status != "archived" else None,
                            description=f"{name}的基本情况（演示）", is_synthetic=True)
        made += 1
    for kind, name, org, owner, brand, days in PRODUCTS:
        day = start + dt.timedelta(days=days)
        if day > today:
            continue
        with clock.on_day(day):
            product_record(actor=culture if days % 2 == 0 else office, kind=kind, name=name,
                           owner_organization=enterprises[org] if org is not None and org < len(enterprises) else None,
                           owner_name=owner or ("" if org is not None and org < len(enterprises) else "运营主体（演示）"),
                           brand=brand, launched_on=day, description=f"{name}（演示）", is_synthetic=True)
        made += 1
    for name, undertaker, days, summary, knowledge in TCM_PROJECTS:
        day = start + dt.timedelta(days=days)
        if day > today:
            continue
        with clock.on_day(day):
            project = tcm_project_create(actor=health, name=name, undertaker=undertaker, approved_on=day,
                                         summary=summary, is_synthetic=True)
        made += 1
        for item, holder, status, source, item_days in knowledge:
            recorded = start + dt.timedelta(days=item_days)
            if recorded > today:
                continue
            with clock.on_day(recorded):
                tcm_knowledge_record(actor=health, project=project, name=item, holder_name=holder,
                                     protection_status=status, source=source, recorded_on=recorded,
                                     is_synthetic=True)
            made += 1
    return made


def _agencies_and_custody(users: dict, rng: random.Random, today: dt.date, scale: float) -> int:
    """Every demo agency keeps an entry and most sit in the cluster; custody contracts cover some SMEs, confirmed
    by the enterprises (each enterprise signs in through a demo contact)."""
    office = users["office_admin"]
    agencies = list(Organization.objects.filter(org_type=OrgType.SERVICE_AGENCY, is_synthetic=True).order_by("pk"))
    staff = {users["agency_user"].organization_id: users["agency_user"]}
    for n, agency in enumerate(agencies):
        if agency.pk not in staff:
            staff[agency.pk] = demo_account(username=f"agency_{n:02d}", organization=agency, role=Role.AGENCY_USER,
                                            full_name=f"机构联系人{n:02d}（演示）")
        services = sorted(rng.sample(["patent_agency", "trademark_agency", "legal", "operation", "valuation",
                                      "consulting", "navigation", "certification_guidance"], 3) + ["custody"])
        attorneys = rng.randrange(1, 8) if "patent_agency" in services else 0
        with clock.on_day(dt.date(2024, 5, 6)):
            profile_save(actor=staff[agency.pk], services=services, staff=attorneys + rng.randrange(3, 20),
                         attorneys=attorneys, description=f"{agency.name}提供{len(services)}类知识产权服务（演示）",
                         qualifications=[{"name": "营业执照", "number": agency.credit_code, "valid_until": None}])
        joined = dt.date(2024, 6, 3) + dt.timedelta(days=rng.randrange(0, 600))
        if n < len(agencies) - 2 and joined <= today:
            with clock.on_day(joined):
                cluster_join(actor=office, agency=agency, place=f"南开区知识产权服务业聚集区{rng.choice('ABC')}座（演示）",
                             joined_on=joined)
            if n == 3 and joined + dt.timedelta(days=200) <= today:
                with clock.on_day(joined + dt.timedelta(days=200)):
                    cluster_leave(actor=office, agency=agency, left_on=joined + dt.timedelta(days=200))
    for year, picks in ((2024, agencies[:2]), (2025, agencies[1:4])):
        for agency in picks:
            with clock.on_day(dt.date(year, 12, 20)):
                brand_designate(actor=office, agency=agency, year=year, designated_on=dt.date(year, 12, 20),
                                reason="服务质量优、辐射带动作用强（演示）")
    enterprises = list(Organization.objects.filter(org_type=OrgType.ENTERPRISE, is_synthetic=True).order_by("pk"))
    contacts = {users["enterprise_user"].organization_id: users["enterprise_user"]}
    contacts.update({u.organization_id: u for u in users_with_perm(Perm.WORKSPACE_ENTERPRISE).filter(is_synthetic=True)})
    made = 0
    for n, enterprise in enumerate(enterprises[:round(len(enterprises) * 0.85) if scale >= 1 else 4]):
        contact = contacts.get(enterprise.pk) or demo_account(
            username=f"custody_client_{n:02d}", organization=enterprise, role=Role.ENTERPRISE_USER,
            full_name=f"企业联系人（演示）{n:02d}")
        contacts[enterprise.pk] = contact
        agency = agencies[n % len(agencies)]
        starts = dt.date(2024, 3, 1) + dt.timedelta(days=rng.randrange(0, 900))
        if starts > today:
            continue
        with clock.on_day(starts):
            contract = custody_record(actor=staff[agency.pk], enterprise=enterprise, starts_on=starts,
                                      ends_on=starts + dt.timedelta(days=364),
                                      enterprise_size=rng.choice(["small", "small", "micro", "medium"]),
                                      scope=sorted(rng.sample(["filing", "fees", "monitoring", "portfolio", "finance"], 2)))
        made += 1
        if rng.random() < 0.9 and starts + dt.timedelta(days=5) <= today:
            with clock.on_day(starts + dt.timedelta(days=5)):
                custody_answer(actor=contact, contract=contract, confirm=True)
                if rng.random() < 0.5:
                    agency_rate(actor=contact, agency=agency, rating=rng.choice([5, 4, 4, 3]))
    return len(agencies) + made


EXPERTS = [  # name, title, organization, specialties, fields
    ("冯演示", "教授", "津沽理工大学（演示）", ["patent", "navigation"], ["新能源", "智能制造"]),
    ("蒋演示", "研究员", "天开先进材料研究院（演示）", ["patent", "valuation"], ["新材料"]),
    ("沈演示", "律师", "卫津知识产权代理事务所（演示）", ["law", "trademark"], []),
    ("韩演示", "副教授", "南开湖医科大学（演示）", ["patent", "trade_secret"], ["生物医药"]),
    ("杨演示", "高级工程师", "北洋数字经济研究所（演示）", ["navigation", "copyright"], ["人工智能", "软件"]),
    ("朱演示", "资产评估师", "海河知识产权服务有限公司（演示）", ["valuation"], []),
    ("秦演示", "教授", "海河师范学院（演示）", ["copyright", "management"], ["文创"]),
    ("许演示", "正高级经济师", "津沽银行南开支行（演示）", ["valuation", "management"], []),
]


def _experts(users: dict, rng: random.Random) -> int:
    """The pool: the expert persona among them; most consent to a public profile; some assignments with opinions."""
    office = users["office_admin"]
    added = []
    for n, (name, title, organization_name, specialties, fields) in enumerate(EXPERTS):
        organization = Organization.objects.filter(name=organization_name).first()
        account = users["expert_user"] if n == 0 else demo_account(
            username=f"expert_{n:02d}", organization=organization, role=Role.EXPERT, full_name=name) if n < 6 else None
        with clock.on_day(dt.date(2024, 4, 8)):
            added.append(expert_add(actor=office, name=name, title=title, organization_name=organization_name,
                                    specialties=specialties, fields=fields, bio=f"{organization_name}{title}（演示专家）",
                                    user=account, organization=organization))
        if account is not None:
            with clock.on_day(dt.date(2024, 4, 9)):
                consent_set(actor=account, expert=added[-1], consent=True)
    with clock.on_day(dt.date(2024, 4, 9)):
        conflict_add(actor=users["expert_user"], expert=added[0], organization=users["enterprise_user"].organization,
                     reason="曾担任该企业技术顾问（演示）")
    with clock.on_day(dt.date(2025, 11, 20)):
        review = expert_assign(actor=office, expert=added[0], kind="assessment", subject="2025年度知识产权服务品牌机构评审（演示）")
    with clock.on_day(dt.date(2025, 12, 5)):
        assignment_close(actor=users["expert_user"], assignment=review, opinion="建议认定两家机构（演示）")
    with clock.on_day(dt.date(2026, 3, 2)):
        expert_assign(actor=office, expert=added[1], kind="assessment", subject="高价值专利组合评审（演示）")
    return len(added)


def _certifications(users: dict, rng: random.Random, today: dt.date) -> int:
    """The demo agency guides the demo enterprise to certification; a few other enterprises hold certificates,
    one of them close to expiry so the reminder shows."""
    agency, enterprise = users["agency_user"], users["enterprise_user"]
    with clock.on_day(dt.date(2025, 3, 3)):
        guidance = guidance_start(actor=agency, enterprise=enterprise.organization, started_on=dt.date(2025, 3, 3))
    for n, note in enumerate(["完成现状诊断（演示）", "体系文件发布（演示）", "体系运行三个月（演示）", "内审完成（演示）",
                              "管理评审完成（演示）", "取得认证证书（演示）"]):
        with clock.on_day(dt.date(2025, 4, 1) + dt.timedelta(days=40 * n)):
            guidance = guidance_advance(actor=agency, guidance=guidance, note=note)
    issued = dt.date(2025, 10, 20)
    with clock.on_day(issued):
        certification_record(actor=agency, enterprise=enterprise.organization, certifier="某知识产权认证中心（演示）",
                             certificate_number="DEMO-IPMS-2025-001", scope="集成电路设计与销售（演示）", issued_on=issued,
                             valid_until=years_later(issued, 3) - dt.timedelta(days=1),
                             guiding_agency=agency.organization)
    holders = users_with_perm(Perm.WORKSPACE_ENTERPRISE).filter(is_synthetic=True).exclude(pk=enterprise.pk).order_by("pk")
    for n, holder in enumerate(holders[:6]):
        issued = min(today, today.replace(day=1) - dt.timedelta(days=365 * 3 - 60)) if n == 0 else \
            dt.date(2024, 1, 15) + dt.timedelta(days=rng.randrange(0, 700))
        with clock.on_day(max(issued, dt.date(2023, 1, 1))):
            certification_record(actor=holder, enterprise=holder.organization, certifier="某知识产权认证中心（演示）",
                                 certificate_number=f"DEMO-IPMS-{issued.year}-{n + 2:03d}", scope="研发、生产和销售（演示）",
                                 issued_on=issued, valid_until=years_later(issued, 3) - dt.timedelta(days=1))
    return 1 + min(6, holders.count())


SCHOOLS = [("南开湖实验小学（演示）", "primary", "xuefu"), ("卫津路小学（演示）", "primary", "changhong"),
           ("鼓楼中学（演示）", "junior", "gulou"), ("华苑高级中学（演示）", "senior", "xiangyanglu"),
           ("天开职业中专（演示）", "vocational", "wanxing")]
EVENTS = [  # kind, title, month offset from 2025-01, school index or None, with an expert
    ("publicity", "4·26知识产权宣传周启动仪式（演示）", 3, None, False),
    ("school_activity", "知识产权进校园：小发明大梦想（演示）", 4, 0, False),
    ("competition", "南开区青少年创意发明大赛（演示）", 5, 2, False),
    ("salon", "专利开放许可政策沙龙（演示）", 6, None, True),
    ("live_stream", "商业秘密保护直播公开课（演示）", 8, None, True),
    ("salon", "知识产权质押融资银企沙龙（演示）", 10, None, False),
    ("school_activity", "版权保护主题班会（演示）", 14, 1, False),
    ("publicity", "2026年知识产权宣传周（演示）", 15, None, False),
    ("live_stream", "海外知识产权纠纷应对直播（演示）", 17, None, True),
    ("competition", "中小学知识产权知识竞赛（演示）", 19, 3, False),
    ("salon", "数据知识产权沙龙（演示）", 22, None, True),
    ("live_stream", "专利导航成果发布直播（演示）", 24, None, True),
]


def _culture(users: dict, rng: random.Random, today: dt.date) -> int:
    """The education department's pilot schools, a year and a half of events, demonstration units, talent."""
    from ipcity.services.models import Expert

    office, unit = users["office_admin"], users["scjgj_staff"]
    schools = []
    for name, level, street in SCHOOLS:
        with clock.on_day(dt.date(2024, 9, 2)):
            schools.append(school_add(actor=office, name=name, level=level, street=street,
                                      joined_on=dt.date(2024, 9, 2)))
    experts = list(Expert.objects.filter(public_consent=True).order_by("pk"))
    for kind, title, offset, school, with_expert in EVENTS:
        held = dt.date(2025 + offset // 12, offset % 12 + 1, rng.randrange(10, 27))
        done = held + dt.timedelta(days=3) <= today  # held events are recorded after the fact, with their numbers
        recorded = held + dt.timedelta(days=3) if done else min(today, held - dt.timedelta(days=10))
        with clock.on_day(recorded):
            event_record(actor=unit if rng.random() < 0.5 else office, kind=kind, title=title, held_on=held,
                         place="南开区文化中心（演示）" if kind != "live_stream" else "南开区政务视频号（演示）",
                         school=schools[school] if school is not None else None,
                         experts=[rng.choice(experts)] if with_expert and experts else [],
                         participants=rng.randrange(80, 600) if done else None,
                         summary="活动顺利举办（演示）" if done else "")
    with clock.on_day(dt.date(2025, 10, 10)):
        for school, reason in ((schools[0], "知识产权课程进课堂（演示）"), (schools[2], "组织发明社团（演示）")):
            nominated = demonstration_nominate(actor=unit, name=school.name, kind="school", year=2025, reason=reason)
            demonstration_decide(actor=office, unit=nominated, selected=school is schools[0], note="评审意见（演示）")
        demonstration_nominate(actor=unit, name="海河智芯科技有限公司（演示）", kind="enterprise", year=2026,
                               reason="企业知识产权文化建设突出（演示）")
    categories = ["patent_attorney", "patent_attorney", "ip_engineer", "management", "enforcement", "leading"]
    with clock.on_day(dt.date(2025, 12, 1)):
        for n in range(18):
            talent_record(actor=office, name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}（演示）",
                          organization_name="南开区某单位（演示）", category=categories[n % len(categories)],
                          credential="资格证书（演示）")
    return len(SCHOOLS) + len(EVENTS) + 21


# level, issuer, 文号, title, issued, effective from, until, responsible unit code, tasks, measures (kind, name, cap, standard)
POLICIES = [
    ("district", "南开区市场监督管理局（演示）", "南开市监规〔2024〕1号（演示）", "南开区知识产权资助奖励办法（演示）",
     dt.date(2024, 3, 20), dt.date(2024, 4, 1), dt.date(2026, 12, 31), "market_supervision", [11, 2],
     [("subsidy", "发明专利授权资助", 3000, "每件国内发明专利授权资助3000元（演示）"),
      ("reward", "中国专利奖获奖奖励", 500000, "获中国专利金奖的奖励50万元，银奖、优秀奖按标准递减（演示）"),
      ("subsidy", "专利导航项目资助", 200000, "按项目实际投入的50%资助，最高20万元（演示）")]),
    ("district", "南开区财政局（演示）", "南开财规〔2024〕2号（演示）", "南开区知识产权质押融资贴息和保险补贴办法（演示）",
     dt.date(2024, 5, 16), dt.date(2024, 6, 1), dt.date(2026, 12, 31), "finance", [6, 11],
     [("subsidy", "质押贷款贴息", 300000, "按贷款市场报价利率的50%贴息，每家企业每年最高30万元（演示）"),
      ("subsidy", "专利保险保费补贴", 20000, "按实缴保费的60%补贴，最高2万元（演示）")]),
    ("district", "南开区科学技术局（演示）", "南开科规〔2025〕1号（演示）", "南开区支持天开园知识产权强基行动若干措施（演示）",
     dt.date(2025, 2, 18), dt.date(2025, 3, 1), None, "science_technology", [1, 2, 11],
     [("reward", "高价值专利组合培育奖励", 100000, "经认定形成高价值专利组合的奖励10万元（演示）"),
      ("service", "知识产权托管服务", None, "由服务机构为园区中小微企业提供一年托管服务（演示）"),
      ("subsidy", "贯标认证资助", 50000, "通过GB/T 29490认证的资助5万元（演示）")]),
    ("district", "南开区商务局（演示）", "南开商规〔2025〕3号（演示）", "南开区商标品牌建设奖励办法（演示）",
     dt.date(2025, 4, 10), dt.date(2025, 5, 1), dt.date(2027, 4, 30), "commerce", [4, 11],
     [("reward", "驰名商标认定奖励", 500000, "新认定驰名商标的奖励50万元（演示）"),
      ("subsidy", "马德里商标国际注册资助", 10000, "每件马德里国际注册资助1万元（演示）")]),
    ("district", "南开区市场监督管理局（演示）", "南开市监规〔2021〕5号（演示）", "南开区专利申请资助暂行办法（演示）",
     dt.date(2021, 6, 15), dt.date(2021, 7, 1), dt.date(2023, 12, 31), "market_supervision", [11],
     [("subsidy", "专利申请资助", 1000, "每件发明专利申请资助1000元（已失效，演示）")]),
    ("city", "天津市市场监督管理委员会（演示）", "津市监规〔2024〕3号（演示）", "天津市知识产权资助管理办法（演示）",
     dt.date(2024, 4, 22), dt.date(2024, 5, 1), dt.date(2029, 4, 30), "market_supervision", [7, 8, 11],
     [("subsidy", "PCT国际专利申请资助", 50000, "每件进入国家阶段的PCT申请资助最高5万元（演示）"),
      ("service", "海外知识产权纠纷应对指导", None, "为企业提供海外纠纷应对指导服务（演示）")]),
    ("city", "天津市版权局（演示）", "津版规〔2025〕2号（演示）", "天津市促进版权产业发展若干措施（演示）",
     dt.date(2025, 7, 8), dt.date(2025, 8, 1), None, "culture_tourism", [4, 11],
     [("reward", "精品版权作品奖励", 30000, "入选精品版权作品的奖励3万元（演示）")]),
    ("national", "国家知识产权局（演示）", "国知发运字〔2024〕18号（演示）", "关于深化知识产权强市建设试点示范工作的通知（演示）",
     dt.date(2024, 9, 12), dt.date(2024, 9, 12), None, "market_supervision", [5, 10, 11],
     [("subsidy", "专利转化运用项目资助", 500000, "按项目考核结果给予最高50万元资助（演示）"),
      ("service", "试点城市建设指导", None, "国家知识产权局对试点城市建设的业务指导（演示）")]),
]
# what happens to the n-th application: most are approved, some rejected or withdrawn, the latest still wait
POLICY_OUTCOMES = ["approve", "approve", "reject", "approve", "withdraw", "approve", "approve", "reject", "approve",
                   "wait", "approve", "wait"]


def _policies(users: dict, rng: random.Random, today: dt.date) -> int:
    """The policy library (区级、市级、国家级, one expired), enterprises' applications in every state with the units'
    decisions, and a spreadsheet of awards the market supervision bureau recorded in bulk. All marked 演示."""
    from ipcity.services.policies import (
        AWARD_HEADERS,
        in_force_q,
        policy_application_step,
        policy_apply,
        policy_awards_import,
        policy_create,
    )
    from ipcity.web.spreadsheets import xlsx_bytes

    office = users["office_admin"]
    made = []
    for level, issuer, number, title, issued, start, until, unit_code, tasks, measures in POLICIES:
        unit = Organization.objects.get(code=unit_code)
        author = users["kejiju_staff"] if unit_code == "science_technology" else office  # a unit registers its own
        with clock.on_day(min(today, issued + dt.timedelta(days=3))):
            made.append(policy_create(
                actor=author, level=level, issuer=issuer, document_number=number, title=title,
                summary=f"{title.removesuffix('（演示）')}的主要内容摘要（演示，非真实政策文件）", issued_on=issued,
                effective_from=start, effective_until=until, responsible_unit=unit, task_numbers=tasks,
                measures=[{"kind": k, "name": n, "cap": None if c is None else Decimal(c), "standard": t}
                          for k, n, c, t in measures], is_synthetic=True))
    handlers = {}
    for policy in made:
        handler = users_with_perm(Perm.POLICY_HANDLE, organization=policy.responsible_unit).filter(
            is_synthetic=True).order_by("pk").first()
        if handler is not None:
            handlers[policy.pk] = handler
    applicants = list(users_with_perm(Perm.POLICY_APPLY).filter(is_synthetic=True).order_by("pk")[:12])
    count = 0
    for n, outcome in enumerate(POLICY_OUTCOMES):
        applicant = applicants[n % len(applicants)] if applicants else None
        day = dt.date(2024, 10, 8) + dt.timedelta(days=70 * n + rng.randrange(0, 20))
        if applicant is None or day > today:
            continue
        open_policies = [p for p in made if p.pk in handlers and Policy.objects.filter(in_force_q(day), pk=p.pk).exists()]
        if not open_policies:
            continue
        policy = open_policies[n % len(open_policies)]
        measure = policy.measures.order_by("position")[n % policy.measures.count()]
        amount = (measure.cap * Decimal(rng.choice([40, 60, 80, 100])) / 100).quantize(Decimal(1)) \
            if measure.pays and measure.cap else (Decimal(5000) if measure.pays else None)
        with clock.on_day(day):
            application = policy_apply(actor=applicant, measure=measure, amount_requested=amount,
                                       description=f"申请{measure.name}（演示）")
        count += 1
        decided = day + dt.timedelta(days=rng.randrange(8, 25))
        if outcome == "wait" or decided > today:
            continue
        with clock.on_day(decided):
            if outcome == "withdraw":
                policy_application_step(actor=applicant, application=application, action="withdraw")
            elif outcome == "reject":
                policy_application_step(actor=handlers[policy.pk], application=application, action="reject",
                                        reason="申报材料不符合政策条件（演示）")
            else:
                policy_application_step(actor=handlers[policy.pk], application=application, action="approve",
                                        amount_granted=amount)
    # the market supervision bureau records a round of 发明专利授权资助 from its spreadsheet
    subsidy, granted_on = made[0], dt.date(2025, 12, 16)
    handler = handlers.get(subsidy.pk)
    enterprises = list(Organization.objects.filter(org_type=OrgType.ENTERPRISE, is_synthetic=True).order_by("pk")[:8])
    if handler is not None and granted_on <= today and enterprises:
        rows = [["发明专利授权资助", e.name, e.credit_code, (3000, 3000, 1500)[k % 3], granted_on.isoformat(), "2025年第二批（演示）"]
                for k, e in enumerate(enterprises)]
        with clock.on_day(granted_on):
            policy_awards_import(actor=handler, policy=subsidy, filename="2025年第二批发明专利资助（演示）.xlsx",
                                 data=xlsx_bytes([("兑现记录", AWARD_HEADERS, rows)]))
        count += len(rows)
    return len(made) + count
