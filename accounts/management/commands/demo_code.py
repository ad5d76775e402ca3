"""Print the current two-factor code of the demo accounts.

It only knows the public demo secret (accounts.demo.DEMO_TOTP_SECRET), never a real
user's, and refuses to run with DEBUG off so that it is never part of a real site.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_TOTP_SECRET, demo_totp_code


class Command(BaseCommand):
    help = (
        "Toon de 2FA-code van de demo-accounts (alleen met DEBUG aan). "
        "(Print the demo accounts' current 2FA code; DEBUG only.)"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_code werkt alleen met DEBUG aan: de demo-accounts horen niet op "
                "een echte site. (demo_code only works with DEBUG on.)"
            )
        code, seconds_left = demo_totp_code()
        self.stdout.write(
            f"2FA-code: {code}  (nog {seconds_left} seconden geldig / "
            f"valid for {seconds_left} more seconds)"
        )
        if seconds_left < 10:
            next_code, _ = demo_totp_code(step=1)
            self.stdout.write(f"Daarna (next): {next_code}")
        self.stdout.write(
            f"Sleutel (secret) voor uw authenticator-app: {DEMO_TOTP_SECRET}"
        )
