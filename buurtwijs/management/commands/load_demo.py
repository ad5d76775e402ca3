"""Load a demo municipality and one account per role.

    python manage.py load_demo                       # fictional Demostad (GM9901)
    python manage.py load_demo --cbs FILE --gemeente GM0439   # a real one from CBS

It lives in accounts (not wijken) because it creates users as well as geography, and
wijken may not import accounts (see ARCHITECTURE.md, layers).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q
from django.urls import reverse

from accounts.demo import (
    DEMO_PASSWORD,
    DEMO_TEAM_NAME,
    DEMO_TOTP_SECRET,
    DEMO_USERS,
    demo_users_load,
)
from bewonersagenda.demo import demo_bewonersagenda_load
from buurtverbinders.demo import demo_buurtverbinders_load
from initiatieven.demo import demo_initiatieven_load
from opendata import builds as opendata
from peilingen.demo import demo_peilingen_load
from signalen.demo import demo_signalen_load
from signalen.demo.names import demo_themes_load
from signalen.terecht.demo import demo_terecht_load
from wijkbudget.demo import demo_wijkbudget_load
from wijken.demo import (
    DEMO_CODE,
    DEMO_NAME,
    DEMO_SEED,
    DemoError,
    demo_geography_load,
    demo_plan,
)
from wijken.demo_plekken import demo_plekken_load
from wijken.models import Gemeente, Wijk
from wijkgesprek.demo import demo_wijkgesprek_load

GEMEENTE_CODE_RE = re.compile(r"^GM\d{4}$")


class Command(BaseCommand):
    help = (
        "Laad een demo-gemeente met wijken, buurten en kerncijfers, en een demo-account "
        "per rol. Zonder --cbs: de verzonnen gemeente Demostad (GM9901). "
        "(Load a demo municipality and one demo account per role.)"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--cbs",
            metavar="FILE",
            help="Laad een echte gemeente uit dit CBS-bestand (GeoJSON, GeoPackage, CSV) "
            "in plaats van Demostad.",
        )
        parser.add_argument(
            "--gemeente",
            metavar="GMxxxx",
            help="Met --cbs: alleen deze gemeente inladen; de demo-accounts werken hier.",
        )
        parser.add_argument(
            "--code",
            default=DEMO_CODE,
            help="Code van de verzonnen gemeente (GM9900-GM9999). Standaard %(default)s.",
        )
        parser.add_argument("--name", default=DEMO_NAME, help="Standaard %(default)s.")
        parser.add_argument(
            "--seed",
            type=int,
            default=DEMO_SEED,
            help="Startgetal voor de verzonnen vormen en cijfers. Standaard %(default)s.",
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Adres van de site in de tabel. Standaard %(default)s.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Maak de demo-accounts ook als DEBUG uit staat. Hun wachtwoord en "
            "2FA-sleutel zijn openbaar: nooit op een echte site.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cbs"]:
            gemeente = self._load_cbs(Path(options["cbs"]), options["gemeente"])
        else:
            if options["gemeente"]:
                raise CommandError("--gemeente hoort bij --cbs (belongs with --cbs).")
            gemeente = self._load_fictional(
                code=options["code"].upper(), name=options["name"], seed=options["seed"]
            )

        if not settings.DEBUG and not options["force"]:
            self.stderr.write(
                self.style.WARNING(
                    "Geen demo-accounts gemaakt: DEBUG staat uit, dit lijkt een echte "
                    "site. Het demo-wachtwoord en de 2FA-sleutel zijn openbaar. Wilt u "
                    "ze toch, gebruik dan --force.\n(No demo accounts created: DEBUG is "
                    "off, so this looks like a real site, and the demo password and 2FA "
                    "secret are public. Use --force if you really want them.)"
                )
            )
            return
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "Let op: demo-accounts met een openbaar wachtwoord op een site met "
                    "DEBUG uit (--force). Verwijder ze voordat echte mensen de site "
                    "gebruiken."
                )
            )

        team_wijken = list(gemeente.wijken.filter(is_active=True).order_by("code")[:2])
        if not team_wijken:
            raise CommandError(
                f"{gemeente} heeft geen wijken; geen demo-team mogelijk."
            )
        team_name = (
            DEMO_TEAM_NAME if gemeente.is_demo else f"Demo-wijkteam {gemeente.name}"
        )
        demo_users_load(gemeente=gemeente, team_wijken=team_wijken, team_name=team_name)
        demo_initiatieven_load(gemeente=gemeente)
        # Roll-up, then the themes' names, then the collective loop, so that what
        # the loop shares with the gemeente carries a name a professional wrote.
        demo_themes_load(new_signals=demo_signalen_load(rollup=False))
        demo_plekken_load(gemeente=gemeente)
        # "Waar kan iemand terecht?": past taps of "informele hulp eerst aangeboden".
        demo_terecht_load(wijk=team_wijken[0])
        # After the themes: the team's advice links a public theme by its name.
        demo_wijkbudget_load(gemeente=gemeente)
        # After the themes: the closed survey links to the "buurthuis" theme.
        demo_peilingen_load(wijk=team_wijken[0])
        # After the themes: a waiting concern links a public theme.
        demo_bewonersagenda_load(wijk=team_wijken[0])
        # The demo resident is a buurtverbinder with a match in progress and a log.
        demo_buurtverbinders_load(wijk=team_wijken[0])
        # Last: its agenda is drafted from the themes, surveys and concerns above.
        demo_wijkgesprek_load(wijk=team_wijken[0])
        # The nightly job would build the open-data files only tomorrow; the demo's
        # /open-data/ page should offer them at once.
        opendata.build_all(codes=[gemeente.code])
        self._print_table(
            url=options["url"].rstrip("/"),
            gemeente=gemeente,
            team_name=team_name,
            team_wijken=team_wijken,
        )

    def _load_fictional(self, *, code: str, name: str, seed: int) -> Gemeente:
        try:
            plan = demo_plan(code=code, name=name, seed=seed)
            gemeente, report = demo_geography_load(plan=plan)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{gemeente.name} ({gemeente.code}), verzonnen demo-gemeente (fictional): "
            f"{report.counts['wijken']} wijken, {report.counts['buurten']} buurten, "
            f"kerncijfers van {report.counts['kerncijfers']} gebieden.\n"
            f"Rijen (rows): {report.created} nieuw (new), {report.updated} bijgewerkt "
            f"(updated), {report.unchanged} ongewijzigd (unchanged)."
        )
        return gemeente

    def _load_cbs(self, path: Path, code: str | None) -> Gemeente:
        if code is not None:
            code = code.upper()
            if not GEMEENTE_CODE_RE.match(code):
                raise CommandError(f"{code!r} is geen gemeentecode (GM en 4 cijfers).")
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden (file not found): {path}")
        try:
            # Imported here: the importer pulls in pyproj and file readers that the
            # fictional demo does not need.
            from wijken.importer import CBSImportError, cbs_import
        except ImportError as exc:
            raise CommandError(
                "De CBS-import (wijken.importer.cbs_import) is niet beschikbaar."
            ) from exc
        try:
            report = cbs_import(paths=[path], gemeenten=[code] if code else ())
        except CBSImportError as exc:
            raise CommandError(str(exc)) from exc
        for key, level_counts in report.counts.items():
            self.stdout.write(
                f"{key}: {level_counts.created} nieuw (new), "
                f"{level_counts.updated} bijgewerkt (updated)"
            )

        if code is not None:
            gemeente = Gemeente.objects.filter(code=code).first()
            if gemeente is None:
                raise CommandError(f"{code} staat niet in {path.name}.")
            return gemeente
        # Without --gemeente the demo accounts go to the real gemeente with most wijken.
        gemeente = (
            Gemeente.objects.filter(is_active=True, is_demo=False)
            .annotate(n=Count("wijken", filter=Q(wijken__is_active=True)))
            .filter(n__gt=0)
            .order_by("-n", "code")
            .first()
        )
        if gemeente is None:
            raise CommandError(f"Geen gemeente met wijken ingeladen uit {path.name}.")
        return gemeente

    def _print_table(
        self, *, url: str, gemeente: Gemeente, team_name: str, team_wijken: list[Wijk]
    ) -> None:
        rows = [("Rol (role)", "E-mail", "2FA")]
        rows += [
            (user.description, user.email, "ja (yes)" if user.needs_mfa else "nee (no)")
            for user in DEMO_USERS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        rule = "-" * (sum(widths) + 4)
        facts = [
            ("Site", f"{url}/  (na / after: python manage.py runserver)"),
            ("Inloggen (log in)", f"{url}{reverse('account_login')}"),
            (
                "Wachtwoord (password)",
                f"{DEMO_PASSWORD}  (alle accounts / all accounts)",
            ),
            ("2FA-code", "python manage.py demo_code"),
            ("", "of zet deze sleutel in uw authenticator-app"),
            ("", "(or add this secret to your authenticator app):"),
            ("", DEMO_TOTP_SECRET),
            ("Wijkteam", f"{team_name}: {', '.join(w.name for w in team_wijken)}"),
            ("Bewoner woont in (lives in)", team_wijken[0].name),
            ("Beheer (admin)", f"{url}{reverse('admin:index')}"),
        ]
        label_width = max(len(label) for label, _ in facts) + 2
        lines = [
            "",
            f"Buurtwijs demo: {gemeente.name} ({gemeente.code})"
            + ("  - verzonnen (fictional)" if gemeente.is_demo else ""),
            rule,
            *(
                f"{row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[2]}"
                for row in rows
            ),
            rule,
            *(
                f"{(label + ':') if label else ''}".ljust(label_width) + value
                for label, value in facts
            ),
        ]
        self.stdout.write("\n".join(lines))
