"""The wijkteam's contact and the places of its wijken: thin views over
wijken/services.py, for professionals of a team in the wijk and for beheerders.

- /signalen/plekken/: the wijken the user may keep up (a beheerder searches).
- /signalen/plekken/<wijk code>/: the contact and the places of one wijk.
- .../contact/, .../nieuw/, .../<pk>/wijzigen/, .../verwijderen/: the writes.

Wrong role: 403 (anonymous: the login page). A wijk outside the team, or a place of
another wijk: 404. A refused form comes back with the text as typed and the errors
beside it (status 400); a done write redirects to the wijk's overview with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Role
from core.http import AuthenticatedHttpRequest, never_cache
from signalen.intake.permissions import (
    places_managers_required,
    places_wijk_get,
    places_wijken,
)
from signalen.places.forms import ContactForm, PlekForm
from wijken import queries as wijken_queries
from wijken import services as wijken_services
from wijken.forms import SearchForm
from wijken.models import Plek, Wijk

SEARCH_LIMIT = 50


def _add_service_error(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _overview(wijk: Wijk) -> HttpResponse:
    return redirect("signalen:plekken_wijk", wijk_code=wijk.code)


def _plek_get(wijk: Wijk, pk: int) -> Plek:
    plek = Plek.objects.filter(wijk=wijk, pk=pk).select_related("buurt").first()
    if plek is None:
        raise Http404
    return plek


@never_cache
@places_managers_required
@require_GET
def plekken_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    is_beheerder = user.role == Role.BEHEERDER
    form = SearchForm(request.GET or None)
    wijken: list[Wijk] = []
    searched = False
    if is_beheerder:
        if form.is_valid() and form.cleaned_data["q"]:
            searched = True
            term = form.cleaned_data["q"]
            wijken = list(
                wijken_queries.wijken_search(term=term)
                .defer("geometry", "gemeente__geometry")
                .select_related("wijkteam_contact")[:SEARCH_LIMIT]
            )
    else:
        wijken = list(
            places_wijken(user)
            .select_related("gemeente", "wijkteam_contact")
            .defer("geometry", "gemeente__geometry")
            .order_by("name")
        )
    return render(
        request,
        "signalen/plekken_index.html",
        {
            "wijken": wijken,
            "is_beheerder": is_beheerder,
            "form": form,
            "searched": searched,
            "limit": SEARCH_LIMIT,
        },
    )


@never_cache
@places_managers_required
@require_GET
def plekken_wijk(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    wijk = places_wijk_get(user=request.user, code=wijk_code)
    return render(
        request,
        "signalen/plekken_wijk.html",
        {
            "wijk": wijk,
            "contact": wijken_queries.contact_model_for_wijk(wijk),
            "plekken": list(wijken_queries.plekken_of_wijk(wijk)),
        },
    )


@never_cache
@places_managers_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    wijk = places_wijk_get(user=request.user, code=wijk_code)
    contact = wijken_queries.contact_model_for_wijk(wijk)
    form = ContactForm(request.POST or None, instance=contact)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                wijken_services.contact_save(wijk=wijk, data=form.cleaned_data)
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Het contact van het wijkteam in %(wijk)s is opgeslagen.")
                    % {"wijk": wijk.name},
                )
                return _overview(wijk)
        status = 400
    return render(
        request,
        "signalen/contact_form.html",
        {"wijk": wijk, "form": form, "contact": contact},
        status=status,
    )


@never_cache
@places_managers_required
@require_http_methods(["GET", "POST"])
def contact_delete(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    wijk = places_wijk_get(user=request.user, code=wijk_code)
    contact = wijken_queries.contact_model_for_wijk(wijk)
    if contact is None:
        raise Http404
    if request.method == "POST":
        wijken_services.contact_delete(wijk=wijk)
        messages.success(
            request,
            _("Het contact van het wijkteam in %(wijk)s is weggehaald.")
            % {"wijk": wijk.name},
        )
        return _overview(wijk)
    return render(
        request,
        "signalen/plekken_confirm_delete.html",
        {"wijk": wijk, "what": _("het contact van het wijkteam"), "plek": None},
    )


@never_cache
def _plek_form_page(
    request: HttpRequest,
    wijk: Wijk,
    form: PlekForm,
    plek: Plek | None,
    status: int,
    *,
    stored_name: str = "",
) -> HttpResponse:
    return render(
        request,
        "signalen/plek_form.html",
        {
            "wijk": wijk,
            "form": form,
            "plek": plek,
            # The form writes what was typed into the instance; the heading keeps
            # the name as it is stored.
            "stored_name": stored_name,
            "outline": wijken_queries.feature_collection([wijk]),
        },
        status=status,
    )


def _plek_save(
    request: HttpRequest, wijk: Wijk, form: PlekForm, plek: Plek | None
) -> HttpResponse | None:
    """Save through the service; None when refused (the errors are on the form)."""
    try:
        if plek is None:
            saved = wijken_services.plek_create(wijk=wijk, data=form.cleaned_data)
        else:
            saved = wijken_services.plek_update(plek=plek, data=form.cleaned_data)
    except ValidationError as error:
        _add_service_error(form, error)
        return None
    except IntegrityError:  # a second save of the same name that raced the check
        form.add_error("name", _("Er is al een plek met deze naam in deze wijk."))
        return None
    messages.success(
        request, _("De plek %(name)s is opgeslagen.") % {"name": saved.name}
    )
    return _overview(wijk)


@places_managers_required
@require_http_methods(["GET", "POST"])
def plek_create(request: AuthenticatedHttpRequest, wijk_code: str) -> HttpResponse:
    wijk = places_wijk_get(user=request.user, code=wijk_code)
    form = PlekForm(request.POST or None, wijk=wijk)
    if request.method == "POST":
        if form.is_valid():
            done = _plek_save(request, wijk, form, None)
            if done is not None:
                return done
        return _plek_form_page(request, wijk, form, None, 400)
    return _plek_form_page(request, wijk, form, None, 200)


@places_managers_required
@require_http_methods(["GET", "POST"])
def plek_update(
    request: AuthenticatedHttpRequest, wijk_code: str, pk: int
) -> HttpResponse:
    wijk = places_wijk_get(user=request.user, code=wijk_code)
    plek = _plek_get(wijk, pk)
    stored_name = plek.name
    form = PlekForm(request.POST or None, wijk=wijk, instance=plek)
    if request.method == "POST":
        if form.is_valid():
            done = _plek_save(request, wijk, form, plek)
            if done is not None:
                return done
        return _plek_form_page(request, wijk, form, plek, 400, stored_name=stored_name)
    return _plek_form_page(request, wijk, form, plek, 200, stored_name=stored_name)


@never_cache
@places_managers_required
@require_http_methods(["GET", "POST"])
def plek_delete(
    request: AuthenticatedHttpRequest, wijk_code: str, pk: int
) -> HttpResponse:
    wijk = places_wijk_get(user=request.user, code=wijk_code)
    plek = _plek_get(wijk, pk)
    if request.method == "POST":
        wijken_services.plek_delete(plek=plek)
        messages.success(
            request, _("De plek %(name)s is weggehaald.") % {"name": plek.name}
        )
        return _overview(wijk)
    return render(
        request,
        "signalen/plekken_confirm_delete.html",
        {"wijk": wijk, "what": plek.name, "plek": plek},
    )
