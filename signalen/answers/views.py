"""The collective loop pages: the team links initiatives to a theme and writes its public
text; everyone sees a public theme; residents of the wijk adopt it, post progress and
link their initiative; professionals see what became of their signals.

Thin views: rules live in signalen/answers/services.py. A refused one-click action (link, unlink,
adopt, leave) comes back as an error message on the page it came from; a refused form
with text (public text, progress, own initiative) shows the page again with the text as
posted and the error beside it (status 400).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from core.http import AuthenticatedHttpRequest, never_cache
from initiatieven.models import Initiatief
from signalen.answers import publication
from signalen.answers import queries as answer_queries
from signalen.answers import services as answers
from signalen.intake.permissions import professional_required
from signalen.intake.scrubbing import LABELS
from signalen.kanon import outside_until
from signalen.models import (
    ThemaPublicatie,
    ThemaVoortgang,
    ThemaZichtbaarheid,
    WijkThema,
)
from signalen.themes import services as themes
from signalen.themes.services import ThemeError


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


# --- Forms -----------------------------------------------------------------------------


class PublishForm(forms.Form):
    use_required_attribute = False

    public_title = forms.CharField(
        label=gettext_lazy("Openbare titel"),
        max_length=answer_queries.PUBLIC_TITLE_MAX_LENGTH,
        help_text=gettext_lazy(
            "Kort en in gewone woorden, hoogstens 120 tekens. Bijvoorbeeld: Ouderen in "
            "de wijk zoeken een plek om elkaar te ontmoeten."
        ),
        error_messages={
            "required": gettext_lazy("Geef het thema een openbare titel."),
            "max_length": gettext_lazy(
                "De titel is te lang: hoogstens %(limit_value)d tekens "
                "(nu %(show_value)d)."
            ),
        },
    )
    public_text = forms.CharField(
        label=gettext_lazy("Openbare tekst"),
        max_length=answer_queries.PUBLIC_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Wat speelt er, in uw eigen woorden, hoogstens 2000 tekens. Gebruik geen "
            "tekst uit signalen en niets dat naar een persoon wijst."
        ),
        error_messages={
            "required": gettext_lazy("Schrijf in een paar zinnen wat er speelt."),
            "max_length": gettext_lazy(
                "De tekst is te lang: hoogstens %(limit_value)d tekens "
                "(nu %(show_value)d)."
            ),
        },
    )
    is_call = forms.BooleanField(
        label=gettext_lazy(
            "Oproep aan bewoners: nodig bewoners uit om iets te beginnen of mee te doen"
        ),
        required=False,
    )


class ProgressForm(forms.Form):
    use_required_attribute = False

    text = forms.CharField(
        label=gettext_lazy("Wat is er gebeurd?"),
        max_length=answers.PROGRESS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Hoogstens 2000 tekens. Iedereen kan dit lezen."),
        error_messages={
            "required": gettext_lazy("Schrijf wat er gebeurd is."),
            "max_length": gettext_lazy(
                "De tekst is te lang: hoogstens %(limit_value)d tekens "
                "(nu %(show_value)d)."
            ),
        },
    )


class OwnInitiativeForm(forms.Form):
    initiatief = forms.ModelChoiceField(
        label=gettext_lazy("Uw initiatief"),
        queryset=Initiatief.objects.none(),
        empty_label=None,
        error_messages={
            "required": gettext_lazy("Kies een initiatief."),
            "invalid_choice": gettext_lazy(
                "Kies een initiatief uit de lijst: een lopend initiatief dat u "
                "organiseert in deze wijk."
            ),
        },
    )

    def __init__(self, *args: Any, choices: list[Initiatief], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["initiatief"]
        field.queryset = Initiatief.objects.filter(  # type: ignore[attr-defined]
            pk__in=[i.pk for i in choices]
        ).order_by("title")


def _reason_field(label: Any, required_message: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=answers.REASON_MAX_LENGTH,
        help_text=gettext_lazy("Kort, hoogstens 500 tekens. Alleen het team ziet dit."),
        error_messages={
            "required": required_message,
            "max_length": gettext_lazy(
                "De reden is te lang: hoogstens %(limit_value)d tekens "
                "(nu %(show_value)d)."
            ),
        },
    )


class UnpublishForm(forms.Form):
    use_required_attribute = False

    reason = _reason_field(
        gettext_lazy("Waarom haalt u het thema van de openbare pagina's?"),
        gettext_lazy("Schrijf kort waarom het thema niet meer openbaar is."),
    )


class HideProgressForm(forms.Form):
    use_required_attribute = False

    reason = _reason_field(
        gettext_lazy("Waarom verbergt u dit bericht?"),
        gettext_lazy("Schrijf kort waarom u dit verbergt."),
    )


class AdoptForm(forms.Form):
    show_name = forms.BooleanField(
        label=gettext_lazy("Toon mijn naam bij dit thema"),
        required=False,
    )


# --- The team's actions on a theme --------------------------------------------------------


def _back(thema: WijkThema) -> HttpResponse:
    return redirect(
        reverse("signalen:thema_detail", kwargs={"pk": thema.pk}) + "#thema-antwoord"
    )


@professional_required
@require_POST
def thema_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    thema = themes.theme_for_user(user, pk)
    initiatief_pk = _int(request.POST.get("initiatief"))
    initiatief = (
        Initiatief.objects.filter(pk=initiatief_pk).first() if initiatief_pk else None
    )
    if initiatief is None:
        messages.error(
            request, _("Dat initiatief bestaat niet. Kies er een uit de lijst.")
        )
        return _back(thema)
    try:
        answers.answer_link(
            actor=user,
            thema=thema,
            initiatief=initiatief,
            note=request.POST.get("note", ""),
        )
    except ThemeError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("'%(title)s' is gekoppeld aan dit thema.") % {"title": initiatief.title},
        )
    return _back(thema)


@professional_required
@require_POST
def thema_unlink(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    thema = themes.theme_for_user(user, pk)
    initiatief_pk = _int(request.POST.get("initiatief"))
    initiatief = (
        Initiatief.objects.filter(pk=initiatief_pk).first() if initiatief_pk else None
    )
    if initiatief is None or not answers.answer_unlink(
        actor=user, thema=thema, initiatief=initiatief
    ):
        messages.error(request, _("Dat initiatief was niet gekoppeld aan dit thema."))
    else:
        messages.success(
            request,
            _("'%(title)s' is niet meer gekoppeld aan dit thema.")
            % {"title": initiatief.title},
        )
    return _back(thema)


def _publish_initial(thema: WijkThema) -> dict[str, Any]:
    return {
        "public_title": thema.public_title,
        "public_text": thema.public_text,
        "is_call": thema.is_call,
    }


_PUBLISH_FIELDS = {
    "title_required": "public_title",
    "title_too_long": "public_title",
    "text_required": "public_text",
    "text_too_long": "public_text",
    "signal_text": "public_text",
}


@never_cache
@professional_required
def thema_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the public text form; POST: first the preview as it will be stored
    ("Zo wordt het verstuurd", with what the scrubber took out), then, with `confirm`,
    the proposal that a colleague approves before the theme is public (vier ogen)."""
    user = request.user
    thema = themes.theme_for_user(user, pk)
    status = 200
    preview: dict[str, Any] | None = None
    if request.method == "POST":
        form = PublishForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("confirm") == "1":
                    answers.theme_publish(
                        actor=user,
                        thema=thema,
                        title=data["public_title"],
                        text=data["public_text"],
                        is_call=data["is_call"],
                    )
                else:
                    title, text, removed = publication.publication_clean(
                        thema=thema,
                        title=data["public_title"],
                        text=data["public_text"],
                    )
                    preview = {
                        "title": title,
                        "text": text,
                        "is_call": data["is_call"],
                        "removed": [str(LABELS.get(k, k)) for k in removed],
                    }
                    status = 200
            except ThemeError as error:
                form.add_error(_PUBLISH_FIELDS.get(str(error.code)), error)
            else:
                if preview is None:
                    messages.success(
                        request,
                        _(
                            "Uw tekst is opgeslagen. Een collega van het wijkteam moet "
                            "hem nog goedkeuren. Daarna staat het thema op een "
                            "openbare pagina."
                        ),
                    )
                    return _back(thema)
    elif request.method == "GET":
        form = PublishForm(initial=_publish_initial(thema))
    else:
        return HttpResponse(status=405)
    return render(
        request,
        "signalen/antwoord_openbaar.html",
        {
            "thema": thema,
            "form": form,
            "preview": preview,
            "can_publish": thema.status in themes.PUBLIC_ALLOWED,
            "is_public": answer_queries.is_public(thema),
            "pending": publication.publication_pending(thema),
        },
        status=status,
    )


