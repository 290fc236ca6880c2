"""Mark the registry records the operations center wrote before records kept their origin: each registered pledge
belongs to its financing application (so the bank can still release it), each deal's transfer or licence to its deal."""

from django.db import migrations


def backfill(apps, schema_editor):
    Pledge = apps.get_model("stats", "Pledge")
    LegalEvent = apps.get_model("stats", "LegalEvent")
    FinancingApplication = apps.get_model("operations", "FinancingApplication")
    Deal = apps.get_model("operations", "Deal")
    for application in FinancingApplication.objects.exclude(pledge_reference="").order_by("pk"):
        Pledge.objects.filter(reference=application.pledge_reference, origin="").update(
            origin=f"operations.financing:{application.pk}")
    for deal in Deal.objects.select_related("offer").order_by("pk"):
        LegalEvent.objects.filter(patent_id=deal.offer.patent_id, date=deal.recordal_date, origin="",
                                  event_type="transfer" if deal.kind == "transfer" else "licence").update(
            origin=f"operations.deal:{deal.pk}")


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0006_financing_copyrights_release"),
        ("stats", "0003_registry_record_origin"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
