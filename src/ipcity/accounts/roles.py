"""Roles and the permission strings each holds: the one place permissions are decided."""

from django.db import models


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", "知识产权办公室管理员"
    UNIT_STAFF = "unit_staff", "责任单位工作人员"
    ENTERPRISE_USER = "enterprise_user", "企业用户"
    UNIVERSITY_USER = "university_user", "高校院所用户"
    AGENCY_USER = "agency_user", "服务机构用户"
    MEDIATOR = "mediator", "调解员"
    ENFORCEMENT_OFFICER = "enforcement_officer", "执法人员"
    EXPERT = "expert", "专家"
    NOTARY = "notary", "公证员"
    FINANCE_USER = "finance_user", "金融机构用户"


class Perm:
    PLAN_EDIT = "plan:write"
    PLAN_IMPORT = "plan.import:write"
    INDICATOR_REPORT = "plan.indicator_values:write"
    AUDIT_READ = "audit:read"
    ORGS_READ_ALL = "accounts.organizations:read_all"
    ACCOUNTS_MANAGE = "accounts:write"
    REGISTRY_IMPORT = "stats.registries:write"
    SUPERVISION_MANAGE = "plan.supervision:write"  # create, assign, review, close work items
    SUPERVISION_WORK = "plan.supervision:work"  # acknowledge and report the own unit's work items
    REGISTRY_READ = "stats.registries:read"
    SURVEY_MANAGE = "plan.surveys:write"  # the office writes, opens and closes the satisfaction surveys
    HIGH_TECH_RECORD = "plan.high_tech:write"  # the office records the central districts' high-tech enterprise counts
    HOLIDAYS_IMPORT = "plan.holidays:write"  # the office imports the official holiday calendar time limits count by
    EVIDENCE_REGISTER = "evidence:register"  # register evidence for the own organization
    EVIDENCE_STATS = "evidence:stats"  # the office's statistics of registrations
    NOTARIZATION_HANDLE = "evidence.notarization:handle"  # a notary office accepts and answers requests sent to it
    TECH_OFFER = "operations.offers:write"  # list the own organization's patents for transfer or licence
    TECH_NEED = "operations.needs:write"  # post technology needs, express interest in offers
    OPERATIONS_MANAGE = "operations:manage"  # the office reviews needs and sees all matchmaking
    NAVIGATION_MANAGE = "operations.navigation:write"  # record and complete patent navigation projects
    EVENTS_MANAGE = "operations.events:write"  # record matchmaking events and their attendees
    FINANCING_APPLY = "operations.financing:apply"  # an enterprise applies for IP pledge financing, files claims
    FINANCING_HANDLE = "operations.financing:handle"  # a bank or insurer handles what was routed to it
    INSPECTION_MANAGE = "protection.inspections:write"  # plan, publish and draw random inspections; rate risk
    CONFLICT_DECLARE = "protection.conflicts:write"  # an enforcement officer declares conflicts of interest
    TRADE_SECRET_ASSESS = "protection.trade_secrets:assess"  # an enterprise assesses its trade secret protection
    MEDIATION_APPLY = "protection.mediation:apply"  # a party applies for mediation
    MEDIATION_HANDLE = "protection.mediation:handle"  # a mediator of the channel's body conducts it
    PROTECTION_READ_ALL = "protection:read_all"  # the office sees every mediation, case, assistance request, listing
    CASE_HANDLE = "protection.cases:handle"  # an enforcement officer: the own unit's cases, drawn for inspections
    CASE_SUPERVISE = "protection.cases:supervise"  # the office assigns officers to cases, records their certificates
    ASSISTANCE_APPLY = "protection.assistance:apply"  # an enterprise asks for rights assistance
    ASSISTANCE_HANDLE = "protection.assistance:handle"  # the office triages, guides, refers and closes requests
    CREDIT_MANAGE = "protection.credit:write"  # the office lists organizations by the rules and decides on repair
    MARKET_MANAGE = "protection.markets:write"  # the office keeps standardized markets and cooperation records
    AGENCY_CONDUCT_MANAGE = "protection.agency_conduct:write"  # the office inspects agencies' practice, records measures
    SERVICE_CATALOGUE = "services.catalogue:write"  # the office keeps the catalogue and publishes guide versions
    SERVICE_APPLY = "services.applications:apply"  # file an application for a catalogue item
    SERVICE_HANDLE = "services.applications:handle"  # the item's implementing unit accepts and decides
    SERVICE_SUPERVISE = "services.applications:read_all"  # the office follows every application and time limit
    TRAINING_MANAGE = "services.trainings:write"  # hold trainings and record who attended
    TRAINING_RULES = "services.trainings:rules"  # the office decides which audiences count toward 培训次数/人次
    TRAINING_REGISTER = "services.trainings:register"  # a signed-in person registers for (and cancels) a training
    AGENCY_PROFILE = "services.agencies:profile"  # an agency keeps its own directory entry, records custody
    AGENCY_MANAGE = "services.agencies:manage"  # the office records the cluster and designates brand agencies
    CUSTODY_CONFIRM = "services.custody:confirm"  # an enterprise confirms custody of its IP and rates the agency
    CERTIFICATION_RECORD = "services.certifications:write"  # an enterprise or its guiding agency records 贯标
    CULTURE_MANAGE = "services.culture:write"  # events, pilot schools, demonstration nominations, talent records
    CULTURE_SELECT = "services.culture:select"  # the office decides the demonstration units
    CULTURE_RESOURCE_MANAGE = "services.culture_resources:manage"  # the office records task 4's cultural resources,
    # 文创 products and TCM pilot projects for any responsible unit
    CULTURE_RESOURCE_RECORD = "services.culture_resources:write"  # a responsible unit records its own kind of them
    EXPERT_MANAGE = "services.experts:manage"  # the office keeps the pool and assigns experts
    EXPERT_PROFILE = "services.experts:profile"  # an expert keeps their profile, consent, conflicts and opinions
    POLICY_MANAGE = "services.policies:manage"  # the office keeps the policy library and follows every 兑现
    POLICY_HANDLE = "services.policies:handle"  # a responsible unit keeps its own policies and decides their 兑现
    POLICY_APPLY = "services.policies:apply"  # an enterprise applies under a policy's measure
    PERSONAL_DATA_READ = "accounts.personal_data:read"
    ATTACHMENT_READ_ALL = "files:read_all"
    WORKSPACE_OFFICE = "workspace.office"
    WORKSPACE_UNIT = "workspace.unit"
    WORKSPACE_ENTERPRISE = "workspace.enterprise"
    WORKSPACE_UNIVERSITY = "workspace.university"
    WORKSPACE_AGENCY = "workspace.agency"
    WORKSPACE_PROTECTION = "workspace.protection"
    WORKSPACE_EXPERT = "workspace.expert"
    WORKSPACE_NOTARY = "workspace.notary"
    WORKSPACE_FINANCE = "workspace.finance"


