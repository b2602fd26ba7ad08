"""A first history record (« création ») for the rows that existed before their history was
kept, so that their first edit shows what it changed (used by the migrations that start a
history)."""

from django.utils import timezone


def first_records(apps, app_label, models):
    now = timezone.now()
    for name in models:
        model = apps.get_model(app_label, name)
        history = apps.get_model(app_label, f"Historical{name}")
        known = set(history.objects.values_list("id", flat=True))
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "updated_at"]
        history.objects.bulk_create(
            [
                history(**{f: getattr(row, f) for f in fields}, history_date=now, history_type="+")
                for row in model.objects.exclude(pk__in=known)
            ],
            batch_size=500,
        )
