from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "ipcity.operations"
    label = "operations"
    verbose_name = "运营中心"

    def ready(self):
        from ipcity.operations import centers, navigation
        from ipcity.stats.activities import ActivitySource, register

        register(ActivitySource(
            kinds=("navigation_industry_planning", "navigation_enterprise_operation", "high_value_portfolio"),
            columns=("编号", "名称", "承担单位或企业", "类型", "验收或认定日期"),
            models=("operations.NavigationProject", "operations.HighValuePortfolio"),
            records=navigation.activity_records, rows=navigation.activity_rows))
        register(ActivitySource(
            kinds=(centers.ACTIVITY_KIND,), columns=("编号", "运营中心", "认定机关", "运营机构", "认定日期"),
            models=("operations.OperationCenterRecognition",),
            records=centers.activity_records, rows=centers.activity_rows))