class RejectForm(forms.Form):
    use_required_attribute = False

    reason = forms.CharField(
        label=gettext_lazy("Waarom wijst u de tekst af?"),
        max_length=answers.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Hoogstens 500 tekens. Uw collega leest dit en kan de tekst aanpassen."
        ),
        error_messages={
            "required": gettext_lazy("Schrijf kort waarom u de tekst afwijst."),
            "max_length": gettext_lazy(
                "De reden is te lang: hoogstens %(limit_value)d tekens "
                "(nu %(show_value)d)."
            ),
        },
    )


def _publicatie(thema: WijkThema, publicatie_pk: int) -> ThemaPublicatie:
    found = ThemaPublicatie.objects.filter(pk=publicatie_pk, thema=thema).first()
    if found is None:
        raise Http404
    return found


@professional_required
@require_POST
def thema_publication_approve(
    request: AuthenticatedHttpRequest, pk: int, publicatie_pk: int
) -> HttpResponse:
    """A second professional of the wijk approves the proposed public text."""
    user = request.user
    thema = themes.theme_for_user(user, pk)
    publicatie = _publicatie(thema, publicatie_pk)
    try:
        publication.publication_approve(actor=user, publicatie=publicatie)
    except ThemeError as error:
        messages.error(request, " ".join(str(m) for m in error.messages))
    else:
        messages.success(
            request,
            _(
                "U hebt de tekst goedgekeurd. Het thema staat nu op een openbare pagina."
            ),
        )
    return _back(thema)


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def thema_publication_reject(
    request: AuthenticatedHttpRequest, pk: int, publicatie_pk: int
) -> HttpResponse:
    """GET: the reason form; POST: reject the proposed public text with a reason."""
    user = request.user
    thema = themes.theme_for_user(user, pk)
    publicatie = _publicatie(thema, publicatie_pk)
    status = 200
    if request.method == "POST":
        form = RejectForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                publication.publication_reject(
                    actor=user,
                    publicatie=publicatie,
                    reason=form.cleaned_data["reason"],
                )
            except ThemeError as error:
                form.add_error(
                    "reason" if str(error.code).startswith("reason") else None, error
                )
            else:
                messages.success(
                    request,
                    _("U hebt de tekst afgewezen. Uw collega ziet uw reden."),
                )
                return _back(thema)
    else:
        form = RejectForm()
    return render(
        request,
        "signalen/antwoord_afwijzen.html",
        {"thema": thema, "publicatie": publicatie, "form": form},
        status=status,
    )


