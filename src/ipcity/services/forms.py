"""Forms of the services module. A guide is edited as lines a clerk can type (one material, step or question per
line); the lines become the guide's JSON, which the core checks."""

from django import forms

from ipcity.accounts.models import Organization, OrgType, Street
from ipcity.accounts.permissions import users_with_perm
from ipcity.accounts.roles import Perm
from ipcity.bounds import decimal_form_field, int_form_field
from ipcity.operations.models import NavigationProject
from ipcity.protection.models import MediationCase
from ipcity.services.agencies import CUSTODY_SCOPE
from ipcity.services.catalogue import IMPLEMENTING_TYPES
from ipcity.services.core.guide import ITEM_TYPES, MAX_DAYS
from ipcity.services.models import (
    AGENCY_SERVICES,
    EXPERT_SPECIALTIES,
    AgencyProfile,
    CulturalProduct,
    CulturalResource,
    CustodyContract,
    DemonstrationUnit,
    Expert,
    ExpertAssignment,
    PilotSchool,
    PublicityEvent,
    TalentRecord,
    TcmProject,
    Training,
)
from ipcity.web.forms import RecordsField

DATE = forms.DateInput(attrs={"type": "date"})
LINES = {"rows": 4}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _parts(line: str) -> list[str]:
    return [p.strip() for p in line.replace("｜", "|").split("|")]


def _int(text: str):
    try:
        return int(text)
    except (TypeError, ValueError):
        return text  # left as typed: the core names it as a problem


class GuideForm(forms.Form):
    legal_basis = forms.CharField(label="设定依据（每行一条）", widget=forms.Textarea(attrs=LINES))
    conditions = forms.CharField(label="受理条件", widget=forms.Textarea(attrs={"rows": 3}))
    materials = forms.CharField(label="申请材料（每行：名称|份数|必需或可选|说明）", widget=forms.Textarea(attrs=LINES))
    steps = forms.CharField(label="办理流程（每行：环节|时限工作日）", widget=forms.Textarea(attrs=LINES))
    accept_days = int_form_field(label="受理时限（工作日）", minimum=1, maximum=MAX_DAYS)
    decide_days = int_form_field(label="承诺办结时限（受理后工作日）", minimum=1, maximum=MAX_DAYS)
    fees = forms.CharField(label="收费标准", initial="不收费")
    place = forms.CharField(label="办理地点")
    hours = forms.CharField(label="办理时间", initial="工作日 9:00—12:00，13:30—17:00")
    phone = forms.CharField(label="咨询电话")
    complaint = forms.CharField(label="监督投诉渠道")
    faqs = forms.CharField(label="常见问题（每行：问题|解答）", required=False, widget=forms.Textarea(attrs=LINES))

    def guide(self) -> dict:
        data = self.cleaned_data
        materials = []
        for line in _lines(data["materials"]):
            parts = _parts(line) + ["", "", ""]
            materials.append({"name": parts[0], "copies": _int(parts[1] or 1), "required": parts[2] != "可选",
                              "note": parts[3]})
        steps = [{"name": (_parts(line) + [""])[0], "days": _int((_parts(line) + [""])[1])}
                 for line in _lines(data["steps"])]
        faqs = [{"q": (_parts(line) + [""])[0], "a": "|".join(_parts(line)[1:])} for line in _lines(data["faqs"])]
        return {"legal_basis": _lines(data["legal_basis"]), "conditions": data["conditions"], "materials": materials,
                "steps": steps, "accept_days": data["accept_days"], "decide_days": data["decide_days"],
                "fees": data["fees"], "place": data["place"], "hours": data["hours"], "phone": data["phone"],
                "complaint": data["complaint"], "faqs": faqs}

    @classmethod
    def initial_from(cls, content: dict) -> dict:
        """The form's lines for a published guide, to edit into the next version."""
        return {**{k: content[k] for k in ("conditions", "accept_days", "decide_days", "fees", "place", "hours",
                                            "phone", "complaint")},
                "legal_basis": "\n".join(content["legal_basis"]),
                "materials": "\n".join(f"{m['name']}|{m['copies']}|{'必需' if m['required'] else '可选'}|{m['note']}"
                                       for m in content["materials"]),
                "steps": "\n".join(f"{s['name']}|{s['days']}" for s in content["steps"]),
                "faqs": "\n".join(f"{f['q']}|{f['a']}" for f in content["faqs"])}