# What a person reads when a permission is missing ("缺少权限：审计日志查询"): every permission has its Chinese name.
PERM_LABELS: dict[str, str] = {
    Perm.PLAN_EDIT: "编辑实施方案",
    Perm.PLAN_IMPORT: "导入实施方案",
    Perm.INDICATOR_REPORT: "报送指标数值",
    Perm.AUDIT_READ: "审计日志查询",
    Perm.ORGS_READ_ALL: "查看全部机构",
    Perm.ACCOUNTS_MANAGE: "机构与账号管理",
    Perm.REGISTRY_IMPORT: "导入登记数据",
    Perm.SUPERVISION_MANAGE: "督办工作事项（办公室）",
    Perm.SUPERVISION_WORK: "办理本单位工作事项",
    Perm.REGISTRY_READ: "查看登记数据",
    Perm.SURVEY_MANAGE: "满意度调查管理",
    Perm.HIGH_TECH_RECORD: "登记高新技术企业数量",
    Perm.HOLIDAYS_IMPORT: "导入法定节假日安排",
    Perm.EVIDENCE_REGISTER: "存证登记",
    Perm.EVIDENCE_STATS: "存证统计",
    Perm.NOTARIZATION_HANDLE: "办理公证申请",
    Perm.TECH_OFFER: "发布专利技术供给",
    Perm.TECH_NEED: "发布技术需求",
    Perm.OPERATIONS_MANAGE: "知识产权运营管理（办公室）",
    Perm.NAVIGATION_MANAGE: "专利导航项目",
    Perm.EVENTS_MANAGE: "对接活动管理",
    Perm.FINANCING_APPLY: "申请质押融资",
    Perm.FINANCING_HANDLE: "办理质押融资和保险理赔",
    Perm.INSPECTION_MANAGE: "双随机抽查管理",
    Perm.CONFLICT_DECLARE: "声明回避",
    Perm.TRADE_SECRET_ASSESS: "商业秘密保护自评",
    Perm.MEDIATION_APPLY: "申请调解",
    Perm.MEDIATION_HANDLE: "办理调解",
    Perm.PROTECTION_READ_ALL: "查看全部保护案件",
    Perm.CASE_HANDLE: "办理执法案件",
    Perm.CASE_SUPERVISE: "执法监督",
    Perm.ASSISTANCE_APPLY: "申请维权援助",
    Perm.ASSISTANCE_HANDLE: "办理维权援助",
    Perm.CREDIT_MANAGE: "失信名单管理",
    Perm.MARKET_MANAGE: "规范化市场与协作管理",
    Perm.AGENCY_CONDUCT_MANAGE: "代理机构执业监管",
    Perm.SERVICE_CATALOGUE: "服务事项目录管理",
    Perm.SERVICE_APPLY: "申请服务事项",
    Perm.SERVICE_HANDLE: "办理服务事项",
    Perm.SERVICE_SUPERVISE: "查看全部服务申请",
    Perm.TRAINING_MANAGE: "培训管理",
    Perm.TRAINING_RULES: "设定计入培训指标的培训对象",
    Perm.TRAINING_REGISTER: "培训报名",
    Perm.AGENCY_PROFILE: "服务机构信息维护",
    Perm.AGENCY_MANAGE: "服务机构管理（办公室）",
    Perm.CUSTODY_CONFIRM: "确认知识产权托管",
    Perm.CERTIFICATION_RECORD: "贯标认证登记",
    Perm.CULTURE_MANAGE: "知识产权文化建设",
    Perm.CULTURE_SELECT: "认定示范单位",
    Perm.CULTURE_RESOURCE_MANAGE: "文化资源、文创与中医药试点登记（办公室）",
    Perm.CULTURE_RESOURCE_RECORD: "文化资源、文创与中医药试点登记（责任单位）",
    Perm.EXPERT_MANAGE: "专家库管理",
    Perm.EXPERT_PROFILE: "专家信息维护",
    Perm.POLICY_MANAGE: "政策库管理（办公室）",
    Perm.POLICY_HANDLE: "办理政策兑现（责任单位）",
    Perm.POLICY_APPLY: "申请政策兑现",
    Perm.PERSONAL_DATA_READ: "查看个人信息",
    Perm.ATTACHMENT_READ_ALL: "查看全部附件",
    Perm.WORKSPACE_OFFICE: "知识产权办公室工作台",
    Perm.WORKSPACE_UNIT: "责任单位工作台",
    Perm.WORKSPACE_ENTERPRISE: "企业工作台",
    Perm.WORKSPACE_UNIVERSITY: "高校院所工作台",
    Perm.WORKSPACE_AGENCY: "服务机构工作台",
    Perm.WORKSPACE_PROTECTION: "保护工作台",
    Perm.WORKSPACE_EXPERT: "专家工作台",
    Perm.WORKSPACE_NOTARY: "公证工作台",
    Perm.WORKSPACE_FINANCE: "金融机构工作台",
}


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OFFICE_ADMIN: frozenset({
        Perm.PLAN_EDIT, Perm.PLAN_IMPORT, Perm.INDICATOR_REPORT, Perm.AUDIT_READ, Perm.ORGS_READ_ALL, Perm.ACCOUNTS_MANAGE,
        Perm.REGISTRY_IMPORT, Perm.REGISTRY_READ, Perm.SUPERVISION_MANAGE, Perm.SURVEY_MANAGE, Perm.HIGH_TECH_RECORD,
        Perm.HOLIDAYS_IMPORT,
        Perm.PERSONAL_DATA_READ, Perm.ATTACHMENT_READ_ALL, Perm.WORKSPACE_OFFICE, Perm.EVIDENCE_STATS,
        Perm.OPERATIONS_MANAGE, Perm.NAVIGATION_MANAGE, Perm.EVENTS_MANAGE, Perm.INSPECTION_MANAGE,
        Perm.PROTECTION_READ_ALL, Perm.CASE_SUPERVISE, Perm.ASSISTANCE_HANDLE, Perm.CREDIT_MANAGE, Perm.MARKET_MANAGE,
        Perm.AGENCY_CONDUCT_MANAGE,
        Perm.SERVICE_CATALOGUE, Perm.SERVICE_HANDLE, Perm.SERVICE_SUPERVISE, Perm.TRAINING_MANAGE, Perm.AGENCY_MANAGE,
        Perm.EXPERT_MANAGE, Perm.CULTURE_MANAGE, Perm.CULTURE_SELECT, Perm.POLICY_MANAGE, Perm.TRAINING_RULES,
        Perm.CULTURE_RESOURCE_MANAGE,
    }),
    Role.UNIT_STAFF: frozenset({Perm.INDICATOR_REPORT, Perm.REGISTRY_READ, Perm.SUPERVISION_WORK, Perm.WORKSPACE_UNIT,
                                Perm.SERVICE_HANDLE, Perm.TRAINING_MANAGE, Perm.CULTURE_MANAGE, Perm.POLICY_HANDLE,
                                Perm.CULTURE_RESOURCE_RECORD, Perm.TRAINING_REGISTER}),
    Role.ENTERPRISE_USER: frozenset({Perm.WORKSPACE_ENTERPRISE, Perm.EVIDENCE_REGISTER, Perm.TECH_OFFER,
                                     Perm.TECH_NEED, Perm.FINANCING_APPLY, Perm.TRADE_SECRET_ASSESS,
                                     Perm.MEDIATION_APPLY, Perm.ASSISTANCE_APPLY, Perm.SERVICE_APPLY, Perm.CUSTODY_CONFIRM,
                                     Perm.CERTIFICATION_RECORD, Perm.POLICY_APPLY, Perm.TRAINING_REGISTER}),
    Role.UNIVERSITY_USER: frozenset({Perm.WORKSPACE_UNIVERSITY, Perm.EVIDENCE_REGISTER, Perm.TECH_OFFER,
                                     Perm.FINANCING_APPLY, Perm.SERVICE_APPLY, Perm.TRAINING_REGISTER}),
    Role.AGENCY_USER: frozenset({Perm.WORKSPACE_AGENCY, Perm.EVIDENCE_REGISTER, Perm.NAVIGATION_MANAGE,
                                 Perm.EVENTS_MANAGE, Perm.SERVICE_APPLY, Perm.AGENCY_PROFILE,
                                 Perm.CERTIFICATION_RECORD, Perm.TRAINING_REGISTER}),
    Role.MEDIATOR: frozenset({Perm.WORKSPACE_PROTECTION, Perm.MEDIATION_HANDLE, Perm.TRAINING_REGISTER}),
    Role.ENFORCEMENT_OFFICER: frozenset({Perm.WORKSPACE_PROTECTION, Perm.CONFLICT_DECLARE, Perm.CASE_HANDLE,
                                         Perm.TRAINING_REGISTER}),
    Role.EXPERT: frozenset({Perm.WORKSPACE_EXPERT, Perm.EXPERT_PROFILE, Perm.TRAINING_REGISTER}),
    Role.NOTARY: frozenset({Perm.WORKSPACE_NOTARY, Perm.NOTARIZATION_HANDLE, Perm.TRAINING_REGISTER}),
    Role.FINANCE_USER: frozenset({Perm.WORKSPACE_FINANCE, Perm.FINANCING_HANDLE, Perm.TRAINING_REGISTER}),
}

# Which organization types a role may be held in: a unit staff member must sit in a government body, etc.
ROLE_ORG_TYPES: dict[str, frozenset[str]] = {
    Role.OFFICE_ADMIN: frozenset({"leading_group_office"}),
    Role.UNIT_STAFF: frozenset({"government_unit", "court_procuratorate", "leading_group_office"}),
    Role.ENTERPRISE_USER: frozenset({"enterprise"}),
    Role.UNIVERSITY_USER: frozenset({"university"}),
    Role.AGENCY_USER: frozenset({"service_agency"}),
    Role.MEDIATOR: frozenset({"mediation_body", "government_unit", "service_agency"}),
    Role.ENFORCEMENT_OFFICER: frozenset({"government_unit"}),
    Role.EXPERT: frozenset({"university", "enterprise", "service_agency", "government_unit"}),
    Role.NOTARY: frozenset({"notary"}),
    Role.FINANCE_USER: frozenset({"financial_institution"}),
}