@never_cache
@professional_required
@require_http_methods(["GET", "POST"])
def thema_unpublish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: a short confirmation with a reason; POST: take the theme off the public
    pages."""
    user = request.user
    thema = themes.theme_for_user(user, pk)
    status = 200
    if request.method == "POST":
        form = UnpublishForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                answers.theme_unpublish(
                    actor=user, thema=thema, reason=form.cleaned_data["reason"]
                )
            except ThemeError as error:
                form.add_error(
                    None if error.code in ("not_public", "forbidden") else "reason",
                    error,
                )
            else:
                messages.success(
                    request,
                    _(
                        "Het thema staat niet meer op de openbare pagina's. Trekkers, "
                        "voortgang en gekoppelde initiatieven blijven bewaard."
                    ),
                )
                return _back(thema)
    else:
        form = UnpublishForm()
    return render(
        request,
        "signalen/antwoord_niet_openbaar.html",
        {
            "thema": thema,
            "form": form,
            "is_public": thema.visibility == ThemaZichtbaarheid.PUBLIEK,
        },
        status=status,
    )


@never_cache
@professional_required
@require_GET
def feedback(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = answer_queries.feedback_for_professional(request.user)
    return render(
        request,
        "signalen/antwoord_feedback.html",
        {"rows": rows, "k": settings.K_ANONYMITY},
    )


# --- The public theme page ------------------------------------------------------------------


def _render_public(
    request: HttpRequest,
    thema: WijkThema,
    *,
    progress_form: ProgressForm | None = None,
    link_form: OwnInitiativeForm | None = None,
    hide_form: tuple[int, HideProgressForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    view = answer_queries.public_theme_view(thema, request.user)
    hide_error_pk, hide_error_form = hide_form if hide_form else (None, None)
    progress = [
        (
            item,
            answer_queries.progress_author_label(item, view.shown_ids),
            (
                hide_error_form
                if item.pk == hide_error_pk
                else HideProgressForm(prefix=f"verberg-{item.pk}")
            )
            if view.can_moderate
            else None,
        )
        for item in view.progress
    ]
    context = {
        "view": view,
        "thema": thema,
        # The size counts whole blocks only (signalen.kanon's table); the page says so.
        "size_until": outside_until(timezone.localdate()),
        "progress": progress,
        "adopt_form": AdoptForm(),
        "progress_form": progress_form or ProgressForm(),
        "link_form": link_form
        or OwnInitiativeForm(choices=view.own_initiatives, prefix="eigen"),
        "can_post_progress": request.user.is_authenticated
        and answer_queries.can_post_progress(request.user, thema),
        "k": settings.K_ANONYMITY,
        "has_errors": status == 400,
        "forms_with_errors": [
            f
            for f in (progress_form, link_form, hide_form[1] if hide_form else None)
            if f is not None
        ],
        "hide_error_pk": hide_error_pk,
        "hidden_progress": [
            (item, answer_queries.progress_author_label(item, view.shown_ids))
            for item in view.hidden_progress
        ],
    }
    response = render(request, "signalen/publiek_thema.html", context, status=status)
    if request.user.is_authenticated:
        add_never_cache_headers(response)  # the signed-in view holds their names
    return response


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The public theme page; 410 with a short explanation for a theme that was public
    once and is not any more; 404 for anything else."""
    try:
        thema = answer_queries.public_theme(pk)
    except Http404:
        gone = answer_queries.was_public(pk)
        if gone is None:
            raise
        return render(
            request, "signalen/publiek_thema_weg.html", {"wijk": gone.wijk}, status=410
        )
    return _render_public(request, thema)


