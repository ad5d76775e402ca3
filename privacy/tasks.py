"""Background jobs of the data rights (AVG): thin, the work is in privacy/services.py.
The task names keep the buurtwijs.tasks. prefix they had before the move (beat
and queued messages use them)."""

from __future__ import annotations

from celery import shared_task

from outbox.base import Outboxed


@shared_task(name="buurtwijs.tasks.avg_inactive_accounts", acks_late=True)
def avg_inactive_accounts() -> dict[str, int]:
    from privacy.services import inactive_accounts_run

    return inactive_accounts_run()


@shared_task(
    name="buurtwijs.tasks.avg_export_build",
    base=Outboxed,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def avg_export_build(user_id: int) -> bool:
    from privacy.services import export_build_and_mail

    return export_build_and_mail(user_id=user_id)