class ItemForm(GuideForm):
    code = forms.CharField(label="事项编码", max_length=32)
    name = forms.CharField(label="事项名称", max_length=200)
    item_type = forms.ChoiceField(label="事项类型", choices=list(ITEM_TYPES.items()))
    unit = forms.ModelChoiceField(label="实施主体", queryset=Organization.objects.filter(
        org_type__in=IMPLEMENTING_TYPES).order_by("org_type", "name"))
    online = forms.BooleanField(label="可网上办理", required=False, initial=True)

    field_order = ["code", "name", "item_type", "unit", "online"]


class NewVersionForm(GuideForm):
    change_note = forms.CharField(label="修订说明", max_length=300)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's FileField takes one)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data]
        return super().clean(data, initial)


class ApplicationForm(forms.Form):
    description = forms.CharField(label="申请事由", widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="申请材料（PDF、图片、Word、Excel，可多选）", required=False)


class TrainingForm(forms.Form):
    title = forms.CharField(label="培训主题", max_length=200)
    audience = forms.ChoiceField(label="培训对象", choices=Training.Audience.choices)
    held_on = forms.DateField(label="日期", widget=DATE)
    hours = decimal_form_field(Training, "hours", initial=2)
    place = forms.CharField(label="地点", max_length=200)
    capacity = int_form_field(Training, "capacity", label="人数上限（接受报名时必填）", required=False)
    registration_deadline = forms.DateField(label="报名截止日期（不接受报名可不填）", widget=DATE, required=False)


class AudiencesForm(forms.Form):
    counted = forms.MultipleChoiceField(label="计入培训指标的培训对象（方案所称“相关人员”）", required=False,
                                        choices=Training.Audience.choices, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="设定理由", max_length=300)


class RegisterForm(forms.Form):
    phone = forms.CharField(label="手机号（用于培训通知和到场签到）", max_length=11)


class SignInForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    organization_name = forms.CharField(label="单位", max_length=200)
    phone = forms.CharField(label="手机号", max_length=11)


