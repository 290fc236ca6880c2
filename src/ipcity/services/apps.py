from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "ipcity.services"
    label = "services"
    verbose_name = "服务"

    def ready(self):
        from ipcity.services import agencies, training
        from ipcity.stats.activities import ActivitySource, register

        register(ActivitySource(
            kinds=("training", "training_attendance"), columns=("编号", "培训", "对象或签到方式", "主办单位", "日期"),
            models=("services.Training", "services.Attendance", "services.TrainingAudienceSetting"),
            records=training.activity_records, rows=training.activity_rows))
        register(ActivitySource(
            kinds=("cluster_agency", "custody_sme"), columns=("编号", "机构或企业规模", "入驻位置或所在街道", "日期"),
            models=("services.ClusterMembership", "services.CustodyContract"),
            records=agencies.activity_records, rows=agencies.activity_rows,
            unmasked_kinds=("custody_sme",), unmasked_columns=("编号", "企业名称", "企业规模", "所在街道", "托管机构", "日期"),
            unmasked_rows=agencies.activity_rows_unmasked))
