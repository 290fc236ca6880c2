from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "ipcity.protection"
    label = "protection"
    verbose_name = "保护"

    def ready(self):
        from ipcity.protection import enforcement, mediation
        from ipcity.stats.activities import ActivitySource, register

        register(ActivitySource(
            kinds=("mediation_administrative", "mediation_people", "mediation_association", "mediation_workstation"),
            columns=("编号", "渠道", "调解机构", "结案或司法确认日期"),
            models=("protection.MediationCase",),
            records=mediation.activity_records, rows=mediation.activity_rows))
        register(ActivitySource(
            kinds=("case_patent", "case_trademark", "case_copyright", "officer_certificate", "market_city",
                   "market_national"),
            columns=("编号", "类型", "名称", "单位或证号", "决定书文号", "日期"),
            models=("protection.EnforcementCase", "protection.EnforcementCertificate", "protection.StandardizedMarket"),
            records=enforcement.activity_records, rows=enforcement.activity_rows,
            unmasked_kinds=("case_patent", "case_trademark", "case_copyright"),
            unmasked_columns=("编号", "类型", "当事人", "承办单位", "决定书文号", "立案日期"),
            unmasked_rows=enforcement.activity_rows_unmasked))
