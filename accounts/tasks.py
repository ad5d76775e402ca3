from celery import shared_task

from accounts.services import invitations_purge_expired


@shared_task(name="accounts.tasks.purge_expired_invitations", acks_late=True)
def purge_expired_invitations() -> int:
    return invitations_purge_expired()
