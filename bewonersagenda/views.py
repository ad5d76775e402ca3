"""The bewonersagenda: thin views over services.py and queries.py.

- /bewonersagenda/: the officer's list of concerns that need an answer (overdue
  marked); everyone else is sent to their wijk's list, or sees the wijken;
- /bewonersagenda/wijk/<code>/: a wijk's concerns, public; a resident raises one;
- /bewonersagenda/<pk>/: a concern: support or withdraw (residents of the wijk),
  link a public theme (the team), answer (officers), close and hide.

A refused write shows the page again with the error (status 400); a done write
redirects with a message. Not yours: 404; not your role: 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import role_required, wijken_of_user
from bewonersagenda import permissions, queries, services
from bewonersagenda.forms import AgendapuntForm, AnswerForm, HideForm, ThemaForm
from bewonersagenda.models import Agendapunt, AgendapuntStatus
from bewonersagenda.services import AgendaError
from core.http import AuthenticatedHttpRequest, never_cache
from signalen.models import WijkThema
from wijken.models import Wijk


def _wijk(code: str) -> Wijk:
    wijk = (
        Wijk.objects.select_related("gemeente")
        .filter(code=code.upper(), is_active=True)
        .first()
    )
    if wijk is None:
        raise Http404
    return wijk


def _agendapunt(user: Any, pk: int) -> Agendapunt:
    agendapunt = (
        Agendapunt.objects.select_related("wijk__gemeente", "answered_by")
        .filter(pk=pk)
        .first()
    )
    if agendapunt is None or not permissions.can_see(user, agendapunt):
        raise Http404
    return agendapunt


def _theme_choices(agendapunt: Agendapunt) -> list[tuple[int, str]]:
    return [(row.pk, row.title) for row in queries.linkable_themes(agendapunt)]


@never_cache
def agenda_index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_authenticated and user.role == Role.BEWONER and user.wijk_id:
        return redirect("bewonersagenda:wijk", code=user.wijk.code)
    rows: list[Agendapunt] = []
    is_officer = user.is_authenticated and user.role == Role.AMBTENAAR
    if is_officer and user.gemeente_id:
        rows = list(queries.agendapunten_for_officer(user.gemeente_id))
    now = timezone.now()
    if user.is_authenticated and user.role == Role.PROFESSIONAL:
        wijken = wijken_of_user(user).select_related("gemeente").order_by("code")
    else:
        wijken = Wijk.objects.filter(is_active=True).order_by("gemeente__name", "code")
        if is_officer:
            wijken = wijken.filter(gemeente_id=user.gemeente_id)
        else:  # every wijk of the country would be too long a list
            wijken = wijken.filter(agendapunten__is_hidden=False).distinct()
    return render(
        request,
        "bewonersagenda/agenda_index.html",
        {
            "is_officer": is_officer,
            "rows": [
                (a, queries.is_overdue(a, now=now), queries.due_at(a)) for a in rows
            ],
            "wijken": wijken,
        },
    )


@never_cache
def agenda_wijk(request: HttpRequest, code: str) -> HttpResponse:
    wijk = _wijk(code)
    user: Any = request.user
    return render(
        request,
        "bewonersagenda/agendapunt_list.html",
        {
            "wijk": wijk,
            "agendapunten": list(queries.agendapunten_for_wijk(wijk)),
            "threshold": queries.threshold_for(wijk),
            "can_raise": permissions.can_raise(user, wijk),
            "is_resident_unverified": user.is_authenticated
            and user.role == Role.BEWONER
            and user.wijk_id == wijk.pk
            and not permissions.has_verified_email(user),
        },
    )


@never_cache
@role_required(Role.BEWONER)
@require_http_methods(["GET", "POST"])
def agendapunt_create(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    wijk = _wijk(code)
    if not permissions.can_raise(request.user, wijk):
        raise Http404
    form = AgendapuntForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                agendapunt = services.agendapunt_create(
                    author=request.user,
                    wijk=wijk,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                )
            except AgendaError as error:
                code = error.code or ""
                field = next((f for f in ("title", "text") if code.startswith(f)), None)
                form.add_error(field, error)
            else:
                messages.success(
                    request,
                    _("Uw punt staat op de agenda. Vraag buren om het te steunen."),
                )
                return redirect(agendapunt)
        status = 400
    return render(
        request,
        "bewonersagenda/agendapunt_form.html",
        {"wijk": wijk, "form": form},
        status=status,
    )


def _detail_page(
    request: HttpRequest,
    agendapunt: Agendapunt,
    *,
    answer_form: AnswerForm | None = None,
    thema_form: ThemaForm | None = None,
    hide_form: HideForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    is_team = permissions.is_team(user, agendapunt)
    can_answer = permissions.can_answer(user, agendapunt)
    supporters = queries.supporters(agendapunt)
    threshold = queries.effective_threshold(agendapunt)
    return render(
        request,
        "bewonersagenda/agendapunt_detail.html",
        {
            "agendapunt": agendapunt,
            "supporters": supporters,
            "threshold": threshold,
            "missing": max(0, threshold - supporters),
            "has_supported": queries.has_supported(
                agendapunt, user.pk if user.is_authenticated else None
            ),
            "can_support": permissions.can_support(user, agendapunt),
            "is_author": user.is_authenticated and agendapunt.author_id == user.pk,
            "themes": queries.linked_themes(agendapunt),
            "is_team": is_team,
            "thema_form": (
                thema_form or ThemaForm(choices=_theme_choices(agendapunt))
                if is_team and agendapunt.status != AgendapuntStatus.GESLOTEN
                else None
            ),
            "can_answer": can_answer,
            "answer_form": (
                answer_form or AnswerForm(initial={"answer": agendapunt.answer})
                if can_answer
                else None
            ),
            "can_close": permissions.can_close(user, agendapunt),
            "is_beheerder": permissions.is_beheerder(user),
            "hide_form": hide_form or HideForm(),
            "due_at": queries.due_at(agendapunt),
            "is_overdue": queries.is_overdue(agendapunt),
            "error": error,
        },
        status=status,
    )


@never_cache
def agendapunt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _agendapunt(request.user, pk))


@never_cache
@role_required(Role.BEWONER)
@require_POST
def steun(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """POST to support; with actie=intrekken to withdraw."""
    agendapunt = _agendapunt(request.user, pk)
    if not permissions.is_resident_of(request.user, agendapunt.wijk):
        raise Http404
    try:
        if request.POST.get("actie") == "intrekken":
            services.steun_withdraw(user=request.user, agendapunt=agendapunt)
            messages.success(request, _("U steunt dit punt niet meer."))
        else:
            reached = services.steun_add(user=request.user, agendapunt=agendapunt)
            messages.success(
                request,
                _("Dank u. Dit punt heeft nu genoeg steun en gaat naar de gemeente.")
                if reached
                else _("Dank u voor uw steun."),
            )
    except AgendaError as error:
        agendapunt.refresh_from_db()
        return _detail_page(request, agendapunt, error=error.messages[0], status=400)
    return redirect(agendapunt)


@never_cache
@role_required(Role.PROFESSIONAL)
@require_POST
def thema_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """POST thema=<pk> to link; with actie=ontkoppelen to unlink."""
    agendapunt = _agendapunt(request.user, pk)
    if not permissions.is_team(request.user, agendapunt):
        raise Http404
    if request.POST.get("actie") == "ontkoppelen":
        thema = WijkThema.objects.filter(
            pk=request.POST.get("thema") or 0, agendapunten=agendapunt
        ).first()
        if thema is None:
            raise Http404
        services.thema_unlink(actor=request.user, agendapunt=agendapunt, thema=thema)
        messages.success(request, _("Het thema is losgekoppeld."))
        return redirect(agendapunt)
    form = ThemaForm(request.POST, choices=_theme_choices(agendapunt))
    if form.is_valid():
        thema = WijkThema.objects.select_related("wijk").get(
            pk=form.cleaned_data["thema"]
        )
        try:
            services.thema_link(actor=request.user, agendapunt=agendapunt, thema=thema)
        except AgendaError as error:
            form.add_error("thema", error)
        else:
            messages.success(request, _("Het thema staat nu bij dit punt."))
            return redirect(agendapunt)
    return _detail_page(request, agendapunt, thema_form=form, status=400)


@never_cache
@role_required(Role.AMBTENAAR)
@require_POST
def answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agendapunt = _agendapunt(request.user, pk)
    if not permissions.is_officer(request.user, agendapunt):
        raise Http404
    if not permissions.can_answer(request.user, agendapunt):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.agendapunt_answer(
                actor=request.user,
                agendapunt=agendapunt,
                answer=form.cleaned_data["answer"],
            )
        except AgendaError as error:
            form.add_error("answer", error)
        else:
            messages.success(request, _("Uw antwoord staat bij het punt."))
            return redirect(agendapunt)
    return _detail_page(request, agendapunt, answer_form=form, status=400)


@never_cache
@role_required(Role.AMBTENAAR, Role.BEHEERDER)
@require_POST
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agendapunt = _agendapunt(request.user, pk)
    if not (
        permissions.is_officer(request.user, agendapunt)
        or permissions.is_beheerder(request.user)
    ):
        raise Http404
    try:
        services.agendapunt_close(actor=request.user, agendapunt=agendapunt)
    except AgendaError as error:
        return _detail_page(request, agendapunt, error=error.messages[0], status=400)
    messages.success(request, _("Het punt is gesloten."))
    return redirect(agendapunt)


@never_cache
@role_required(Role.BEHEERDER)
@require_POST
def hide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    agendapunt = _agendapunt(request.user, pk)
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            services.agendapunt_hide(
                actor=request.user,
                agendapunt=agendapunt,
                reason=form.cleaned_data["reason"],
            )
        except AgendaError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("Het punt is verborgen."))
            return redirect("bewonersagenda:wijk", code=agendapunt.wijk.code)
    return _detail_page(request, agendapunt, hide_form=form, status=400)
