"""Who may do what in a budget round.

Rounds, requests, advice, spending and (after closing) the totals are public. An
officer manages the rounds of their own gemeente, a beheerder every round; the
wijkteam of the wijk advises; organisers of an initiative in the wijk ask and account
for the money; residents of the wijk with a confirmed e-mail address vote with their account in a
round without codes; in a round with printed codes every address votes once with its
code, account or not.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from accounts.models import Role
from accounts.permissions import can_work_in_wijk
from initiatieven.models import Initiatief
from initiatieven.permissions import is_organiser
from wijkbudget.models import Ronde
from wijken.models import Wijk


def can_manage_wijk(user: Any, wijk: Wijk) -> bool:
    """Open and run rounds, print codes, record decisions."""
    if not user.is_authenticated:
        return False
    if user.role == Role.BEHEERDER:
        return True
    return bool(user.role == Role.AMBTENAAR and user.gemeente_id == wijk.gemeente_id)


def can_manage(user: Any, ronde: Ronde) -> bool:
    return can_manage_wijk(user, ronde.wijk)


def can_manage_any(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in (Role.BEHEERDER, Role.AMBTENAAR))


def can_advise(user: Any, ronde: Ronde) -> bool:
    return bool(user.is_authenticated and can_work_in_wijk(user, ronde.wijk))


def can_request_for(user: Any, initiatief: Initiatief) -> bool:
    """Organisers (residents) of a visible initiative ask on its behalf."""
    return bool(
        user.is_authenticated
        and user.role == Role.BEWONER
        and not initiatief.is_hidden
        and is_organiser(user, initiatief)
    )


def has_verified_email(user: Any) -> bool:
    return EmailAddress.objects.filter(
        user=user, email__iexact=user.email, verified=True
    ).exists()


class NoAccountVote:
    """Why an account may not vote in a round (codes for the template)."""

    ANONYMOUS = "anonymous"
    NOT_RESIDENT = "not_resident"
    OTHER_WIJK = "other_wijk"
    UNVERIFIED = "unverified"
    VOTED = "voted"
    # The gemeente posted codes to every address: each address votes once, with its
    # code, also a resident who has an account (else one person could vote twice: with
    # the account and with the household's letter).
    CODES = "codes"


def has_codes(ronde: Ronde) -> bool:
    """Codes of this round are out (a batch not withdrawn)."""
    return ronde.codereeksen.filter(withdrawn_at__isnull=True).exists()


def account_vote_refusal(user: Any, ronde: Ronde) -> str | None:
    """None when this account may vote in the round now; else why not."""
    if not user.is_authenticated:
        return NoAccountVote.ANONYMOUS
    if user.role != Role.BEWONER:
        return NoAccountVote.NOT_RESIDENT
    if user.wijk_id != ronde.wijk_id:
        return NoAccountVote.OTHER_WIJK
    if not has_verified_email(user):
        return NoAccountVote.UNVERIFIED
    if ronde.stemmers.filter(user=user).exists():
        return NoAccountVote.VOTED
    if has_codes(ronde):
        return NoAccountVote.CODES
    return None
