"""The team in the loop, in the browser (issue 16 items 3 and 4): attach a new signal to
a suggested theme, and on a theme's page move a signal, mark it "hoort er niet bij",
merge two themes and split one.

Thin views like signalen/themes/views.py: professionals of the wijk only (another team's
theme or signal: 404; other roles: 403), the writes go through the services in
signalen/themes/corrections.py (stored as ThemaActie, audited in the theme's history,
kept by every later run). Merge and split show a confirm page first; "hoort er niet
bij" and moving are done from a page of their own that says what will happen.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.http import AuthenticatedHttpRequest, never_cache
from signalen.intake import services as intake
from signalen.intake.permissions import professional_required, signaal_get_for_user
from signalen.intake.staff_text import UNAVAILABLE_CODE
from signalen.models import AuditAction, Signaal, ThemaLid, WijkThema
from signalen.themes import services as themes
from signalen.themes import suggestions
from signalen.themes.services import ThemeError
from signalen.themes.views import (
    MEMBERS_SHOWN,
    ThemaMergeForm,
    _render_detail,
)

NEW = "nieuw"


def _current_theme(user: User, pk: int) -> WijkThema:
    """A current theme of the user's wijken; a closed or merged-away theme is not
    corrected any more, and another team's theme is not found."""
    thema = themes.theme_for_user(user, pk)
    if not thema.is_current:
        raise Http404
    return thema


def _member(thema: WijkThema, signaal_pk: int) -> Signaal:
    """A signal that counts in the theme now; anything else is not found here."""
    signaal = (
        themes.theme_members(thema)
        .filter(pk=signaal_pk)
        .select_related("author")
        .first()
    )
    if signaal is None:
        raise Http404
    return signaal


# --- Item 3: the suggestion at intake --------------------------------------------------


def suggestion_context(user: User, signaal: Signaal) -> dict[str, Any]:
    """What the suggestion block needs (the confirm page and the signal's theme page).
    Writes the audit entry when example phrases are shown."""
    choices = suggestions.suggestions_for_user(user=user, signaal=signaal)
    suggestions.suggestions_audit_view(actor=user, signaal=signaal, choices=choices)
    return {
        "suggestions": choices,
        "suggest_later": not choices
        and suggestions.may_suggest(user=user, signaal=signaal)
        and not suggestions.has_vector(signaal),
    }


@never_cache
@professional_required
@require_http_methods(["GET"])
def signaal_themes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Which theme the signal belongs to, and the suggestions to attach it."""
    user = request.user
    signaal = signaal_get_for_user(user=user, pk=pk)
    context = {
        "signaal": signaal,
        "current": suggestions.current_themes_of_signal(user=user, signaal=signaal),
        "pending": signaal.scrub_pending,
        **suggestion_context(user, signaal),
    }
    return render(request, "signalen/signaal_themas.html", context)


@never_cache
@professional_required
@require_POST
def signaal_attach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One tap: attach to the chosen theme, or "nieuw / weet ik niet" (nothing)."""
    user = request.user
    signaal = signaal_get_for_user(user=user, pk=pk)
    choice = request.POST.get("thema", "")
    if choice == NEW:
        messages.success(
            request,
            _(
                "Goed. Het signaal is aan geen thema gekoppeld. Het systeem kijkt bij "
                "de volgende ronde of het bij een thema past."
            ),
        )
        return redirect("signalen:signaal_themes", pk=signaal.pk)
    error = None
    thema = None
    if not suggestions.may_suggest(user=user, signaal=signaal):
        error = _(
            "Dit signaal kunt u nu niet aan een thema koppelen: de tekst wordt nog "
            "geanonimiseerd, of het signaal is ingetrokken."
        )
    elif not choice.isdigit():
        error = _("Kies een thema uit de lijst.")
    else:
        thema = (
            suggestions.attach_themes(user=user, signaal=signaal)
            .filter(pk=int(choice))
            .first()
        )
        if thema is None:
            error = _("Kies een thema van deze wijk uit de lijst.")
    if thema is not None and error is None:
        if ThemaLid.objects.filter(thema=thema, signaal=signaal).exists():
            messages.info(
                request,
                _("Het signaal hoorde al bij het thema '%(name)s'.")
                % {"name": thema.display_name},
            )
            return redirect("signalen:signaal_themes", pk=signaal.pk)
        try:
            themes.signal_attach(signaal=signaal, thema=thema, actor=user)
        except ThemeError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("Gekoppeld. Het signaal hoort nu bij het thema '%(name)s'.")
                % {"name": thema.display_name},
            )
            return redirect("signalen:signaal_themes", pk=signaal.pk)
    context = {
        "signaal": signaal,
        "current": suggestions.current_themes_of_signal(user=user, signaal=signaal),
        "pending": signaal.scrub_pending,
        "attach_error": error,
        **suggestion_context(user, signaal),
    }
    return render(request, "signalen/signaal_themas.html", context, status=400)


