"""Load the shipped 放假调休 schedule (fixtures/calendars/cn_holidays.json) so every installation has it.

Self-contained on purpose: a migration must keep working whatever later happens to the app's code.
Reversing deletes exactly the dates the file lists.
"""

import json
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import migrations

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "calendars" / "cn_holidays.json"


def shipped_days():
    """One dict per listed date, expanded from the file's per-festival ranges."""
    for year in json.loads(FIXTURE.read_text(encoding="utf-8"))["years"]:
        common = {"provisional": year["provisional"], "note": year["note"]}
        for festival in year["festivals"]:
            first, last = (date.fromisoformat(value) for value in festival["holidays"])
            while first <= last:
                yield {"date": first, "kind": "holiday", "name": festival["name"], **common}
                first += timedelta(days=1)
            for value in festival["workdays"]:
                yield {"date": date.fromisoformat(value), "kind": "workday", "name": festival["name"], **common}


def load(apps, schema_editor):
    CalendarDay = apps.get_model("calendars", "CalendarDay")
    CalendarDay.objects.using(schema_editor.connection.alias).bulk_create(
        CalendarDay(**day) for day in shipped_days()
    )


def unload(apps, schema_editor):
    CalendarDay = apps.get_model("calendars", "CalendarDay")
    dates = [day["date"] for day in shipped_days()]
    CalendarDay.objects.using(schema_editor.connection.alias).filter(date__in=dates).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0001_create_calendar_day"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