class AgencyProfileForm(forms.Form):
    services = forms.MultipleChoiceField(label="服务类型", choices=list(AGENCY_SERVICES.items()),
                                         widget=forms.CheckboxSelectMultiple)
    qualifications = forms.CharField(label="资质（每行：名称|证号|有效期至 YYYY-MM-DD，可不填有效期）", required=False,
                                     widget=forms.Textarea(attrs=LINES))
    staff = int_form_field(AgencyProfile, "staff")
    attorneys = int_form_field(AgencyProfile, "attorneys")
    description = forms.CharField(label="机构简介", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact_phone = forms.CharField(label="对外联系电话", max_length=20, required=False)
    listed = forms.BooleanField(label="在公开名录中展示", required=False, initial=True)

    def profile(self) -> dict:
        data = dict(self.cleaned_data)
        data["qualifications"] = [dict(zip(("name", "number", "valid_until"), (_parts(line) + ["", ""])[:3],
                                           strict=True)) for line in _lines(data["qualifications"])]
        return data

    @classmethod
    def initial_from(cls, profile) -> dict:
        return {"services": profile.services, "staff": profile.staff, "attorneys": profile.attorneys,
                "description": profile.description, "contact_phone": profile.contact_phone, "listed": profile.listed,
                "qualifications": "\n".join(f"{q['name']}|{q['number']}|{q['valid_until'] or ''}"
                                            for q in profile.qualifications)}


class CustodyForm(forms.Form):
    enterprise = forms.ModelChoiceField(label="被托管企业", queryset=Organization.objects.filter(
        org_type=OrgType.ENTERPRISE).order_by("name"))
    enterprise_size = forms.ChoiceField(label="企业规模", choices=CustodyContract.Size.choices)
    scope = forms.MultipleChoiceField(label="托管范围", choices=list(CUSTODY_SCOPE.items()),
                                      widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)
    fee = decimal_form_field(CustodyContract, "fee", label="服务费（万元，可不填）", required=False)
    note = forms.CharField(label="说明", required=False, max_length=300)


def _comma_list(text: str) -> list[str]:
    return [p.strip() for p in (text or "").replace("，", ",").replace("、", ",").split(",") if p.strip()]


class ExpertProfileForm(forms.Form):
    title = forms.CharField(label="职称", max_length=100)
    organization_name = forms.CharField(label="工作单位", max_length=200)
    specialties = forms.MultipleChoiceField(label="专业方向", choices=list(EXPERT_SPECIALTIES.items()),
                                            widget=forms.CheckboxSelectMultiple)
    fields = forms.CharField(label="技术领域（以逗号或顿号分隔）", required=False, max_length=300)
    bio = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def profile(self) -> dict:
        return {**self.cleaned_data, "fields": _comma_list(self.cleaned_data["fields"])}


class ExpertAddForm(ExpertProfileForm):
    name = forms.CharField(label="姓名", max_length=50)
    user = forms.ModelChoiceField(label="关联专家账号（可不选）", required=False, queryset=users_with_perm(
        Perm.EXPERT_PROFILE).filter(expert__isnull=True).order_by("username"))

    field_order = ["name", "user"]


class ExpertEditForm(ExpertProfileForm):
    available = forms.BooleanField(label="可接受指派", required=False)
    availability_note = forms.CharField(label="不可指派说明", required=False, max_length=200)


class AssignForm(forms.Form):
    kind = forms.ChoiceField(label="指派类型", choices=ExpertAssignment.Kind.choices)
    navigation = forms.ModelChoiceField(label="专利导航项目", required=False,
                                        queryset=NavigationProject.objects.order_by("-pk"))
    mediation = forms.ModelChoiceField(label="调解案件", required=False, queryset=MediationCase.objects.order_by("-pk"))
    subject = forms.CharField(label="评审评估事项（其他类型可不填）", required=False, max_length=200)
    parties = RecordsField(label="涉及单位（用于回避审查）", required=False,
                                             queryset=Organization.objects.order_by("name"))


class CertificationForm(forms.Form):
    enterprise = forms.ModelChoiceField(label="企业", queryset=Organization.objects.filter(
        org_type=OrgType.ENTERPRISE).order_by("name"))
    certifier = forms.CharField(label="认证机构", max_length=200)
    certificate_number = forms.CharField(label="证书编号", max_length=64)
    scope = forms.CharField(label="认证范围", max_length=300)
    issued_on = forms.DateField(label="发证日期", widget=DATE)
    valid_until = forms.DateField(label="有效期至", widget=DATE)
    guiding_agency = forms.ModelChoiceField(label="辅导机构（可不选）", required=False, queryset=Organization.objects.filter(
        org_type=OrgType.SERVICE_AGENCY).order_by("name"))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=PublicityEvent.Kind.choices)
    title = forms.CharField(label="名称", max_length=200)
    held_on = forms.DateField(label="日期", widget=DATE)
    place = forms.CharField(label="地点或直播平台", max_length=200)
    school = forms.ModelChoiceField(label="试点学校（中小学活动、竞赛）", required=False,
                                    queryset=PilotSchool.objects.order_by("name"))
    experts = RecordsField(label="邀请专家（直播必填）", required=False,
                                             queryset=Expert.objects.filter(active=True, public_consent=True)
                                             .order_by("name"))
    stream_url = forms.URLField(label="直播或回放链接", required=False, assume_scheme="https", max_length=200)
    participants = int_form_field(PublicityEvent, "participants", label="参与人数（举办后填写）", required=False)
    summary = forms.CharField(label="活动情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SchoolForm(forms.Form):
    name = forms.CharField(label="学校", max_length=200)
    level = forms.ChoiceField(label="学段", choices=PilotSchool.Level.choices)
    street = forms.ChoiceField(label="所在街道", choices=[("", "—"), *Street.choices], required=False)
    joined_on = forms.DateField(label="纳入试点日期", widget=DATE)


class NominationForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=DemonstrationUnit.Kind.choices)
    year = forms.IntegerField(label="年度", min_value=2024, max_value=2030)
    reason = forms.CharField(label="推荐理由", widget=forms.Textarea(attrs={"rows": 2}))


class TalentForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    organization_name = forms.CharField(label="工作单位", max_length=200)
    category = forms.ChoiceField(label="类别", choices=TalentRecord.Category.choices)
    credential = forms.CharField(label="资格或证书", max_length=200, required=False)


def _holders():
    from ipcity.services.culture_resources import holder_choices

    return holder_choices()


class CulturalResourceForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=CulturalResource.Category.choices)
    name = forms.CharField(label="名称", max_length=200)
    holder_organization = forms.ModelChoiceField(label="持有单位（平台上的单位，可不选）", required=False,
                                                 queryset=Organization.objects.none())
    holder_name = forms.CharField(label="持有人或传承人（未选持有单位时必填）", max_length=200, required=False)
    protection_status = forms.ChoiceField(label="保护状态", choices=CulturalResource.Protection.choices)
    source = forms.CharField(label="来源（如普查、名录、申报）", max_length=200)
    recorded_on = forms.DateField(label="登记日期", widget=DATE)
    protected_since = forms.DateField(label="建档或保护起始日期（可不填）", widget=DATE, required=False)
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_unit = forms.ModelChoiceField(label="记录单位（办公室代为登记时选择）", required=False,
                                              queryset=Organization.objects.none())

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder_organization"].queryset = _holders()
        if units:
            self.fields["responsible_unit"].queryset = Organization.objects.filter(pk__in=[u.pk for u in units])
        else:
            del self.fields["responsible_unit"]


class TcmKnowledgeForm(CulturalResourceForm):
    project = forms.ModelChoiceField(label="中医药示范试点项目", queryset=TcmProject.objects.order_by("-approved_on"))

    field_order = ["project"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["category"]
        self.fields.pop("responsible_unit", None)


class CulturalProductForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=CulturalProduct.Kind.choices)
    name = forms.CharField(label="名称", max_length=200)
    owner_organization = forms.ModelChoiceField(label="所有单位（平台上的单位，可不选）", required=False,
                                                queryset=Organization.objects.none())
    owner_name = forms.CharField(label="所有人或运营主体（未选所有单位时必填）", max_length=200, required=False)
    brand = forms.CharField(label="品牌", max_length=100, required=False)
    launched_on = forms.DateField(label="推出日期", widget=DATE)
    description = forms.CharField(label="简介", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    responsible_unit = forms.ModelChoiceField(label="记录单位（办公室代为登记时选择）", required=False,
                                              queryset=Organization.objects.none())

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organization"].queryset = _holders()
        if units:
            self.fields["responsible_unit"].queryset = Organization.objects.filter(pk__in=[u.pk for u in units])
        else:
            del self.fields["responsible_unit"]


class TcmProjectForm(forms.Form):
    name = forms.CharField(label="项目名称", max_length=200)
    undertaker = forms.CharField(label="承担单位", max_length=200)
    approved_on = forms.DateField(label="立项日期", widget=DATE)
    summary = forms.CharField(label="建设内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
