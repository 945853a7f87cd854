"""App configuration for apps.calendars."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class CalendarsConfig(AppConfig):
    """The Chinese working calendar (放假, 调休上班) and working hours, on which deadlines are counted."""

    name = "apps.calendars"
    label = "calendars"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from apps.calendars import worktime
        from apps.calendars.models import CalendarDay

        # A malformed WORKING_HOURS stops start-up here instead of failing at the first deadline.
        worktime.working_periods()
        receiver = worktime.on_calendar_day_change
        post_save.connect(receiver, sender=CalendarDay, dispatch_uid="calendars_day_saved")
        post_delete.connect(receiver, sender=CalendarDay, dispatch_uid="calendars_day_deleted")
