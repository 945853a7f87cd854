"""The periodic jobs of CELERY_BEAT_SCHEDULE run in a thread of `make run`'s server, for the embedded default.

Without Redis there is no worker and no beat, so `make run` would never warn or escalate an overdue ticket.
`manage.py rundev` starts this loop in its serving process: each job runs once at start, then at its interval,
inline (tasks are eager without a broker). Production runs the same schedule with one Celery beat instead.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.db import close_old_connections

log = logging.getLogger(__name__)


@dataclass
class Job:
    """One schedule entry: the task's name, its interval in seconds, and when it is next due."""

    task: str
    every: float
    due: float = 0.0


def jobs_from_settings() -> list[Job]:
    """The schedule's entries with a plain interval in seconds (crontab entries are left to a real beat)."""
    current_app.loader.import_default_modules()  # registers the apps' tasks, as a worker does at start
    jobs = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        schedule = entry["schedule"]
        if isinstance(schedule, int | float):
            jobs.append(Job(task=str(entry["task"]), every=float(schedule)))
        else:
            log.info("in-process beat skips %s: only interval schedules run here", name)
    return jobs


def run_due(jobs: list[Job], now: float) -> list[str]:
    """Run every job that is due at `now` and plan its next run; returns the tasks that ran."""
    ran = []
    for job in jobs:
        if now < job.due:
            continue
        job.due = now + job.every
        try:
            current_app.tasks[job.task].apply()
            ran.append(job.task)
        except Exception:  # one failing job must not stop the others or the loop
            log.exception("in-process beat: %s failed", job.task)
    return ran


def start(tick: float = 30.0) -> threading.Thread:
    """Start the loop in a daemon thread (it dies with the server); returns the thread."""
    jobs = jobs_from_settings()

    def loop() -> None:
        while True:
            # Like a request: this thread's connection is checked before and given back after each round.
            close_old_connections()
            run_due(jobs, time.monotonic())
            close_old_connections()
            time.sleep(tick)

    thread = threading.Thread(target=loop, name="in-process-beat", daemon=True)
    thread.start()
    return thread
