"""The product's URLs plus the floors the benchmarks compare against (same middleware)."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from buurtwijs.urls import urlpatterns as product_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    """The floor: Django's request/response cycle with the same middleware, no work."""
    return HttpResponse("ok", content_type="text/plain")


class PlainSignaalForm(forms.Form):
    """The quick-log form's fields as plain Django fields: no team checks, no partials."""

    wijk = forms.ModelChoiceField(queryset=None, empty_label=None)
    buurt = forms.ModelChoiceField(queryset=None, required=False)
    categorie = forms.ModelChoiceField(queryset=None)
    doelgroepen = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    bron = forms.ModelChoiceField(queryset=None)
    text = forms.CharField(max_length=1000, widget=forms.Textarea)
    households_estimate = forms.IntegerField(required=False, min_value=1)
    observed_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from signalen.models import Bron, Categorie, Doelgroep
        from wijken.models import Buurt, Wijk

        super().__init__(*args, **kwargs)
        wijken = Wijk.objects.filter(is_active=True).defer("geometry")
        self.fields["wijk"].queryset = wijken  # type: ignore[attr-defined]
        self.fields["buurt"].queryset = Buurt.objects.defer("geometry")  # type: ignore[attr-defined]
        self.fields["categorie"].queryset = Categorie.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["doelgroepen"].queryset = Doelgroep.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["bron"].queryset = Bron.objects.filter(is_active=True)  # type: ignore[attr-defined]


PLAIN_PAGE = engines["django"].from_string(
    '<!doctype html><html lang="nl"><title>form</title><form method="post">'
    "{% csrf_token %}{{ form.as_div }}<button>ok</button></form></html>"
)


@login_required
def form_get(request: HttpRequest) -> HttpResponse:
    """Floor of the quick-log GET: a bare render of a plain form with the same fields."""
    return HttpResponse(PLAIN_PAGE.render({"form": PlainSignaalForm()}, request))


@login_required
def form_save(request: HttpRequest) -> HttpResponse:
    """Floor of the quick-log POST: a logged-in view that validates a plain form with
    the same fields and saves one row."""
    from signalen.models import AuditEntry

    form = PlainSignaalForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400)
    AuditEntry.objects.create(
        actor=request.user,  # type: ignore[misc]
        action="create",
        wijk=form.cleaned_data["wijk"],
        detail={"length": len(form.cleaned_data["text"])},
    )
    return HttpResponse("saved", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/form/", form_get),
    path("bench/form-save/", form_save),
    *product_urlpatterns,
]
