"""Pages for initiatives. Views parse input, check permission, call a service or
selector, and render. 404 for what a user may not see, 403 for what they may see but
not change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Role
from accounts.permissions import role_required
from core.http import AuthenticatedHttpRequest
from initiatieven import organisers as organisers_service
from initiatieven import queries, services
from initiatieven.filters import InitiatiefFilter
from initiatieven.forms import (
    AanbodForm,
    BehoefteForm,
    BerichtForm,
    DeelnameForm,
    InitiatiefForm,
    OrganiserEmailForm,
    OrganiserTransferForm,
    PartnerForm,
)
from initiatieven.models import (
    Behoefte,
    Bericht,
    DeelnameKind,
    Initiatief,
    Partner,
)
from initiatieven.permissions import can_edit, can_see, is_organiser, is_owner
from initiatieven.text import markdown_to_safe_html
from wijken.models import Wijk

PAGE_SIZE = 20


def _visible_or_404(request: HttpRequest, pk: int) -> Initiatief:
    initiatief = (
        Initiatief.objects.select_related("wijk", "owner")
        .prefetch_related("co_organisers")
        .filter(pk=pk)
        .first()
    )
    if initiatief is None or not can_see(request.user, initiatief):
        raise Http404
    return initiatief


def _editable_or_403(request: HttpRequest, pk: int) -> Initiatief:
    initiatief = _visible_or_404(request, pk)
    if not can_edit(request.user, initiatief):
        raise PermissionDenied
    return initiatief


def _filtered(request: HttpRequest) -> tuple[InitiatiefFilter, QuerySet[Initiatief]]:
    base = queries.initiatieven_visible(user=request.user)
    filterset = InitiatiefFilter(request.GET or None, queryset=base, request=request)
    return filterset, filterset.qs


def _sorted(
    qs: QuerySet[Initiatief], *, sort: str, searching: bool
) -> QuerySet[Initiatief]:
    if sort == "naam":
        return qs.order_by(Lower("title"), "pk")
    if sort == "deelnemers":
        return qs.order_by("-doe_mee_count", "-steun_count", "-created_at", "-pk")
    if searching and not sort:
        return qs.order_by("-search_rank", "-created_at", "-pk")
    return qs.order_by("-created_at", "-pk")


@require_GET
def initiatief_list(request: HttpRequest) -> HttpResponse:
    filterset, qs = _filtered(request)
    qs = _sorted(
        queries.initiatieven_with_counts(qs),
        sort=filterset.sort_value,
        searching=bool(filterset.search_value),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "initiatieven/initiatief_list.html",
        {
            "filter": filterset,
            "page": page,
            "initiatieven": page.object_list,
            "map_query": request.GET.urlencode(),
        },
    )


@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    _filterset, qs = _filtered(request)
    return JsonResponse(queries.map_features(qs))


@require_GET
def initiatief_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiatief = queries.initiatief_detail_get(pk=pk)
    if initiatief is None or not can_see(request.user, initiatief):
        raise Http404
    organiser = is_organiser(request.user, initiatief)
    context: dict[str, Any] = {
        "initiatief": initiatief,
        "description_html": markdown_to_safe_html(initiatief.description),
        "is_organiser": organiser,
        "is_owner": is_owner(request.user, initiatief),
        "state": queries.user_state(user=request.user, initiatief=initiatief),
        "public_participants": queries.public_participants(initiatief=initiatief),
        "berichten": queries.berichten_visible(
            user=request.user, initiatief=initiatief
        ),
        "DOE_MEE": DeelnameKind.DOE_MEE,
        "STEUN": DeelnameKind.STEUN,
    }
    if organiser:
        context["participants"] = queries.all_participants(initiatief=initiatief)
        context["behoefte_form"] = BehoefteForm(prefix="behoefte")
        context["partner_form"] = PartnerForm(prefix="partner")
    return render(request, "initiatieven/initiatief_detail.html", context)


def _thema_ids(request: HttpRequest) -> list[int]:
    ids = []
    for value in request.GET.getlist("themas") or request.POST.getlist("themas"):
        if value.isdigit():
            ids.append(int(value))
    return ids[:20]


def _rate_limit_message() -> str:
    return _(
        "U heeft vandaag al %(limit)s initiatieven gestart. Dat is het maximum per dag. "
        "Probeer het morgen opnieuw."
    ) % {"limit": services.create_limit()}


@role_required(Role.BEWONER)
def initiatief_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    suggestions: list[Initiatief] = []
    needs_confirm = False
    if request.method == "POST":
        form = InitiatiefForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            if not request.POST.get("confirm_new"):
                suggestions = queries.initiatieven_similar(
                    wijk=data["wijk"],
                    title=data["title"],
                    summary=data["summary"],
                    thema_ids=[t.pk for t in data["themas"]],
                )
            if suggestions:
                needs_confirm = True
            else:
                try:
                    initiatief = services.initiatief_create(
                        owner=request.user,
                        title=data["title"],
                        summary=data["summary"],
                        description=data["description"],
                        wijk=data["wijk"],
                        buurt=data["buurt"],
                        themas=list(data["themas"]),
                        status=data["status"],
                        where=data["where"],
                        when=data["when"],
                        photo=data["photo"],
                        photo_alt=data["photo_alt"],
                    )
                except services.RateLimited:
                    form.add_error(None, _rate_limit_message())
                else:
                    messages.success(
                        request,
                        _("Uw initiatief staat op Buurtwijs. Vertel wat u nodig hebt."),
                    )
                    return redirect(initiatief)
    else:
        form = InitiatiefForm(user=request.user)
    return render(
        request,
        "initiatieven/initiatief_form.html",
        {
            "form": form,
            "suggestions": suggestions,
            "needs_confirm": needs_confirm,
            "is_new": True,
        },
        status=400 if form.errors else 200,
    )


@require_GET
@role_required(Role.BEWONER)
def suggestions(request: HttpRequest) -> HttpResponse:
    """htmx: similar initiatives in the chosen wijk while the title is typed."""
    wijk_id = request.GET.get("wijk", "")
    found: list[Initiatief] = []
    title = request.GET.get("title", "")[:120]
    if wijk_id.isdigit() and len(title.strip()) >= 3:
        wijk = Wijk.objects.filter(pk=int(wijk_id), is_active=True).first()
        if wijk is not None:
            found = queries.initiatieven_similar(
                wijk=wijk,
                title=title,
                summary=request.GET.get("summary", "")[:280],
                thema_ids=_thema_ids(request),
            )
    return render(
        request,
        "initiatieven/initiatief_form.html#suggestions",
        {"suggestions": found, "live": True},
    )


@login_required
def initiatief_update(request: HttpRequest, pk: int) -> HttpResponse:
    initiatief = _editable_or_403(request, pk)
    if request.method == "POST":
        form = InitiatiefForm(
            request.POST, request.FILES, instance=initiatief, user=request.user
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            themas = list(data.pop("themas"))
            photo = data.pop("photo")
            services.initiatief_update(
                initiatief=initiatief,
                data=data,
                themas=themas,
                photo=photo,
                remove_photo=getattr(form, "remove_photo", False),
            )
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect(initiatief)
    else:
        form = InitiatiefForm(instance=initiatief, user=request.user)
    return render(
        request,
        "initiatieven/initiatief_form.html",
        {"form": form, "initiatief": initiatief, "is_new": False},
        status=400 if form.errors else 200,
    )


@login_required
def organisers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The organisers and, for the owner, inviting someone and handing over.

    Inviting answers the same for every address (initiatieven/organisers.py): no
    lookup, no name until the person accepts."""
    initiatief = _editable_or_403(request, pk)
    owner = is_owner(request.user, initiatief)
    add_form = OrganiserEmailForm(prefix="add")
    transfer_form = OrganiserTransferForm(prefix="transfer", initiatief=initiatief)
    status = 200
    if request.method == "POST":
        if not owner:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "add":
            add_form = OrganiserEmailForm(request.POST, prefix="add")
            if add_form.is_valid():
                try:
                    organisers_service.organiser_invite(
                        initiatief=initiatief,
                        email=add_form.cleaned_data["email"],
                        invited_by=request.user,
                    )
                except services.OrganiserError as exc:
                    add_form.add_error("email", str(exc))
                else:
                    messages.success(
                        request,
                        _(
                            "Uitnodiging verstuurd. Als de persoon ja zegt, ziet u "
                            "de naam hier."
                        ),
                    )
                    return redirect("initiatieven:organisers", pk=initiatief.pk)
        elif action == "transfer":
            transfer_form = OrganiserTransferForm(
                request.POST, prefix="transfer", initiatief=initiatief
            )
            if transfer_form.is_valid():
                try:
                    user = services.ownership_transfer(
                        initiatief=initiatief,
                        new_owner=transfer_form.cleaned_data["new_owner"],
                    )
                except services.OrganiserError as exc:
                    transfer_form.add_error("new_owner", str(exc))
                else:
                    messages.success(
                        request,
                        _("%(name)s is nu de eigenaar. U organiseert nog wel mee.")
                        % {"name": user.display_name},
                    )
                    return redirect(initiatief)
        elif action == "remove":
            user_id = request.POST.get("user", "")
            match = [u for u in initiatief.co_organisers.all() if str(u.pk) == user_id]
            if not match:
                raise Http404
            services.co_organiser_remove(initiatief=initiatief, user=match[0])
            messages.success(request, _("De mede-organisator is verwijderd."))
            return redirect("initiatieven:organisers", pk=initiatief.pk)
        elif action == "withdraw":
            raw = request.POST.get("invitation", "")
            invitation = (
                organisers_service.organiser_invitations_open(initiatief=initiatief)
                .filter(pk=int(raw))
                .first()
                if raw.isdigit()
                else None
            )
            if invitation is None:
                raise Http404
            organisers_service.organiser_invitation_withdraw(invitation=invitation)
            messages.success(request, _("De uitnodiging is ingetrokken."))
            return redirect("initiatieven:organisers", pk=initiatief.pk)
        else:
            return HttpResponse(status=400)
        status = 400
    return render(
        request,
        "initiatieven/organisers.html",
        {
            "initiatief": initiatief,
            "is_owner": owner,
            "add_form": add_form,
            "transfer_form": transfer_form,
            "invitations": organisers_service.organiser_invitations_open(
                initiatief=initiatief
            ),
        },
        status=status,
    )


