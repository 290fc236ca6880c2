from django import forms

from ipcity.bounds import YUAN_MAX, number_form_field
from ipcity.stats.core.importer import SPECS


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label="数据类型", choices=[(k, s.label) for k, s in SPECS.items()])
    file = forms.FileField(label="文件（.csv 或 .xlsx，UTF-8 或 GBK）")
    note = forms.CharField(label="备注（导入战略性新兴产业对照表时填写版本）", max_length=200, required=False)


class ThresholdForm(forms.Form):
    value = number_form_field(label="高价值发明专利：质押融资金额门槛（元）", minimum=1, maximum=YUAN_MAX, decimal_places=2)
