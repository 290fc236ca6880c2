"""What the audit trail calls each thing it stores, in Chinese: the action (`auth.login` → 登录), the record's kind
(`plan.workitem` → 工作事项), each changed field (`state` → 状态) and its values (`assigned` → 已交办), and the
channel (`web` → 网页). The codes stay in the database and the API; a person reads only these labels.

Workflow steps are labelled from their tables (`supervision.work_item.assign` → 工作事项：交办); every other action
has a row in ACTION_LABELS (tests/test_audit_labels.py fails on an action recorded anywhere without one). A code
nobody labelled (a row written by an older version) reads as a neutral 其他操作 / 其他, never as the code."""

import datetime as dt
import functools
import importlib
import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from ipcity.workflow.core import UNKNOWN_LABEL

UNKNOWN_ACTION = "其他操作"

# Every audit action that is not a workflow step (those are labelled from their tables), by module.
ACTION_LABELS: dict[str, str] = {
    # accounts: sign-in, accounts, organizations, tokens, personal data
    "auth.login": "登录",
    "auth.login_failed": "登录失败（密码错误）",
    "auth.login_failed_unknown_user": "登录失败（账号不存在）",
    "auth.login_refused_inactive": "拒绝登录（账号已停用）",
    "auth.login_refused_locked": "拒绝登录（账号已锁定）",
    "auth.locked": "账号因连续登录失败被锁定",
    "accounts.organization.create": "新建机构",
    "accounts.organization.update": "修改机构信息",
    "accounts.user.create": "新建账号",
    "accounts.user.activate": "启用账号",
    "accounts.user.deactivate": "停用账号",
    "accounts.user.unlock": "解除账号锁定",
    "accounts.password_change": "修改密码",
    "accounts.api_token.create": "创建 API 令牌",
    "accounts.api_token.revoke": "撤销 API 令牌",
    "accounts.personal_data.view": "查看未脱敏的个人信息",
    # files
    "attachment.upload": "上传附件",
    "supporting_file.attach": "上传佐证材料",
    "evidence_package.export": "导出佐证材料包",
    "bounds.unreadable_number.repair": "修复无法读取的数值",
    # plan, supervision, assessment, fund, evaluation
    "plan.import": "导入工作方案",
    "plan.indicator.update": "修改指标",
    "plan.indicator.confirm": "核定指标年度值",
    "plan.indicator_value.report": "报送指标数值",
    "plan.task.units_set": "设定重点任务责任单位",
    "plan.survey.create": "新建满意度调查",
    "plan.survey.answer": "提交满意度调查答卷",
    "plan.high_tech.record": "记录国家高新技术企业数量",
    "plan.high_tech.import": "导入国家高新技术企业数量",
    "plan.holidays.import": "导入法定节假日安排",
    "supervision.work_item.create": "新建工作事项",
    "supervision.progress_report.submit": "报送工作进展",
    "supervision.extension.request": "申请延期",
    "supervision.extension.approve": "同意延期",
    "supervision.extension.reject": "不同意延期",
    "supervision.settings.set": "设定督办规则",
    "supervision.ledger.update": "按台账更新工作事项",
    "supervision.meeting.record": "记录领导小组会议",
    "supervision.meeting.decision_to_item": "议定事项转为工作事项",
    "supervision.reminder": "发送临近期限提醒",
    "supervision.chaser": "发送逾期催办",
    "assessment.scheme.set": "设定考核方案",
    "assessment.office_rating.set": "办公室评价打分",
    "assessment.scope.set": "设定考核排名范围",
    "assessment.interview.record": "记录约谈",
    "fund.budget_line.create": "新增专项资金预算项目",
    "fund.disbursement.record": "记录专项资金拨付",
    "evaluation.draft": "起草评估报告",
    "evaluation.update": "修改评估报告",
    "evaluation.release": "印发评估报告",
    # registries and indicators
    "stats.registry.update": "更新登记记录",
    "stats.legal_event.match": "法律事件与平台交易相互印证",
    "stats.legal_event.official_values": "法律事件采用官方登记数据",
    "stats.engine_setting.set": "设定指标口径参数",
    "stats.coverage.set": "设定登记记录完整起始日",
    "lineage.unmask": "查看未脱敏的指标来源记录",
    # evidence
    "evidence.register": "存证登记",
    "evidence.checkpoint.publish": "发布存证日志检查点",
    # operations
    "operations.offer.create": "发布技术供给",
    "operations.need.create": "发布技术需求",
    "operations.need.review": "审核技术需求",
    "operations.interest.express": "提出对接意向",
    "operations.deal.record": "登记转让或许可",
    "operations.event.record": "记录对接活动",
    "operations.navigation.create": "新建专利导航项目",
    "operations.portfolio.create": "新建高价值专利组合",
    "operations.portfolio.milestone": "完成专利组合培育节点",
    "operations.product.record": "专利产品备案",
    "operations.financing.apply": "申请质押融资",
    "operations.claim.file": "申请专利保险理赔",
    "operations.alliance.join": "加入知识产权联盟",
    "operations.alliance.leave": "退出知识产权联盟",
    "operations.center.record": "记录运营中心认定",
    "operations.watch.add": "列入重点企业关注名录",
    "operations.watch.remove": "移出重点企业关注名录",
    "operations.cluster.create": "新建产业链专利集群",
    "operations.industry_education.record": "记录产教融合协议",
    # protection
    "protection.case.register": "登记执法案件",
    "protection.case.assign": "指派案件承办人员",
    "protection.case.refer": "移送公安机关",
    "protection.case.receipt": "登记公安机关回执",
    "protection.case.personal_data_view": "查看案件当事人个人信息",
    "protection.certificate.record": "登记执法证",
    "protection.conflict.declare": "执法人员声明回避",
    "protection.risk.set": "评定信用风险等级",
    "protection.inspection.create": "新建双随机抽查计划",
    "protection.inspection.result_record": "记录抽查结果",
    "protection.inspection.result_correct": "更正抽查结果",
    "protection.mediation.apply": "申请调解",
    "protection.assistance.request": "申请维权援助",
    "protection.cooperation.record": "记录保护协作",
    "protection.market.create": "新增规范化市场培育对象",
    "protection.market.check": "规范化市场检查",
    "protection.market.recognition": "记录规范化市场认定",
    "protection.credit.commit": "签署信用承诺",
    "protection.credit.list": "列入失信名单",
    "protection.trade_secret.assess": "商业秘密保护自评",
    "protection.agency_conduct.record": "记录代理机构执业行为",
    "protection.agency_conduct.publication": "决定代理机构执业行为是否公示",
    # services
    "services.item.create": "新增服务事项",
    "services.guide.publish": "发布办事指南",
    "services.application.submit": "提交办件申请",
    "services.application.rate": "评价办件",
    "services.training.create": "新建培训",
    "services.training.sign_in": "培训签到",
    "services.training.import": "导入培训签到名单",
    "services.training.close_sign_in": "结束培训签到",
    "services.training.register": "培训报名",
    "services.training.audiences": "设定计入培训人次的对象",
    "services.agency.profile": "维护服务机构资料",
    "services.agency.brand": "认定品牌服务机构",
    "services.agency.rate": "评价服务机构",
    "services.cluster.join": "加入服务业聚集区",
    "services.cluster.leave": "退出服务业聚集区",
    "services.custody.record": "登记托管合同",
    "services.certification.record": "登记贯标认证证书",
    "services.certification.state": "变更贯标认证证书状态",
    "services.certification.reminder": "发送认证到期提醒",
    "services.guidance.start": "开始贯标辅导",
    "services.guidance.advance": "推进贯标辅导",
    "services.culture.event": "记录宣传活动",
    "services.culture.report": "报送宣传活动成效",
    "services.culture.school": "登记中小学知识产权教育试点学校",
    "services.culture.nominate": "推荐示范单位",
    "services.culture.decide": "认定示范单位",
    "services.culture.talent": "登记知识产权人才",
    "services.culture.resource": "记录文化资源",
    "services.culture.product": "记录文创产品",
    "services.culture.tcm_project": "记录中医药示范试点项目",
    "services.expert.add": "新增专家",
    "services.expert.update": "修改专家信息",
    "services.expert.consent": "专家公开同意",
    "services.expert.conflict": "专家声明回避",
    "services.expert.assign": "指派专家",
    "services.policy.create": "新增政策",
    "services.policy.update": "修改政策",
    "services.policy.awards_import": "导入政策兑现结果",
    "services.policy_application.submit": "提交政策兑现申请",
}