@require_POST
@login_required
def deelname(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    initiatief = _visible_or_404(request, pk)
    form = DeelnameForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    kind = form.cleaned_data["kind"]
    if is_organiser(request.user, initiatief) and kind not in queries.user_state(
        user=request.user, initiatief=initiatief
    ).get("kinds", ()):
        # Organisers run it; joining their own initiative would count them twice.
        messages.info(
            request, _("U organiseert dit initiatief. U hoeft zich niet aan te melden.")
        )
        return redirect(initiatief.get_absolute_url() + "#meedoen")
    now_on = services.deelname_toggle(
        user=request.user,
        initiatief=initiatief,
        kind=kind,
        show_name=form.cleaned_data["show_name"],
    )
    if kind == DeelnameKind.DOE_MEE:
        text = _("U doet mee. Fijn!") if now_on else _("U doet niet meer mee.")
    else:
        text = _("U steunt dit initiatief.") if now_on else _("U steunt dit niet meer.")
    messages.success(request, text)
    return redirect(initiatief.get_absolute_url() + "#meedoen")


@require_POST
@login_required
def deelname_name(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    initiatief = _visible_or_404(request, pk)
    show = request.POST.get("show_name") == "on"
    services.deelname_set_show_name(
        user=request.user,
        initiatief=initiatief,
        show_name=show,
    )
    messages.success(
        request,
        _("Uw naam staat nu bij de deelnemers.")
        if show
        else _("Uw naam wordt niet meer getoond."),
    )
    return redirect(initiatief.get_absolute_url() + "#meedoen")


@require_POST
@login_required
def follow(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    initiatief = _visible_or_404(request, pk)
    on = services.volger_toggle(user=request.user, initiatief=initiatief)
    messages.success(
        request,
        _("U volgt dit initiatief.") if on else _("U volgt dit initiatief niet meer."),
    )
    return redirect(initiatief.get_absolute_url() + "#meedoen")


@require_POST
@login_required
def behoefte_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiatief = _editable_or_403(request, pk)
    form = BehoefteForm(request.POST, prefix="behoefte")
    if form.is_valid():
        services.behoefte_add(initiatief=initiatief, **form.cleaned_data)
        messages.success(request, _("De behoefte is toegevoegd."))
        return redirect(initiatief.get_absolute_url() + "#behoeften")
    return _detail_with_forms(request, initiatief, behoefte_form=form)


@require_POST
@login_required
def behoefte_met(request: HttpRequest, pk: int, behoefte_pk: int) -> HttpResponse:
    initiatief = _editable_or_403(request, pk)
    behoefte = get_object_or_404(Behoefte, pk=behoefte_pk, initiatief=initiatief)
    services.behoefte_set_met(behoefte=behoefte, is_met=not behoefte.is_met)
    messages.success(
        request,
        _("Gemarkeerd als geregeld.") if behoefte.is_met else _("Weer open gezet."),
    )
    return redirect(initiatief.get_absolute_url() + "#behoeften")


@require_POST
@login_required
def behoefte_delete(request: HttpRequest, pk: int, behoefte_pk: int) -> HttpResponse:
    initiatief = _editable_or_403(request, pk)
    behoefte = get_object_or_404(Behoefte, pk=behoefte_pk, initiatief=initiatief)
    services.behoefte_delete(behoefte=behoefte)
    messages.success(request, _("De behoefte is verwijderd."))
    return redirect(initiatief.get_absolute_url() + "#behoeften")


@require_POST
@login_required
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiatief = _editable_or_403(request, pk)
    form = PartnerForm(request.POST, prefix="partner")
    if form.is_valid():
        services.partner_add(initiatief=initiatief, **form.cleaned_data)
        messages.success(request, _("De partner is toegevoegd."))
        return redirect(initiatief.get_absolute_url() + "#partners")
    return _detail_with_forms(request, initiatief, partner_form=form)


@require_POST
@login_required
def partner_delete(request: HttpRequest, pk: int, partner_pk: int) -> HttpResponse:
    initiatief = _editable_or_403(request, pk)
    partner = get_object_or_404(Partner, pk=partner_pk, initiatief=initiatief)
    services.partner_delete(partner=partner)
    messages.success(request, _("De partner is verwijderd."))
    return redirect(initiatief.get_absolute_url() + "#partners")


def _detail_with_forms(
    request: HttpRequest, initiatief: Initiatief, **forms: Any
) -> HttpResponse:
    """The detail page again, with a wrong organiser form and what was typed."""
    detail = queries.initiatief_detail_get(pk=initiatief.pk)
    assert detail is not None
    context: dict[str, Any] = {
        "initiatief": detail,
        "description_html": markdown_to_safe_html(detail.description),
        "is_organiser": True,
        "is_owner": is_owner(request.user, detail),
        "state": queries.user_state(user=request.user, initiatief=detail),
        "public_participants": queries.public_participants(initiatief=detail),
        "participants": queries.all_participants(initiatief=detail),
        "berichten": queries.berichten_visible(user=request.user, initiatief=detail),
        "behoefte_form": BehoefteForm(prefix="behoefte"),
        "partner_form": PartnerForm(prefix="partner"),
        "DOE_MEE": DeelnameKind.DOE_MEE,
        "STEUN": DeelnameKind.STEUN,
    }
    context.update(forms)
    return render(request, "initiatieven/initiatief_detail.html", context, status=400)


@role_required(Role.BEWONER)
def aanbod(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = queries.aanbod_get(user=request.user)
    if request.method == "POST":
        form = AanbodForm(request.POST)
        if form.is_valid():
            services.aanbod_save(user=request.user, **form.cleaned_data)
            messages.success(request, _("Opgeslagen. Dank u wel!"))
            return redirect("initiatieven:mijn")
    else:
        initial = (
            {
                "talents": current.talents,
                "kinds": current.kinds,
                "hours_per_month": current.hours_per_month,
            }
            if current
            else {}
        )
        form = AanbodForm(initial=initial)
    return render(request, "initiatieven/aanbod_form.html", {"form": form})


@role_required(Role.BEWONER)
def mijn(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = queries.mijn_overview(user=request.user)
    context["organiser_invitations"] = list(
        organisers_service.organiser_invitations_for_user(user=request.user)
    )
    return render(request, "initiatieven/mijn.html", context)


# Updates ---------------------------------------------------------------------------


def _post_limit_message() -> str:
    return _(
        "U heeft vandaag al %(limit)s berichten en bijeenkomsten geplaatst. "
        "Dat is het maximum per dag. Probeer het morgen opnieuw."
    ) % {"limit": services.post_limit()}


@login_required
def bericht_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    initiatief = _editable_or_403(request, pk)
    form = BerichtForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            bericht = services.bericht_create(
                initiatief=initiatief,
                author=request.user,
                **form.cleaned_data,
            )
        except services.RateLimited:
            form.add_error(None, _post_limit_message())
        else:
            messages.success(request, _("Uw bericht staat op de pagina."))
            return redirect(initiatief.get_absolute_url() + f"#bericht-{bericht.pk}")
    return render(
        request,
        "initiatieven/bericht_form.html",
        {"form": form, "initiatief": initiatief, "is_new": True},
        status=400 if form.errors else 200,
    )


@login_required
def bericht_update(request: HttpRequest, pk: int, bericht_pk: int) -> HttpResponse:
    initiatief = _editable_or_403(request, pk)
    bericht = get_object_or_404(Bericht, pk=bericht_pk, initiatief=initiatief)
    if request.method == "POST":
        form = BerichtForm(request.POST)
        if form.is_valid():
            services.bericht_update(bericht=bericht, **form.cleaned_data)
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect(initiatief.get_absolute_url() + f"#bericht-{bericht.pk}")
    else:
        form = BerichtForm(initial={"title": bericht.title, "text": bericht.text})
    return render(
        request,
        "initiatieven/bericht_form.html",
        {"form": form, "initiatief": initiatief, "bericht": bericht, "is_new": False},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def bericht_delete(request: HttpRequest, pk: int, bericht_pk: int) -> HttpResponse:
    initiatief = _editable_or_403(request, pk)
    bericht = get_object_or_404(Bericht, pk=bericht_pk, initiatief=initiatief)
    services.bericht_delete(bericht=bericht)
    messages.success(request, _("Het bericht is verwijderd."))
    return redirect(initiatief.get_absolute_url() + "#berichten")


# Meetings and agreements -------------------------------------------------------------


@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The initiative's photo, served by the app so that it works without a separate
    media server and a hidden initiative's photo stays hidden too."""
    from django.http import FileResponse

    initiatief = _visible_or_404(request, pk)
    if not initiatief.photo:
        raise Http404
    try:
        handle = initiatief.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = (
        "private, max-age=300" if initiatief.is_hidden else "public, max-age=86400"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Notification settings -----------------------------------------------------------------


# Reports and moderation ------------------------------------------------------------------