# --- Item 4: one member signal: move it, or "hoort er niet bij" -----------------------


class ThemaMoveForm(forms.Form):
    target = forms.ModelChoiceField(
        label=gettext_lazy("Naar welk thema?"),
        queryset=WijkThema.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Kies het thema waar het signaal bij hoort."),
            "invalid_choice": gettext_lazy(
                "Kies een ander thema uit deze wijk, uit de lijst."
            ),
        },
    )

    def __init__(self, *args: Any, thema: WijkThema, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.queryset = suggestions.wijk_targets(thema)  # type: ignore[attr-defined]
        field.label_from_instance = _theme_label  # type: ignore[attr-defined]


def _theme_label(thema: WijkThema) -> str:
    return _("%(name)s (%(size)s)") % {
        "name": thema.display_name,
        "size": suggestions.size_band(thema.size),
    }


@never_cache
def _render_signaal(
    request: AuthenticatedHttpRequest,
    thema: WijkThema,
    signaal: Signaal,
    *,
    move_form: ThemaMoveForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    intake.audit_log(actor=user, action=AuditAction.VIEW, signaal=signaal)
    context = {
        "thema": thema,
        "signaal": signaal,
        "move_form": move_form or ThemaMoveForm(thema=thema, prefix="verplaatsen"),
        "not_belong_error": error,
        "has_errors": status != 200,
    }
    return render(request, "signalen/thema_signaal.html", context, status=status)


@professional_required
@require_http_methods(["GET"])
def thema_signaal(
    request: AuthenticatedHttpRequest, pk: int, signaal_pk: int
) -> HttpResponse:
    thema = _current_theme(request.user, pk)
    return _render_signaal(request, thema, _member(thema, signaal_pk))


@professional_required
@require_POST
def thema_move(
    request: AuthenticatedHttpRequest, pk: int, signaal_pk: int
) -> HttpResponse:
    user = request.user
    thema = _current_theme(user, pk)
    signaal = _member(thema, signaal_pk)
    form = ThemaMoveForm(request.POST, thema=thema, prefix="verplaatsen")
    if form.is_valid():
        target = form.cleaned_data["target"]
        try:
            themes.signal_move(signaal=signaal, source=thema, target=target, actor=user)
        except ThemeError as refused:
            form.add_error("target", refused)
        else:
            messages.success(
                request,
                _(
                    "Verplaatst. Het signaal van %(date)s hoort nu bij het thema "
                    "'%(name)s'. Het systeem houdt zich daaraan."
                )
                % {
                    "date": date_format(signaal.observed_on, "j F Y"),
                    "name": target.display_name,
                },
            )
            return redirect("signalen:thema_detail", pk=thema.pk)
    return _render_signaal(request, thema, signaal, move_form=form, status=400)


@professional_required
@require_POST
def thema_not_belong(
    request: AuthenticatedHttpRequest, pk: int, signaal_pk: int
) -> HttpResponse:
    user = request.user
    thema = _current_theme(user, pk)
    signaal = _member(thema, signaal_pk)
    try:
        themes.signal_not_belong(signaal=signaal, thema=thema, actor=user)
    except ThemeError as refused:
        return _render_signaal(
            request, thema, signaal, error=" ".join(refused.messages), status=400
        )
    messages.success(
        request,
        _(
            "Het signaal van %(date)s is uit dit thema gehaald. Het systeem zet het er "
            "niet meer in."
        )
        % {"date": date_format(signaal.observed_on, "j F Y")},
    )
    return redirect("signalen:thema_detail", pk=thema.pk)


# --- Item 4: merge this theme with another --------------------------------------------


@never_cache
@professional_required
@require_POST
def thema_merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Step one (from the theme's page) shows the confirm page; step two merges the
    other theme into this one."""
    user = request.user
    thema = _current_theme(user, pk)
    form = ThemaMergeForm(request.POST, prefix="samenvoegen", thema=thema)
    if not form.is_valid():
        return _render_detail(
            request, thema, bound=form, bound_prefix="samenvoegen", status=400
        )
    other = form.cleaned_data["other"]
    if not form.cleaned_data["confirm"]:
        return render(
            request,
            "signalen/thema_merge_confirm.html",
            {"thema": thema, "other": other, "form": form},
        )
    try:
        themes.theme_merge(source=other, target=thema, actor=user)
    except ThemeError as refused:
        form.add_error("other", refused)
        return _render_detail(
            request, thema, bound=form, bound_prefix="samenvoegen", status=400
        )
    messages.success(
        request,
        _(
            "Samengevoegd. De signalen van '%(other)s' horen nu bij dit thema. Het "
            "systeem houdt zich daaraan."
        )
        % {"other": other.display_name},
    )
    return redirect("signalen:thema_detail", pk=thema.pk)


# --- Item 4: split chosen signals into a new theme ------------------------------------


class ThemaSplitForm(forms.Form):
    signalen = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Welke signalen gaan naar het nieuwe thema?"),
        queryset=Signaal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Kies minstens één signaal."),
            "invalid_choice": gettext_lazy("Kies signalen uit dit thema."),
            "invalid_pk_value": gettext_lazy("Kies signalen uit dit thema."),
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Naam van het nieuwe thema"),
        max_length=themes.NAME_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy(
            "Mag leeg blijven. Hoogstens 120 tekens, zonder namen van personen."
        ),
        error_messages={
            "max_length": gettext_lazy(
                "De naam is te lang: hoogstens %(limit_value)d tekens "
                "(nu %(show_value)d)."
            ),
        },
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    use_required_attribute = False

    def __init__(self, *args: Any, members: QuerySet[Signaal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["signalen"]
        field.queryset = members  # type: ignore[attr-defined]
        field.label_from_instance = _member_label  # type: ignore[attr-defined]


def _member_label(signaal: Signaal) -> str:
    text = suggestions.phrase(signaal.text) if signaal.text else _("geen tekst meer")
    return _("%(date)s, %(categorie)s: %(text)s") % {
        "date": date_format(signaal.observed_on, "j F Y"),
        "categorie": _(signaal.categorie.name),
        "text": text,
    }


@never_cache
def _render_split(
    request: AuthenticatedHttpRequest,
    thema: WijkThema,
    form: ThemaSplitForm,
    members: QuerySet[Signaal],
    *,
    template: str = "signalen/thema_split.html",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    shown = list(members.values_list("pk", flat=True)[:MEMBERS_SHOWN])
    themes.theme_audit_view(
        actor=user, thema=thema, signaal_ids=shown, members=members.count()
    )
    return render(
        request,
        template,
        {"thema": thema, "form": form, "has_errors": bool(form.errors)},
        status=status,
    )


@professional_required
@require_http_methods(["GET", "POST"])
def thema_split(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The newest members to choose from; step one shows the confirm page, step two
    splits them off into a new theme."""
    user = request.user
    thema = _current_theme(user, pk)
    members = themes.theme_members(thema)
    choosable = members.filter(
        pk__in=list(members.values_list("pk", flat=True)[:MEMBERS_SHOWN])
    )
    if request.method == "GET":
        return _render_split(request, thema, ThemaSplitForm(members=choosable), members)
    form = ThemaSplitForm(request.POST, members=choosable)
    if not form.is_valid():
        return _render_split(request, thema, form, members, status=400)
    chosen = list(form.cleaned_data["signalen"])
    if not form.cleaned_data["confirm"]:
        return _render_split(
            request,
            thema,
            form,
            members,
            template="signalen/thema_split_confirm.html",
        )
    try:
        new = themes.theme_split(
            thema=thema, signalen=chosen, actor=user, name=form.cleaned_data["name"]
        )
    except ThemeError as refused:
        field = "name" if refused.code == UNAVAILABLE_CODE else "signalen"
        form.add_error(field, refused)
        return _render_split(request, thema, form, members, status=400)
    messages.success(
        request,
        _(
            "Gesplitst. %(count)s signalen staan nu in het nieuwe thema '%(name)s'. "
            "Het systeem houdt zich daaraan."
        )
        % {"count": len(chosen), "name": new.display_name},
    )
    return redirect("signalen:thema_detail", pk=new.pk)
