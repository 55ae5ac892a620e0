from django.db import migrations, models
from django.utils import timezone


def first_version(apps, schema_editor):
    apps.get_model("common", "ContentVersion").objects.create(
        pk=1, site=1, registry=1, changed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("common", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("site", models.BigIntegerField(default=0)),
                ("registry", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField()),
            ],
            options={"verbose_name": "content version"},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
