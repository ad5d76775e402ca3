"""Every page of the site, read from the URL conf, with real pks from the demo data.

The phone crawl (test_phone.py) visits each path this module gives, as every role, so a
page added to any urls.py is measured on a phone without anyone adding it to a list.
Only the URL names below are left out, each with its reason: they answer only POST,
need a one-time token from an e-mail, or are not pages (downloads, JSON, Django's
own admin).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Django's own admin (/beheer/) is not our layout.
ADMIN_NAMESPACE = "admin"

# URL names that answer only POST (a GET gives 405 or sends you elsewhere): forms
# posted from another page.
POST_ONLY: dict[str, str] = dict.fromkeys(
    (
        "set_language",
        "privacy:my_data_request",
        "signalen:thema_merge",
        "accounts:invitation_revoke",
        "signalen:withdraw",
        "signalen:signaal_attach",
        "signalen:thema_move",
        "signalen:thema_not_belong",
        "signalen:thema_confirm",
        "signalen:thema_rename",
        "signalen:thema_dismiss",
        "signalen:thema_status",
        "signalen:thema_visibility",
        "signalen:thema_link",
        "signalen:thema_unlink",
        "signalen:thema_publication_approve",
        "signalen:escalatie_receive",
        "signalen:escalatie_start",
        "signalen:escalatie_answer",
        "signalen:escalatie_comment",
        "signalen:doel_progress",
        "signalen:doel_comment",
        "signalen:doel_close",
        "signalen:doel_reopen",
        "themas:adopt",
        "themas:leave",
        "themas:progress",
        "themas:link",
        "themas:progress_hide",
        "themas:progress_show",
        "initiatieven:moderatie-handle",
        "initiatieven:bericht-delete",
        "initiatieven:afspraak-add",
        "initiatieven:deelname",
        "initiatieven:deelname-name",
        "initiatieven:follow",
        "initiatieven:behoefte-add",
        "initiatieven:behoefte-met",
        "initiatieven:behoefte-delete",
        "initiatieven:partner-add",
        "initiatieven:partner-delete",
        "initiatieven:bijeenkomst-delete",
        "peilingen:status",
        "peilingen:vraag_add",
        "peilingen:vraag_delete",
        "peilingen:ronde_start",
        "peilingen:bezoek_add",
        "peilingen:ronde_helper",
        "peilingen:ronde_close",
        "peilingen:summary_propose",
        "peilingen:summary_decide",
        "peilingen:thema_link",
        "bewonersagenda:steun",
        "bewonersagenda:thema_link",
        "bewonersagenda:answer",
        "bewonersagenda:close",
        "bewonersagenda:hide",
        "signalen:terecht_aangeboden",
        "wijkgesprek:volunteer",
        "wijkgesprek:agenda",
        "wijkgesprek:punt",
        "wijkgesprek:verslag",
        "wijkgesprek:afspraak",
        "buurtverbinders:consent",
        "buurtverbinders:koppeling_answer",
        "buurtverbinders:propose",
        "buurtverbinders:log_add",
        "buurtverbinders:revoke",
    ),
    "POST only",
)
# Pages reached only through a one-time token from an e-mail (none in the demo data).
TOKEN_PAGES: dict[str, str] = {
    "privacy:my_data_file": "token from the 'your data is ready' e-mail",
    "account_confirm_email": "key from the e-mail-confirmation mail",
    "account_reset_password_from_key": "key from the password-reset mail",
    "initiatieven:unsubscribe": "token from a digest e-mail",
    "initiatieven:organiser-invitation": "token from an organiser invitation mail",
    "account_confirm_login_code": "code from a login-code e-mail",
    "account_set_password": "only for an account without a password (none in the demo)",
    "mfa_authenticate": "only half-way through a log-in (the crawl's own log-in opens it)",
    "openid_connect_callback": "code and state from the gemeente's provider "
    "(tests/browser/test_oidc.py goes through it)",
    "openid_connect_login": "needs a gemeente's provider, none in the demo "
    "(tests/browser/test_oidc.py presses its button)",
    "socialaccount_login_error": "answers 401 (allauth's error page; our adapter sends "
    "a failed provider sign-in to the login page; tests/browser/test_oidc.py checks it)",
    "socialaccount_signup": "only half-way through a provider sign-in, and signing up "
    "that way is closed",
}
# Not pages: downloads, JSON, the session's end.
NOT_PAGES: dict[str, str] = {
    "health": "JSON",
    "account_logout": "ends the session the crawl needs",
    "mfa_download_recovery_codes": "text download",
    "privacy:my_data_download": "download",
    "signalen:buurt_options": "HTML fragment for a select, fetched by script",
    "signalen:confirm_status": "HTML fragment of the confirm page, fetched by script",
    "signalen:confirm": "only the author, right after saving: the demo's signals are "
    "scrubbed long before (tests/browser/test_quick_log_confirm.py opens it at 390 px)",
    "signalen:export": "CSV download",
    "signalen:teamrapport_csv": "CSV download",
    "signalen:terecht_kaart": "makes a card and redirects to it (terecht:kaart, "
    "which the crawl opens)",
    "initiatieven:map-data": "GeoJSON",
    "initiatieven:suggestions": "HTML fragment fetched by script",
    "initiatieven:bijeenkomst-ics": "calendar download",
    "wijkgesprek:ics": "calendar download",
    "initiatieven:photo": "image",
    "wijkbudget:bon": "image",
    "wijkbudget:uitslag-csv": "CSV download",
    "dashboard:open_data_file": "open-data download",
    "peilingen:results_csv": "CSV download",
    "dashboard:officer_wijk_export": "CSV/XLSX download",
    "dashboard:gemeente_export": "CSV/XLSX download",
    "api:schema": "OpenAPI schema (YAML)",
    "api:not_found": "JSON 404 of the API",
    **{
        f"api:{name}": "JSON (open-data API)"
        for name in (
            "gemeenten",
            "gemeente",
            "gemeente_wijken",
            "gemeente_signalen",
            "wijk",
            "wijk_buurten",
            "wijk_signalen",
            "wijk_plekken",
            "buurt",
            "initiatieven",
            "initiatief",
            "themas",
            "thema",
        )
    },
}
SKIPPED: dict[str, str] = {**POST_ONLY, **TOKEN_PAGES, **NOT_PAGES}


def url_names() -> dict[str, str]:
    """Every named URL of the site (admin left out): name -> route."""

    def walk(patterns: list[Any], prefix: str, ns: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ns
                if pattern.namespace:
                    inner = f"{ns}:{pattern.namespace}" if ns else pattern.namespace
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), inner
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{ns}:{pattern.name}" if ns else pattern.name
                yield name, prefix + str(pattern.pattern)

    return {
        name: route
        for name, route in walk(get_resolver().url_patterns, "", "")
        if name.split(":")[0] != ADMIN_NAMESPACE
    }


def _demo_objects() -> dict[str, Any]:
    """One real object of each kind the URLs need, from the demo data."""
    from accounts.demo import DEMO_EMAIL_DOMAIN as domain
    from accounts.demo import DEMO_TEAM_NAME
    from accounts.models import Invitation, Team, User
    from bewonersagenda.models import Agendapunt, AgendapuntStatus
    from buurtverbinders.models import Koppeling, Verbinder
    from initiatieven.models import (
        Behoefte,
        Bericht,
        Bijeenkomst,
        Initiatief,
        Melding,
        Partner,
    )
    from peilingen.models import Antwoord, Peiling, PeilingStatus, Ronde
    from signalen.models import (
        Escalatie,
        Signaal,
        ThemaLid,
        ThemaPublicatie,
        ThemaVoortgang,
        WijkDoel,
        WijkThema,
    )
    from wijkbudget.models import Aanvraag
    from wijken.models import Gemeente, Plek
    from wijkgesprek.models import Wijkgesprek

    team = Team.objects.get(name=DEMO_TEAM_NAME)
    wijk = team.wijken.order_by("code").first()
    lid = (
        ThemaLid.objects.filter(thema__wijk=wijk, signaal__team=team)
        .order_by("pk")
        .first()
    )
    thema = lid.thema if lid else WijkThema.objects.filter(wijk=wijk).first()
    public = WijkThema.objects.filter(publicaties__isnull=False).first() or thema
    initiatief = Initiatief.objects.filter(berichten__isnull=False).first()
    # The demo's open budget round (the newest) and one of its requests.
    aanvraag = Aanvraag.objects.order_by("-ronde__vote_close", "pk").first()
    return {
        "wijk": wijk,
        "gemeente": Gemeente.objects.filter(wijken=wijk).first()
        if wijk
        else Gemeente.objects.first(),
        "signaal": lid.signaal if lid else Signaal.objects.filter(team=team).first(),
        # The newest signal of the demo professional: editable for 24 hours.
        "own_signaal": Signaal.objects.filter(author__email=f"professional@{domain}")
        .order_by("-created_at")
        .first(),
        "thema": thema,
        "public_thema": public,
        "publicatie": ThemaPublicatie.objects.first(),
        "voortgang": ThemaVoortgang.objects.first(),
        "escalatie": Escalatie.objects.first(),
        "doel": WijkDoel.objects.first(),
        "plek": Plek.objects.filter(wijk=wijk).first(),
        "initiatief": initiatief,
        "bericht": Bericht.objects.filter(initiatief=initiatief).first(),
        "bijeenkomst": Bijeenkomst.objects.first(),
        "behoefte": Behoefte.objects.first(),
        "partner": Partner.objects.first(),
        "melding": Melding.objects.first(),
        "invitation": Invitation.objects.order_by("-expires_at").first(),
        "staff": User.objects.filter(email=f"professional@{domain}").first(),
        "aanvraag": aanvraag,
        "peiling_open": Peiling.objects.filter(status=PeilingStatus.OPEN).first(),
        "peiling_closed": Peiling.objects.filter(status=PeilingStatus.GESLOTEN).first(),
        "ronde": Ronde.objects.filter(closed_at__isnull=True).first(),
        # The demo's concern that waits for the officer's answer.
        "agendapunt": Agendapunt.objects.filter(status=AgendapuntStatus.DREMPEL)
        .order_by("pk")
        .first(),
        # The demo's planned wijkgesprek (its agenda drafted, the resident chairs).
        "wijkgesprek": Wijkgesprek.objects.order_by("-starts_at", "-pk").first(),
        "koppeling": Koppeling.objects.order_by("pk").first(),
        "verbinder": Verbinder.objects.order_by("pk").first(),
        "antwoord": Antwoord.objects.filter(
            vraag__kind="open", respons__peiling__status=PeilingStatus.OPEN
        )
        .exclude(text="")
        .first(),
    }


def _card_token(wijk: Any) -> str:
    """A resident's card of the demo wijk with its first places and initiatives."""
    from signalen.terecht.queries import Ask, card_token, overview

    found = overview(Ask(wijk=wijk, categorie="eenzaamheid"))
    chosen = {s.source.key: [item.id for item in s.items] for s in found.sections}
    return card_token(wijk=wijk, chosen=chosen)


