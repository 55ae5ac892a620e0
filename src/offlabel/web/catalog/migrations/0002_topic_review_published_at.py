from django.db import migrations, models
from django.db.models import Max


def backfill(apps, schema_editor):
    """Topics already reviewed learn when their newest published version went out."""
    Topic = apps.get_model("catalog", "Topic")
    Review = apps.get_model("reviews", "Review")
    latest = (
        Review.objects.filter(published_at__isnull=False)
        .values("topic_id")
        .annotate(at=Max("published_at"))
    )
    for row in latest:
        Topic.objects.filter(pk=row["topic_id"]).update(review_published_at=row["at"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="review_published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the newest published review version of this topic went out.",
                null=True,
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
