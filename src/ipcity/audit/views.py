from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ipcity.audit.labels import action_label, all_action_labels, changes, channel_label
from ipcity.audit.selectors import audit_entry_list
from ipcity.web.paging import page_of
from ipcity.web.params import query_day
from ipcity.web.spreadsheets import xlsx_response

EXPORT_ROW_LIMIT = 100_000


def _filters(request) -> dict:
    g = request.GET
    return {"q": g.get("q", "").strip(), "action": g.get("action", "").strip(), "actor": g.get("actor", "").strip(),
            "date_from": query_day(request, "date_from", label="起始日期"),
            "date_to": query_day(request, "date_to", label="截止日期")}


@require_safe
@login_required
def audit_list(request):
    filters = _filters(request)
    entries = audit_entry_list(user=request.user, **filters)
    page = page_of(request, entries)
    actions = sorted(all_action_labels().items(), key=lambda item: item[0])
    return render(request, "audit/list.html", {"nav": "audit", "page": page, "filters": filters,
                                               "query": page.query, "actions": actions})


@require_safe
@login_required
def audit_export(request):
    entries = audit_entry_list(user=request.user, **_filters(request))[:EXPORT_ROW_LIMIT]
    rows = ([timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.actor_name,
             e.organization.name if e.organization else "", action_label(e.action), e.object_id, e.object_repr,
             *_sides(e), e.source_address, channel_label(e.channel)] for e in entries.iterator(chunk_size=2000))
    return xlsx_response(f"audit-{timezone.localdate():%Y%m%d}.xlsx", "审计日志",
                         ["时间", "操作人", "所属机构", "操作", "对象编号", "对象", "修改前", "修改后", "来源地址", "渠道"],
                         rows)


def _sides(entry) -> tuple[str, str]:
    """The changed fields before and after, one labelled line each (状态：已交办)."""
    rows = changes(entry)
    return ("\n".join(f"{r['field']}：{r['before']}" for r in rows if r["before"]),
            "\n".join(f"{r['field']}：{r['after']}" for r in rows if r["after"]))
