"""Waar kan iemand terecht? (issue 19 item 3).

- the confirm page of a new signal shows what exists for its category and target
  groups (`confirm_panel`, plugged into signalen.intake by signalen/apps.py);
- /signalen/terecht/<wijk>/: the same lookup without a signal (between two visits);
- /signalen/terecht/<wijk>/kaart/: makes the resident's card and sends the
  professional to it;
- /signalen/terecht/<wijk>/aangeboden/ (POST): counts one "informal help offered
  first" for the wijk, nothing else;
- /terecht/<token>/: the card itself, public (the resident has no account): only the
  wijkteam's contact and the chosen public places and initiatives.

Only professionals of a team in the wijk: another role 403, another wijk 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import wijken_of_user
from core import ratelimit
from core.http import AuthenticatedHttpRequest, never_cache
from core.mail import site_url
from signalen.intake.permissions import professional_required
from signalen.models import Signaal
from signalen.terecht import queries, services
from signalen.terecht.forms import AskForm, CardForm
from wijken.models import Wijk

# The last "once" values of the count button this session used: a double tap or a
# form sent again counts once. Kept in the professional's own session only.
ONCE_SESSION_KEY = "terecht_offered"
ONCE_KEEP = 50
# One professional counts at most this many offers a day: more than anyone makes
# between home visits, and it keeps one person from pushing a block's count over K.
# The counter lives a day in the cache only, never beside the count.
OFFERED_PER_DAY = 40


def _team_wijk(user: User, code: str) -> Wijk:
    wijk = (
        wijken_of_user(user)
        .filter(code=str(code).upper()[:10])
        .select_related("gemeente", "wijkteam_contact")
        .defer("geometry", "gemeente__geometry")
        .first()
    )
    if wijk is None:
        raise Http404
    return wijk


def _panel(ask: queries.Ask, *, back: str) -> dict[str, Any]:
    return {
        "terecht": queries.overview(ask),
        "terecht_once": uuid.uuid4().hex,
        "terecht_back": back,
        "terecht_languages": CardForm.base_fields["taal"].choices,  # type: ignore[attr-defined]
    }


def confirm_panel(user: User, signaal: Signaal) -> dict[str, Any]:
    """The confirm page's "Waar kan iemand terecht?" panel (its author only)."""
    if not wijken_of_user(user).filter(pk=signaal.wijk_id).exists():
        return {}
    return _panel(
        queries.ask_for_signaal(signaal),
        back=reverse("signalen:confirm", args=[signaal.pk]),
    )


@never_cache
@professional_required
@require_GET
def lookup(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    wijk = _team_wijk(request.user, wijk_code)
    form = AskForm(request.GET or None, wijk=wijk)
    status = 200
    ask = queries.Ask(wijk=wijk)
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            ask = queries.Ask(
                wijk=wijk,
                buurt=data["buurt"],
                categorie=data["categorie"].code if data["categorie"] else "",
                doelgroepen=tuple(d.code for d in data["doelgroep"]),
            )
        else:
            status = 400
    context = {"wijk": wijk, "form": form}
    context.update(_panel(ask, back=request.get_full_path()))
    return render(request, "signalen/terecht.html", context, status=status)


@never_cache
@professional_required
@require_GET
def card_make(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    """The card of the ticked items, as a link the professional can share."""
    wijk = _team_wijk(request.user, wijk_code)
    form = CardForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "signalen/terecht_kaart_fout.html",
            {"wijk": wijk, "form": form},
            status=400,
        )
    chosen = {s.key: form.cleaned_data.get(s.key) or [] for s in queries.SOURCES}
    # Only what is of this wijk and public: anything else is refused, not dropped.
    for source in queries.SOURCES:
        ids = chosen[source.key]
        if ids and len(source.on_card(wijk, ids)) != len(set(ids)):
            form.add_error(None, _("Een van de keuzes hoort niet bij deze wijk."))
            return render(
                request,
                "signalen/terecht_kaart_fout.html",
                {"wijk": wijk, "form": form},
                status=400,
            )
    token = queries.card_token(
        wijk=wijk, chosen=chosen, language=form.cleaned_data.get("taal") or ""
    )
    return redirect("terecht:kaart", token=token)


def _back(request: AuthenticatedHttpRequest, wijk: Wijk) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("signalen:terecht", args=[wijk.code])


@never_cache
@professional_required
@require_POST
def offered(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    """Count one offer of informal help in the wijk's running block. Stores no
    author and no signal; a double tap (the same `once`) counts once."""
    wijk = _team_wijk(request.user, wijk_code)
    once = str(request.POST.get("once", ""))[:32]
    used = list(request.session.get(ONCE_SESSION_KEY, []))
    if len(once) != 32 or not all(c in "0123456789abcdef" for c in once):
        messages.error(request, _("Dit kon niet worden geteld. Probeer het opnieuw."))
        return HttpResponseRedirect(_back(request, wijk), status=303)
    if once in used:
        messages.info(request, _("Dit was al geteld."))
    elif not ratelimit.allow(
        f"terecht:offered:{request.user.pk}", limit=OFFERED_PER_DAY, seconds=86400
    ):
        messages.error(
            request,
            _(
                "U telde vandaag al %(n)s keer. Meer tellen we niet per dag: zo kan "
                "niemand het aantal van de wijk alleen opdrijven."
            )
            % {"n": OFFERED_PER_DAY},
        )
    else:
        services.offered_add(wijk=wijk)
        request.session[ONCE_SESSION_KEY] = [*used, once][-ONCE_KEEP:]
        messages.success(
            request,
            _(
                "Geteld: u bood eerst informele hulp aan. Wij bewaren alleen het "
                "aantal per wijk, niet wie het deed."
            ),
        )
    return HttpResponseRedirect(_back(request, wijk), status=303)


@require_GET
def card(request: Any, token: str) -> HttpResponse:
    """The resident's card: public, nothing of a signal, nothing of the professional."""
    found = queries.card_read(token)
    if found is None:
        raise Http404
    language = request.GET.get("taal") or found.language
    url = site_url(reverse("terecht:kaart", args=[token]))
    context = {"card": found, "card_url": url, "card_token": token}
    if language in ("nl", "en"):
        with translation.override(language):
            response = render(request, "terecht/kaart.html", context)
    else:
        response = render(request, "terecht/kaart.html", context)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