def _public_back(thema: WijkThema, anchor: str = "") -> HttpResponse:
    url = reverse("themas:detail", kwargs={"pk": thema.pk})
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _login_first(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    return None


@require_POST
def public_adopt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thema = answer_queries.public_theme(pk)
    if (login := _login_first(request)) is not None:
        return login
    form = AdoptForm(request.POST)
    form.is_valid()
    try:
        answers.theme_adopt(
            user=request.user,
            thema=thema,
            show_name=bool(form.cleaned_data.get("show_name")),
        )
    except ThemeError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Dank u wel! U bent nu trekker van dit thema. Vertel hieronder wat er "
                "gebeurt, of koppel uw initiatief."
            ),
        )
    return _public_back(thema, "trekkers")


@require_POST
def public_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thema = answer_queries.public_theme(pk)
    if (login := _login_first(request)) is not None:
        return login
    if answers.theme_leave(user=request.user, thema=thema):
        messages.success(request, _("U bent geen trekker meer van dit thema."))
    else:
        messages.error(request, _("U was geen trekker van dit thema."))
    return _public_back(thema, "trekkers")


@require_POST
def public_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thema = answer_queries.public_theme(pk)
    if (login := _login_first(request)) is not None:
        return login
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            answers.theme_progress_post(
                user=request.user, thema=thema, text=form.cleaned_data["text"]
            )
        except ThemeError as error:
            field = None if error.code == "forbidden" else "text"
            form.add_error(field, error)
        else:
            messages.success(request, _("Uw bericht over de voortgang staat erbij."))
            return _public_back(thema, "voortgang")
    return _render_public(request, thema, progress_form=form, status=400)