def _kwargs_for(name: str, o: dict[str, Any]) -> dict[str, Any]:
    ns = name.split(":")[0] if ":" in name else ""
    pk_of: dict[str, Callable[[], Any]] = {
        "signalen": lambda: (
            o["escalatie"].pk
            if ":escalatie_" in name
            else o["doel"].pk
            if ":doel_" in name
            else o["plek"].pk
            if ":plek_" in name
            else o["thema"].pk
            if ":thema_" in name
            else o["own_signaal"].pk
            if name == "signalen:update"
            else o["signaal"].pk
        ),
        "themas": lambda: o["public_thema"].pk,
        "bewonersagenda": lambda: o["agendapunt"].pk,
        "wijkgesprek": lambda: o["wijkgesprek"].pk,
        "buurtverbinders": lambda: (
            o["koppeling"].pk if "koppeling" in name else o["verbinder"].pk
        ),
        "wijkbudget": lambda: o["aanvraag"].ronde_id,
        # The results of the closed demo survey; every other page of the open one.
        "peilingen": lambda: (
            o["peiling_closed"].pk
            if name == "peilingen:results"
            else o["peiling_open"].pk
        ),
        "initiatieven": lambda: (
            o["bijeenkomst"].initiatief_id
            if "bijeenkomst" in name
            else o["initiatief"].pk
        ),
    }
    return {
        "pk": lambda: pk_of[ns](),
        "signaal_pk": lambda: o["signaal"].pk,
        "publicatie_pk": lambda: o["publicatie"].pk,
        "voortgang_pk": lambda: o["voortgang"].pk,
        "wijk_code": lambda: o["plek"].wijk.code if "plek" in name else o["wijk"].code,
        "code": lambda: (
            o["gemeente"].code
            if name in ("dashboard:gemeente", "wijken:gemeente")
            or name.startswith("api:gemeente")
            else o["wijk"].code
        ),
        "bericht_pk": lambda: o["bericht"].pk,
        "bijeenkomst_pk": lambda: o["bijeenkomst"].pk,
        "behoefte_pk": lambda: o["behoefte"].pk,
        "partner_pk": lambda: o["partner"].pk,
        "melding_pk": lambda: o["melding"].pk,
        "aanvraag_pk": lambda: o["aanvraag"].pk,
        "punt_pk": lambda: o["wijkgesprek"].punten.order_by("order", "pk").first().pk,
        "ronde_pk": lambda: o["ronde"].pk,
        "antwoord_pk": lambda: o["antwoord"].pk,
        "vraag_pk": lambda: o["peiling_open"].vragen.first().pk,
        "summary_pk": lambda: o["peiling_closed"].samenvattingen.first().pk,
        "token": lambda: (
            _card_token(o["wijk"]) if name == "terecht:kaart" else o["invitation"].token
        ),
        **(
            {"pk": lambda: o["invitation"].pk}
            if name == "accounts:invitation_revoke"
            else {"pk": lambda: o["staff"].pk}
            if name == "privacy:staff_deactivate"
            else {}
        ),
    }