CHANNEL_LABELS = {"web": "网页", "api": "API", "cli": "命令行"}

# Keys the services write into before/after that are not a field of the record (or whose field has no Chinese
# name), by what they mean wherever they appear.
FIELD_LABELS: dict[str, str] = {
    "state": "状态", "reason": "理由", "note": "说明", "recipients": "收件人", "deadline": "时限", "members": "成员",
    "username": "账号", "organization": "机构", "role": "角色", "name": "名称", "title": "标题", "kind": "类别",
    "year": "年度", "years": "年度", "count": "数量", "source": "来源", "value": "数值", "amount": "金额",
    "filename": "文件名", "files": "文件", "file": "文件", "size": "条目数", "sha256": "SHA-256 摘要",
    "created": "新增", "updated": "更新", "rows": "行数", "unit": "单位", "units": "单位", "task": "重点任务",
    "tasks": "重点任务", "officers": "承办人员", "party": "当事人", "day": "日期", "date": "日期", "version": "版本",
    "district": "区", "indicator": "指标", "indicators": "指标", "basis": "依据", "score": "得分", "weights": "权重",
    "subject": "对象", "subjects": "抽取对象", "outcome": "结果", "measure": "措施", "measures": "措施",
    "level": "等级", "lead": "牵头单位", "paid_on": "拨付日期", "recipient": "收款单位", "as_of": "截至日期",
    "attachment": "附件", "code": "编号", "registered": "报名", "training": "培训", "figures": "数据",
    "period": "报告期", "request_review": "提请复核", "amount_requested": "申请金额", "amount_granted": "兑现金额",
    "policy": "政策", "open": "签到开放", "attendance": "签到", "closed_at": "结束时间", "opened_at": "开始时间",
    "responses": "答卷数", "response": "答卷", "agency": "服务机构", "document_number": "文号",
    "publish_in_directory": "在机构名录中公示", "valid_until": "有效期至", "questions": "问题", "case": "案件",
    "plan": "计划", "shortfalls": "抽取不足", "authority": "认定机关", "recognized_on": "认定日期", "rating": "评分",
    "starts_on": "起始日期", "ends_on": "终止日期", "enterprise": "企业", "enterprises": "企业", "university": "高校",
    "signed_on": "签订日期", "term_until": "期限至", "industry": "产业", "ipc_prefixes": "IPC 分类",
    "sei_industry": "战略性新兴产业", "patent": "专利", "patents": "专利", "meeting": "会议", "number": "序号",
    "work_item": "工作事项", "attendees": "参会人员", "decisions": "议定事项", "held_on": "召开日期",
    "item": "服务事项", "materials": "申请材料", "entries": "条目", "root": "根哈希", "recorded": "已记录",
    "receipt": "回执", "police": "公安机关", "days": "天数", "holidays": "节假日", "workdays": "调休上班日",
    "bank": "银行", "effective_from": "施行日期", "effective_until": "废止日期", "issued_on": "发布日期",
    "issuer": "发布机关", "responsible_unit": "责任单位", "summary": "摘要", "task_numbers": "服务的重点任务",
    "deal": "交易", "counterparty": "交易对方", "need": "技术需求", "offer": "技术供给", "added": "新增",
    "already_signed": "已签到", "mode": "方式", "reasons": "理由", "complete_from": "完整起始日", "label": "名称",
    "counted": "计入的对象", "consent": "同意公开", "grounds": "列入事由", "services": "服务类型", "stage": "阶段",
    "cap": "上限", "standard": "标准", "channel": "渠道", "phone": "电话", "deliverable": "成果形式",
    "target": "目标值", "expert": "专家", "comparison": "比较方式", "unit_name": "单位", "text": "内容", "month": "月份",
    "origin": "来源", "event_type": "事件类型", "official": "官方数据", "matched": "已匹配",
}

