"""Make every stored decimal readable again: before ipcity.bounds, SQLite accepted an amount of 1e30 into a column of
16 digits, and every page reading that row then failed. The repair and its audit rows are in
ipcity.bounds.repair_unreadable_numbers; on a database without such values it changes nothing."""

from django.db import migrations


def repair(apps, schema_editor):
    from ipcity.bounds import repair_unreadable_numbers

    repair_unreadable_numbers(apps, schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("web", "0001_initial"),
        ("audit", "0003_audit_rows_not_deleted"),
        ("stats", "0002_copyrightregistration_geographicalindication"),
        ("plan", "0007_meetings_interviews_report_schedule"),
        ("operations", "0006_financing_copyrights_release"),
        ("protection", "0006_assistance_cooperation"),
        ("services", "0005_culture"),
    ]

    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
