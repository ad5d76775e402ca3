"""Public pages that show geography and CBS key figures only."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from wijken import queries
from wijken.forms import SearchForm
from wijken.models import Gemeente


def _home_gemeente(request: HttpRequest) -> Gemeente | None:
    user = request.user
    if user.is_authenticated:
        if getattr(user, "wijk_id", None):
            return user.wijk.gemeente  # type: ignore[union-attr]
        if getattr(user, "gemeente_id", None):
            return user.gemeente  # type: ignore[return-value]
    # In the demo the fictional municipality comes first; a real site never shows a
    # demo town on its home page while a real gemeente exists.
    order = ("-is_demo", "name") if settings.DEBUG else ("is_demo", "name")
    return Gemeente.objects.filter(is_active=True).order_by(*order).first()


def home(request: HttpRequest) -> HttpResponse:
    gemeente = _home_gemeente(request)
    wijken = list(queries.wijken_for_gemeente(gemeente=gemeente)) if gemeente else []
    figures = queries.figures_latest(codes=[w.code for w in wijken]) if wijken else {}
    return render(
        request,
        "wijken/home.html",
        {
            "gemeente": gemeente,
            "wijken": wijken,
            "map_data": queries.feature_collection(wijken, figures=figures),
            "gemeente_count": queries.gemeenten_active().count(),
        },
    )


def gemeente_list(request: HttpRequest) -> HttpResponse:
    """All gemeenten; with a search term also the wijken whose name or code match."""
    form = SearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    gemeenten = queries.gemeenten_active()
    wijken = None
    if search:
        gemeenten = queries.gemeenten_search(term=search)
        wijken = queries.wijken_search(term=search)[:50]
    page = Paginator(gemeenten, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "wijken/gemeente_list.html",
        {"page": page, "search": search, "wijken": wijken, "form": form},
    )


def gemeente_detail(request: HttpRequest, code: str) -> HttpResponse:
    gemeente = queries.gemeente_get(code=code)
    if gemeente is None:
        raise Http404
    wijken = list(queries.wijken_for_gemeente(gemeente=gemeente))
    figures = queries.figures_latest(codes=[gemeente.code, *(w.code for w in wijken)])
    rows = [(wijk, figures.get(wijk.code)) for wijk in wijken]
    return render(
        request,
        "wijken/gemeente_detail.html",
        {
            "gemeente": gemeente,
            "rows": rows,
            "figures": figures.get(gemeente.code),
            "map_data": queries.feature_collection(wijken, figures=figures),
        },
    )
