from django.urls import include, path

from ipcity.accounts import views as accounts_views
from ipcity.api import api
from ipcity.audit import views as audit_views
from ipcity.plan import holiday_views, meeting_views, ranking_views, supervision_views, survey_views
from ipcity.plan import views as plan_views
from ipcity.stats import by_year_views
from ipcity.stats import coverage_views as stats_coverage_views
from ipcity.stats import views as stats_views
from ipcity.web import supporting_views
from ipcity.web import views as web_views

plan_patterns = ([
    path("goals/<slug:code>/", plan_views.goal_detail, name="goal"),
    path("indicators/<slug:code>/", plan_views.indicator_detail, name="indicator"),
    path("tasks/<int:number>/", plan_views.task_detail, name="task"),
    path("units/", plan_views.unit_list, name="units"),
    path("units/<int:pk>/", plan_views.unit_detail, name="unit"),
    path("satisfaction/", survey_views.surveys, name="surveys"),
    path("satisfaction/<int:pk>/", survey_views.survey_detail, name="survey"),
    path("satisfaction/<int:pk>/qr.svg", survey_views.survey_qr, name="survey_qr"),
    path("satisfaction/answer/<slug:token>/", survey_views.survey_answer_page, name="survey_answer"),
    path("high-tech/", ranking_views.high_tech, name="high_tech"),
    path("holidays/", holiday_views.holidays, name="holidays"),
], "plan")

accounts_patterns = ([
    path("account/", accounts_views.account, name="account"),
    path("orgs/", accounts_views.organizations, name="organizations"),
    path("orgs/new/", accounts_views.organization_new, name="organization_new"),
    path("orgs/<int:pk>/", accounts_views.organization_detail, name="organization"),
    path("orgs/<int:pk>/edit/", accounts_views.organization_edit, name="organization_edit"),
    path("orgs/<int:pk>/members/", accounts_views.member_add, name="member_add"),
    path("orgs/<int:pk>/members/<str:username>/", accounts_views.member_action, name="member_action"),
], "accounts")

audit_patterns = ([
    path("", audit_views.audit_list, name="list"),
    path("export.xlsx", audit_views.audit_export, name="export"),
], "audit")

stats_patterns = ([
    path("", stats_views.registry_home, name="registry"),
    path("batches/<int:pk>/", stats_views.batch_detail, name="batch"),
    path("patents/", stats_views.registry_records, {"kind": "patents"}, name="patents"),
    path("patents/<str:number>/", stats_views.patent_detail, name="patent"),
    path("coverage/", stats_coverage_views.coverage_page, name="coverage"),
    path("<slug:kind>/", stats_views.registry_records, name="records"),
], "stats")

supervision_patterns = ([
    path("", supervision_views.overview, name="overview"),
    path("tasks/<int:number>/new/", supervision_views.item_new, name="item_new"),
    path("items/<int:pk>/", supervision_views.item_detail, name="item"),
    path("ledger.xlsx", supervision_views.ledger_download, name="ledger_download"),
    path("ledger/", supervision_views.ledger_upload, name="ledger_upload"),
    path("assessment/", supervision_views.assessment, name="assessment"),
    path("assessment/bulletin.docx", supervision_views.bulletin, name="bulletin"),
    path("fund/", supervision_views.fund, name="fund"),
    path("evaluations/", supervision_views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", supervision_views.evaluation, name="evaluation"),
    path("fund.xlsx", supervision_views.fund_download, name="fund_download"),
    path("settings/", supervision_views.settings_page, name="settings"),
    path("evidence-package.zip", supporting_views.evidence_package, name="evidence_package"),
    path("meetings/", meeting_views.meetings, name="meetings"),
    path("meetings/new/", meeting_views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("interviews/", meeting_views.interviews, name="interviews"),
    path("interviews/new/", meeting_views.interview_new, name="interview_new"),
    path("interviews/<int:pk>/", meeting_views.interview_detail, name="interview"),
], "supervision")

web_patterns = ([
    path("files/<int:pk>/", web_views.attachment_download, name="attachment"),
    path("files/attach/<slug:kind>/<int:pk>/", supporting_views.attach, name="attach"),
], "web")

urlpatterns = [
    path("", plan_views.home, name="home"),
    path("indicators/", plan_views.indicator_dashboard, name="indicators"),
    path("indicators/by-year/", by_year_views.by_year, name="indicators_by_year"),
    path("indicators/report.xlsx", stats_views.indicator_report, {"fmt": "xlsx"}, name="indicator_report_xlsx"),
    path("indicators/report.docx", stats_views.indicator_report, {"fmt": "docx"}, name="indicator_report_docx"),
    path("indicators/<slug:code>/records/", stats_views.indicator_records, name="indicator_records"),
    path("registries/", include(stats_patterns)),
    path("plan/", include(plan_patterns)),
    path("login/", accounts_views.login_view, name="login"),
    path("logout/", accounts_views.logout_view, name="logout"),
    path("workspace/", web_views.workspace, name="workspace"),
    path("", include(accounts_patterns)),
    path("audit/", include(audit_patterns)),
    path("supervision/", include(supervision_patterns)),
    path("", include(web_patterns)),
    path("evidence/", include("ipcity.evidence.urls")),
    path("operations/", include("ipcity.operations.urls")),
    path("protection/", include("ipcity.protection.urls")),
    path("services/", include("ipcity.services.urls")),
    path("api/v1/", api.urls),
]

handler403 = "ipcity.web.views.forbidden"
handler404 = "ipcity.web.views.not_found"
handler500 = "ipcity.web.views.server_error"
