"""Ticket.handling_minutes: the working minutes dispatch → accepted submission, stored at 销号; filled for the
tickets already closed, with the working calendar as it stands (what the KPIs computed on every view before)."""

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    """Compute the stored handling time of every closed ticket that has both times."""
    # The calendar arithmetic is the app's own (historical models have no methods); it reads CalendarDay,
    # whose table the dependency below guarantees.
    from apps.calendars.worktime import work_minutes_between

    Ticket = apps.get_model("tickets", "Ticket")
    rows = Ticket.objects.filter(
        status="closed", dispatched_at__isnull=False, submitted_at__isnull=False
    ).only("pk", "dispatched_at", "submitted_at")
    batch = []
    for ticket in rows.iterator(chunk_size=BATCH):
        ticket.handling_minutes = work_minutes_between(ticket.dispatched_at, ticket.submitted_at)
        batch.append(ticket)
        if len(batch) == BATCH:
            Ticket.objects.bulk_update(batch, ["handling_minutes"])
            batch = []
    Ticket.objects.bulk_update(batch, ["handling_minutes"])


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0005_ticket_open_urgent_index"),
        ("calendars", "0002_load_cn_holidays"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="handling_minutes",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="处置用时(工作分钟)"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
