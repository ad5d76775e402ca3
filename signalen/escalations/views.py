"""Beleidssignalen: the team sends a theme to the gemeente; the officer answers.

One list and one detail serve both sides, deciding by role: professionals see their
teams' escalations, officers those to their gemeente. Reads and writes go through
signalen/escalations/services.py. A refused action shows the page again with the error; a done
action redirects with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from accounts.permissions import role_required
from core.http import AuthenticatedHttpRequest, never_cache
from signalen.escalations import queries as escalation_queries
from signalen.escalations import services as escalations
from signalen.escalations.services import EscalationError
from signalen.intake.permissions import professional_required
from signalen.models import Escalatie, EscalatieStatus
from signalen.themes import services as themes
from signalen.themes.services import ThemeError

both_sides_required: Callable[..., Any] = role_required(
    Role.PROFESSIONAL, Role.AMBTENAAR
)
officer_required: Callable[..., Any] = role_required(Role.AMBTENAAR)


def _too_long() -> dict[str, Any]:
    return {
        "max_length": gettext_lazy(
            "De tekst is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d)."
        )
    }


# --- Forms -------------------------------------------------------------------------------


class EscalatieForm(forms.Form):
    """The escalation; for a theme that has no name yet, first the theme's name.

    Outside the team a theme carries only a name a professional wrote, never the
    engine's keywords, so an unnamed theme is named here before it goes out."""

    use_required_attribute = False

    thema_name = forms.CharField(
        label=gettext_lazy("Naam van het thema"),
        max_length=themes.NAME_MAX_LENGTH,
        help_text=gettext_lazy(
            "Dit thema heeft nog geen naam. De gemeente ziet deze naam, niet de woorden "
            "van het systeem. Schrijf in een paar woorden waar het over gaat."
        ),
        error_messages={
            "required": gettext_lazy(
                "Geef het thema een naam. De gemeente ziet deze naam."
            ),
            **_too_long(),
        },
    )
    title = forms.CharField(
        label=gettext_lazy("Titel"),
        max_length=escalations.TITLE_MAX_LENGTH,
        help_text=gettext_lazy("Kort en duidelijk, hoogstens 160 tekens."),
        error_messages={
            "required": gettext_lazy("Geef het beleidssignaal een titel."),
            **_too_long(),
        },
    )
    argument = forms.CharField(
        label=gettext_lazy("Waarom moet de gemeente hier iets mee?"),
        max_length=escalations.ARGUMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Uw onderbouwing, hoogstens 5000 tekens. Schrijf geen namen of tekst uit "
            "signalen: de gemeente ziet alleen de cijfers hieronder."
        ),
        error_messages={
            "required": gettext_lazy(
                "Schrijf op waarom de gemeente hier iets mee moet."
            ),
            **_too_long(),
        },
    )
    request = forms.CharField(
        label=gettext_lazy("Wat vraagt het team aan de gemeente? (niet verplicht)"),
        max_length=escalations.REQUEST_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Hoogstens 2000 tekens."),
        error_messages=_too_long(),
    )

    def __init__(self, *args: Any, needs_name: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_name:
            del self.fields["thema_name"]


class AnswerForm(forms.Form):
    use_required_attribute = False

    answer = forms.CharField(
        label=gettext_lazy("Antwoord van de gemeente"),
        max_length=escalations.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Het team krijgt een e-mail met uw antwoord. Hoogstens 5000 tekens."
        ),
        error_messages={
            "required": gettext_lazy("Schrijf het antwoord van de gemeente."),
            **_too_long(),
        },
    )


class CommentForm(forms.Form):
    use_required_attribute = False

    text = forms.CharField(
        label=gettext_lazy("Bericht"),
        max_length=escalations.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Het team en de gemeente zien dit bericht. Hoogstens 5000 tekens."
        ),
        error_messages={
            "required": gettext_lazy("Schrijf een bericht."),
            **_too_long(),
        },
    )


class StepForm(forms.Form):
    """Receive or start handling: no fields, only the button."""


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Alle statussen")), *EscalatieStatus.choices],
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Kies een status uit de lijst.")
        },
    )


# --- Sending -----------------------------------------------------------------------------


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def thema_escalate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    thema = themes.theme_for_user(user, pk)
    status = 200
    needs_name = not thema.name
    if request.method == "POST":
        form = EscalatieForm(request.POST, needs_name=needs_name)
        if form.is_valid():
            try:
                # The name and the escalation go together, or neither does.
                with transaction.atomic():
                    if needs_name:
                        themes.theme_rename(
                            thema=thema,
                            actor=user,
                            name=form.cleaned_data["thema_name"],
                        )
                    escalatie = escalations.escalation_send(
                        actor=user,
                        thema=thema,
                        title=form.cleaned_data["title"],
                        argument=form.cleaned_data["argument"],
                        request=form.cleaned_data["request"],
                    )
            except ThemeError as error:
                thema.name = ""
                form.add_error("thema_name", error)
            except EscalationError as error:
                if needs_name:
                    thema.name = ""
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Het beleidssignaal is naar de gemeente gestuurd. U krijgt een "
                        "e-mail als de gemeente antwoordt."
                    ),
                )
                return redirect("signalen:escalatie_detail", pk=escalatie.pk)
        status = 400
    else:
        # The team's own name, never the engine's keywords: those stay in the team.
        form = EscalatieForm(initial={"title": thema.name}, needs_name=needs_name)
    open_one = escalation_queries.open_escalation_for_theme(thema)
    sendable = (
        thema.status in escalations.SENDABLE and thema.is_current and open_one is None
    )
    snapshot = escalations.escalation_snapshot(thema)
    return render(
        request,
        "signalen/escalatie_form.html",
        {
            "thema": thema,
            "form": form,
            "sendable": sendable,
            "open_one": open_one,
            "snapshot": escalation_queries.snapshot_view(snapshot),
            "k": settings.K_ANONYMITY,
        },
        status=status,
    )