def demo_paths(names: Iterable[str] | None = None) -> dict[str, str]:
    """Every page to visit: URL name -> path with real pks and codes from the demo data
    (or the paths of `names`). Raises when a URL needs a parameter this module cannot
    fill (a new URL: add it)."""
    objects = _demo_objects()
    routes = url_names()
    wanted = (
        [name for name in routes if name not in SKIPPED] if names is None else names
    )
    paths: dict[str, str] = {}
    missing: list[str] = []
    for name in wanted:
        if name not in routes:
            missing.append(f"{name}: not in the URL conf")
            continue
        fillers = _kwargs_for(name, objects)
        params = _params(routes[name])
        try:
            kwargs = {param: fillers[param]() for param in params}
        except (KeyError, AttributeError) as exc:
            missing.append(f"{name}: {exc}")
            continue
        paths[name] = reverse(name, kwargs=kwargs)
    if missing:
        raise LookupError(
            "No demo value for (add it to tests/browser/url_conf.py):\n"
            + "\n".join(missing)
        )
    return paths


def _params(route: str) -> list[str]:
    """The parameter names of a route such as 'x/<int:pk>/<str:code>/'."""
    params: list[str] = []
    for part in route.split("<")[1:]:
        params.append(part.split(">")[0].split(":")[-1])
    return params
