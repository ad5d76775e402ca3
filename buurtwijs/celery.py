"""The Celery app: broker and schedule come from settings (namespace CELERY)."""

import os

from celery import Celery

from buurtwijs import kombu_patch
from buurtwijs.schedule import BEAT_SCHEDULE

# A worker that loses Redis reconnects instead of exiting (see the module).
kombu_patch.apply()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwijs.settings")

app = Celery("buurtwijs")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The schedule lives in code (buurtwijs/schedule.py); without this line beat runs nothing.
app.conf.beat_schedule = BEAT_SCHEDULE
app.autodiscover_tasks()


@app.task(name="buurtwijs.ping")
def ping() -> str:
    """Answer 'pong': used by the health check and the worker test."""
    return "pong"