# A key's values labelled from somewhere other than the record's own field: another model's field with choices
# ("app.Model.field") or a table or function in a module ("module:name").
VALUE_LABELS: dict[tuple[str, str], str] = {
    ("services.trainingaudiencesetting", "counted"): "services.TrainingAudienceSetting.audience",
    ("services.agencyprofile", "services"): "ipcity.services.models:AGENCY_SERVICES",
    ("protection.dishonestylisting", "grounds"): "ipcity.protection.core.credit:GROUND_LABELS",
    ("stats.registrycoverage", "kind"): "ipcity.stats.coverage:coverage_label",
    ("stats.importbatch", "kind"): "ipcity.stats.models:import_kind_label",
}
# Keys naming a record's own checklist or parts, labelled from the module that defines them.
KEY_LABELS: dict[str, str] = {
    "protection.standardizedmarket": "ipcity.protection.assistance:CHECKLIST",
}
# Objects keyed by codes of another table (a progress report's figures by indicator code): the keys' labeller.
CODE_KEYS: dict[tuple[str, str], str] = {
    ("plan.workitem", "figures"): "ipcity.plan.selectors:indicator_names",
}
# Lists of nested records, their keys and values labelled from the nested model's fields.
NESTED_MODELS: dict[tuple[str, str], str] = {
    ("services.policy", "measures"): "services.PolicyMeasure",
}


