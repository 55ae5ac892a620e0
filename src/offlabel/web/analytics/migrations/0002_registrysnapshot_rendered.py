from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="registrysnapshot",
            name="rendered",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
