"""A center is recognized once: each recognition gets its name's key (full-width folded, spaces removed), unique.
Recognitions recorded twice before this change keep their rows (the later ones get a key naming their id, so the
constraint holds); the indicator counts each center once anyway (operations.centers.activity_records)."""

import unicodedata

from django.db import migrations, models


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()[:200]


def fill_keys(apps, schema_editor):
    Center = apps.get_model("operations", "OperationCenterRecognition")
    seen = set()
    for center in Center.objects.order_by("recognized_on", "id"):
        key = _key(center.name)
        if key in seen:
            key = f"{key[:180]}#{center.pk}"
        seen.add(key)
        Center.objects.filter(pk=center.pk).update(name_key=key)


class Migration(migrations.Migration):

    dependencies = [
        ("operations", "0008_operation_center_recognition"),
    ]

    operations = [
        migrations.AddField(
            model_name="operationcenterrecognition",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=200, verbose_name="运营中心名称（归一）"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="operationcenterrecognition",
            name="name_key",
            field=models.CharField(editable=False, max_length=200, unique=True, verbose_name="运营中心名称（归一）"),
        ),
    ]
