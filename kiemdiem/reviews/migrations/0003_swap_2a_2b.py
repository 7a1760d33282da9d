"""HD 43-HD/BTCTW Mục 2 điểm 1: Mẫu 2A is for members holding a leadership or management
post, 2B for those without. Until this migration the app had the letters the other way
round, so a stored "2A" meant the form without a post: swap the two in saved reviews."""

from django.db import migrations
from django.db.models import Case, CharField, Value, When


def swap(apps, schema_editor):  # type: ignore[no-untyped-def]
    review = apps.get_model("reviews", "SelfReview")
    review.objects.filter(variant__in=["2A", "2B"]).update(
        variant=Case(
            When(variant="2A", then=Value("2B")),
            default=Value("2A"),
            output_field=CharField(),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_collectivereport_status_selfreview")]
    operations = [migrations.RunPython(swap, swap)]