# --- List and detail (both sides) --------------------------------------------------------


@never_cache
@both_sides_required
@require_GET
def escalatie_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    is_officer = user.role == Role.AMBTENAAR
    form = StatusFilterForm(request.GET or None)
    status: str | None = None
    if form.is_bound and form.is_valid():
        status = form.cleaned_data.get("status") or None
    if is_officer:
        found = escalation_queries.escalations_for_officer(user, status=status)
        counts = escalation_queries.status_counts_for_officer(user)
    else:
        found = escalation_queries.escalations_for_team_user(user)
        if status:
            found = found.filter(status=status)
        counts = {}
    return render(
        request,
        "signalen/escalatie_list.html",
        {
            "form": form,
            "escalaties": list(found),
            "is_officer": is_officer,
            "counts": [
                (label, counts.get(value, 0))
                for value, label in EscalatieStatus.choices
            ],
            "filtered": bool(status),
            "no_gemeente": is_officer and user.gemeente_id is None,
        },
    )


@never_cache
def _render_detail(
    request: AuthenticatedHttpRequest,
    escalatie: Escalatie,
    *,
    bound: forms.Form | None = None,
    bound_name: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    is_officer = escalation_queries.is_officer_of(user, escalatie)
    steps = escalation_queries.transitions_from(escalatie.status)
    action_forms: dict[str, forms.Form] = {
        "comment": CommentForm(prefix="reactie"),
        "answer": AnswerForm(prefix="antwoord"),
        "receive": StepForm(prefix="ontvangen"),
        "start": StepForm(prefix="behandeling"),
    }
    if bound is not None:
        action_forms[bound_name] = bound
    context = {
        "escalatie": escalatie,
        "is_officer": is_officer,
        "sender": escalatie.team.name
        if is_officer
        else (
            escalatie.sent_by.display_name if escalatie.sent_by else escalatie.team.name
        ),
        "snapshot": escalation_queries.snapshot_view(
            escalatie.snapshot, thema=escalatie.thema
        ),
        "timeline": escalation_queries.escalation_timeline(escalatie, viewer=user),
        "forms": action_forms,
        "can_receive": is_officer and EscalatieStatus.ONTVANGEN in steps,
        "can_start": is_officer and EscalatieStatus.IN_BEHANDELING in steps,
        "can_answer": is_officer and EscalatieStatus.BEANTWOORD in steps,
        "has_errors": bound is not None and bool(bound.errors),
        "error_section": bound_name,
    }
    return render(request, "signalen/escalatie_detail.html", context, status=status)


@both_sides_required
@require_GET
def escalatie_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    escalatie = escalation_queries.escalation_for_user(request.user, pk)
    return _render_detail(request, escalatie)


# --- Actions -----------------------------------------------------------------------------


def _act(
    request: AuthenticatedHttpRequest,
    pk: int,
    name: str,
    form: forms.Form,
    action: Callable[[User, Escalatie, dict[str, Any]], str],
) -> HttpResponse:
    user = request.user
    escalatie = escalation_queries.escalation_for_user(user, pk)
    if form.is_valid():
        try:
            message = action(user, escalatie, form.cleaned_data)
        except EscalationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, message)
            return redirect("signalen:escalatie_detail", pk=escalatie.pk)
    return _render_detail(request, escalatie, bound=form, bound_name=name, status=400)


def _receive(user: User, escalatie: Escalatie, data: dict[str, Any]) -> str:
    escalations.escalation_receive(actor=user, escalatie=escalatie)
    return _("Het beleidssignaal staat op 'ontvangen'. Het team ziet dat.")


def _start(user: User, escalatie: Escalatie, data: dict[str, Any]) -> str:
    escalations.escalation_start(actor=user, escalatie=escalatie)
    return _("Het beleidssignaal staat op 'in behandeling'. Het team ziet dat.")


def _answer(user: User, escalatie: Escalatie, data: dict[str, Any]) -> str:
    escalations.escalation_answer(
        actor=user, escalatie=escalatie, answer=data["answer"]
    )
    return _("Uw antwoord is opgeslagen. Het team krijgt een e-mail.")


def _comment(user: User, escalatie: Escalatie, data: dict[str, Any]) -> str:
    escalations.escalation_comment(actor=user, escalatie=escalatie, text=data["text"])
    return _("Uw bericht staat bij het beleidssignaal.")


@officer_required
@require_POST
def escalatie_receive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = StepForm(request.POST, prefix="ontvangen")
    return _act(request, pk, "receive", form, _receive)


@officer_required
@require_POST
def escalatie_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = StepForm(request.POST, prefix="behandeling")
    return _act(request, pk, "start", form, _start)


@officer_required
@require_POST
def escalatie_answer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = AnswerForm(request.POST, prefix="antwoord")
    return _act(request, pk, "answer", form, _answer)


@both_sides_required
@require_POST
def escalatie_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = CommentForm(request.POST, prefix="reactie")
    return _act(request, pk, "comment", form, _comment)
