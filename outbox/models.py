"""One background task that someone waits for, written down before it is sent."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxTask(models.Model):
    """A task sent through the outbox (outbox/services.py): the row is written in the
    same transaction as what the task is about, the task is sent after the commit, and
    the row is marked done when the task has run. The beat sweep sends a row again
    that is due and not done: its message was lost with a worker or with Redis."""

    # The Celery task id: every copy of the message carries it.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("taak"), max_length=200)
    args = models.JSONField(_("argumenten"), default=list, blank=True)
    kwargs = models.JSONField(_("benoemde argumenten"), default=dict, blank=True)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    # Until then the task has its chance (in the queue, running, waiting to retry);
    # after it, the sweep sends it again.
    due_at = models.DateTimeField(_("opnieuw sturen na"))
    sent = models.PositiveSmallIntegerField(_("keer verstuurd"), default=0)
    runs = models.PositiveSmallIntegerField(_("keer begonnen"), default=0)
    started_at = models.DateTimeField(_("laatst begonnen"), null=True, blank=True)
    done_at = models.DateTimeField(_("klaar"), null=True, blank=True)
    gave_up = models.BooleanField(_("opgegeven"), default=False)

    class Meta:
        verbose_name = _("uitgaande taak")
        verbose_name_plural = _("uitgaande taken")
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(done_at__isnull=True),
                name="outbox_due_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.id}"