@require_POST
def public_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    thema = answer_queries.public_theme(pk)
    if (login := _login_first(request)) is not None:
        return login
    user = request.user
    # Every running initiative in the wijk is a valid choice here, so the service can
    # say why one is refused (not yours, another wijk) instead of a bare "not in list".
    initiatief_pk = _int(request.POST.get("eigen-initiatief"))
    initiatief = (
        Initiatief.objects.filter(pk=initiatief_pk).first() if initiatief_pk else None
    )
    form = OwnInitiativeForm(
        request.POST,
        choices=answer_queries.public_theme_view(thema, user).own_initiatives,
        prefix="eigen",
    )
    if initiatief is None:
        form.add_error("initiatief", _("Kies een initiatief."))
        return _render_public(request, thema, link_form=form, status=400)
    try:
        answers.resident_link_initiative(user=user, thema=thema, initiatief=initiatief)
    except ThemeError as error:
        form.is_valid()
        form.errors.pop("initiatief", None)
        form.add_error(None if error.code == "forbidden" else "initiatief", error)
        return _render_public(request, thema, link_form=form, status=400)
    messages.success(
        request,
        _("'%(title)s' is gekoppeld aan dit thema.") % {"title": initiatief.title},
    )
    return _public_back(thema, "initiatieven")


def _progress_item(thema: WijkThema, voortgang_pk: int) -> ThemaVoortgang:
    item = ThemaVoortgang.objects.filter(pk=voortgang_pk, thema=thema).first()
    if item is None:
        raise Http404
    return item


@require_POST
def public_progress_hide(
    request: AuthenticatedHttpRequest, pk: int, voortgang_pk: int
) -> HttpResponse:
    """The team of the wijk (or a beheerder) hides an update from the public page."""
    thema = answer_queries.public_theme(pk)
    if (login := _login_first(request)) is not None:
        return login
    user = request.user
    if not answer_queries.can_moderate_progress(user, thema):
        raise Http404
    item = _progress_item(thema, voortgang_pk)
    form = HideProgressForm(request.POST, prefix=f"verberg-{item.pk}")
    if form.is_valid():
        try:
            answers.progress_set_hidden(
                actor=user,
                voortgang=item,
                hidden=True,
                reason=form.cleaned_data["reason"],
            )
        except ThemeError as error:
            form.add_error("reason", error)
        else:
            messages.success(
                request,
                _(
                    "Het bericht is verborgen op de openbare pagina. Het blijft "
                    "bewaard; u kunt het weer tonen."
                ),
            )
            return _public_back(thema, "voortgang")
    return _render_public(request, thema, hide_form=(item.pk, form), status=400)


@require_POST
def public_progress_show(
    request: AuthenticatedHttpRequest, pk: int, voortgang_pk: int
) -> HttpResponse:
    """Show a hidden update again."""
    thema = answer_queries.public_theme(pk)
    if (login := _login_first(request)) is not None:
        return login
    user = request.user
    if not answer_queries.can_moderate_progress(user, thema):
        raise Http404
    item = _progress_item(thema, voortgang_pk)
    answers.progress_set_hidden(actor=user, voortgang=item, hidden=False)
    messages.success(request, _("Het bericht staat weer op de openbare pagina."))
    return _public_back(thema, "voortgang")
