from django import forms

from ipcity.accounts.models import Organization
from ipcity.bounds import decimal_form_field
from ipcity.plan.core.schema import ORG_TYPES, MembersClause
from ipcity.plan.models import Indicator, IndicatorValue
from ipcity.web.forms import RecordsField
from ipcity.web.supporting import SupportingFilesField


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "target", "unit", "comparison", "period_type", "deadline", "reading", "data_source"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "reading": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = decimal_form_field(Indicator, "target", required=False)


class IndicatorValueForm(forms.Form):
    as_of = forms.DateField(label="截至日期", widget=forms.DateInput(attrs={"type": "date"}))
    value = decimal_form_field(IndicatorValue, "value")
    source = forms.CharField(label="数据来源说明", max_length=300)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = SupportingFilesField(label="佐证材料")


class TaskUnitsForm(forms.Form):
    units = RecordsField(
        label="责任单位", queryset=Organization.objects.filter(org_type__in=ORG_TYPES), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}))
    lead = forms.ModelChoiceField(label="牵头单位（须在责任单位中）", queryset=Organization.objects.filter(org_type__in=ORG_TYPES),
                                  required=False)
    members_clause = forms.ChoiceField(label="领导小组成员单位", choices=[
        (MembersClause.NONE.value, "仅上列单位"), (MembersClause.OTHERS.value, "上列单位及其他领导小组成员单位按职责分工负责"),
        (MembersClause.ALL.value, "领导小组各成员单位按职责分工负责")])

    def clean(self):
        data = super().clean()
        units, lead = list(data.get("units") or []), data.get("lead")
        if lead is not None and lead not in units:
            self.add_error("lead", "牵头单位必须是所选责任单位之一")
        if units and lead is None:
            self.add_error("lead", "请选择牵头单位")
        data["ordered_units"] = ([lead] + [u for u in units if u != lead]) if lead else units
        return data
