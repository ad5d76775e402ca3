"""The Celery app: broker and schedule come from settings (namespace CELERY)."""

import os

from celery import Celery
from celery.signals import worker_process_init

from buurtwijs.schedule import BEAT_SCHEDULE

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


@worker_process_init.connect
def _preload_embedder(**_kwargs: object) -> None:
    """Load the sentence model once per worker process (one thread), not in the first
    task. Web processes never load it."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from signalen.themes.embedding import preload

    try:
        preload()
    except Exception:  # a worker without the model still scrubs; embedding retries
        import logging

        logging.getLogger(__name__).exception("could not load the sentence model")
