"""The official holiday calendar: public (the notices are); the office imports a year's calendar here."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from ipcity.accounts.permissions import has_perm, missing
from ipcity.accounts.roles import Perm
from ipcity.plan.holidays import DEFINITION, SOURCE_MAX, CalendarRejected, calendar_import, calendar_years


def holidays(request):
    importing = has_perm(request.user, Perm.HOLIDAYS_IMPORT)
    if request.method == "POST":
        if not importing:
            raise PermissionDenied(missing(Perm.HOLIDAYS_IMPORT))
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "导入文件：请选择要导入的文件（.xlsx 或 .csv）")
            return redirect("plan:holidays")
        try:
            made = calendar_import(actor=request.user, data=upload.read(), filename=upload.name or "",
                                   source=request.POST.get("source", ""))
        except CalendarRejected as rejected:
            messages.error(request, "文件未导入，请修改后重新上传：")
            for problem in rejected.problems:
                messages.error(request, str(problem))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                label = "来源" if field == "source" else field
                messages.error(request, f"{label}：{'；'.join(errors)}")
        else:
            messages.success(request, f"已导入{'、'.join(f'{y}年' for y in made.years)}的法定节假日安排，"
                                      "此后的办理时限按其计算")
        return redirect("plan:holidays")
    return render(request, "plan/holidays.html", {
        "nav": "plan", "years": calendar_years(), "importing": importing, "definition": DEFINITION,
        "source_max": SOURCE_MAX})