def _workflow_actions() -> dict[str, str]:
    from ipcity.workflow.catalog import all_workflows

    return {f"{w.name}.{t.action}": f"{w.label}：{t.label}" for w in all_workflows() for t in w.transitions}


@functools.cache
def all_action_labels() -> dict[str, str]:
    """Every action the platform records, code → label (workflow steps and the table above)."""
    return {**_workflow_actions(), **ACTION_LABELS}


def action_label(code: str) -> str:
    return all_action_labels().get(code, UNKNOWN_ACTION)


def channel_label(code: str) -> str:
    return CHANNEL_LABELS.get(code, UNKNOWN_LABEL)


def _model(name: str):
    try:
        return apps.get_model(name) if name and "." in name else None
    except (LookupError, ValueError):
        return None


def _chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


@functools.cache
def _resolve(spec: str):
    """"module:name" → that object; "app.Model.field" → the field's choices as a dict."""
    if ":" in spec:
        module, name = spec.split(":")
        return getattr(importlib.import_module(module), name)
    app_model, field = spec.rsplit(".", 1)
    return dict(apps.get_model(app_model)._meta.get_field(field).flatchoices)


def _labeller(table):
    if callable(table):
        return table
    return lambda code: table.get(code, UNKNOWN_LABEL)


def _key_label(model, key: str) -> str:
    name = str(getattr(_field(model, key), "verbose_name", "") or "")
    if _chinese(name):
        return name
    if model is not None and model._meta.label_lower in KEY_LABELS:
        own = _resolve(KEY_LABELS[model._meta.label_lower])
        if key in own:
            return own[key]
    return FIELD_LABELS.get(key, UNKNOWN_LABEL)


def field_label(object_type: str, key: str) -> str:
    """A changed field's name: the record's field's verbose_name when it is Chinese, else the shared table, else
    其他 (never the key itself)."""
    return _key_label(_model(object_type), key)


_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")


def value_text(value, field=None, model=None, label=None) -> str:
    """A stored value as a person reads it: a choice by its label, a time in 北京时间, lists and nested objects
    spelled out with labelled keys (never a Python or JSON literal)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value_text(v, field, model, label) for v in value) or "—"
    if isinstance(value, dict):
        return "；".join(f"{_key_label(model, str(k))}：{value_text(v, _field(model, str(k)), model)}"
                        for k, v in value.items()) or "—"
    if label is not None:
        return str(label(value))
    choices = dict(getattr(field, "flatchoices", None) or [])
    if choices:
        return str(choices.get(value, UNKNOWN_LABEL))
    if isinstance(value, str) and _MOMENT.fullmatch(value):
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment:%Y-%m-%d %H:%M}"
    return str(value)


def _value(object_type: str, model, key: str, value) -> str:
    keyed = CODE_KEYS.get((object_type, key))
    if keyed and isinstance(value, dict):
        names = _resolve(keyed)([str(k) for k in value])
        return "；".join(f"{names[str(k)]}：{value_text(v)}" for k, v in value.items()) or "—"
    spec = VALUE_LABELS.get((object_type, key))
    nested = NESTED_MODELS.get((object_type, key))
    if nested:
        return value_text(value, model=_model(nested))
    return value_text(value, _field(model, key), model, _labeller(_resolve(spec)) if spec else None)


def changes(entry) -> list[dict]:
    """The entry's changed fields as labelled rows: {"field": 状态, "before": 草拟, "after": 已交办}. A before or
    after that is not an object is one row of its own (内容)."""
    before, after, object_type = entry.before, entry.after, entry.object_type
    model = _model(object_type)
    if not isinstance(before, dict) and not isinstance(after, dict):
        if before is None and after is None:
            return []
        return [{"field": "内容", "before": "" if before is None else value_text(before, model=model),
                 "after": "" if after is None else value_text(after, model=model)}]
    rows = [{"field": "内容", "before": "" if isinstance(before, dict) or before is None else value_text(before, model=model),
             "after": "" if isinstance(after, dict) or after is None else value_text(after, model=model)}]
    rows = [r for r in rows if r["before"] or r["after"]]  # the side that is not an object, if any
    before, after = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    return [{"field": _key_label(model, key),
             "before": _value(object_type, model, key, before[key]) if key in before else "",
             "after": _value(object_type, model, key, after[key]) if key in after else ""}
            for key in dict.fromkeys([*before, *after])] + rows
