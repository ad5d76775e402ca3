"""The embedded demo (`make run`) answers before the scrubber is loaded: deduce loads
in a thread, a signal typed meanwhile is saved sealed and scrubbed once it is loaded,
and deduce's lookup cache is built once per machine, not once per checkout."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.utils import timezone

from signalen.intake import scrubbing, warmup
from signalen.intake.scrub import names
from signalen.models import Bron, Categorie, Signaal

URL = "/signalen/nieuw/"
TEXT = "Mevrouw Jansen (06-12345678) zegt dat niemand in de flat haar meer bezoekt."


@pytest.fixture
def demo_mode(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SCRUB_LOAD_IN_BACKGROUND = True
    warmup.reset_for_tests()
    yield
    warmup.reset_for_tests()


@pytest.fixture
def slow_load(monkeypatch):
    """deduce "loads" until the test releases it."""
    release = threading.Event()

    def load() -> float:
        assert release.wait(timeout=30)
        return 0.0

    monkeypatch.setattr("signalen.intake.scrub.warm", load)
    return release


def form_data(wijk) -> dict[str, str]:
    return {
        "wijk": str(wijk.pk),
        "buurt": "",
        "categorie": str(Categorie.objects.get(code="eenzaamheid").pk),
        "bron": str(Bron.objects.get(code="huisbezoek").pk),
        "text": TEXT,
        "observed_on": timezone.localdate().isoformat(),
        "intake_token": str(uuid.uuid4()),
    }


@pytest.mark.django_db(transaction=True)
def test_a_signal_typed_while_the_scrubber_loads_is_saved_sealed_and_scrubbed_once_loaded(
    client, professional, wijk, demo_mode, slow_load
):
    client.force_login(professional)
    response = client.post(URL, form_data(wijk))
    assert response.status_code == 302
    confirm = response["Location"]
    assert "wordt nog geanonimiseerd" in client.get(confirm).content.decode()
    signaal = Signaal.objects.get()
    assert signaal.scrub_pending
    assert signaal.text == ""
    assert b"Jansen" not in bytes(signaal.text_sealed)
    assert scrubbing.scrubber_health() == "warming"

    slow_load.set()  # deduce is loaded: the thread scrubs what waited
    warmup._thread.join(timeout=60)
    signaal.refresh_from_db()
    assert not signaal.scrub_pending
    assert signaal.text_sealed is None
    assert "niemand in de flat" in signaal.text
    assert "Jansen" not in signaal.text
    assert "06-12345678" not in signaal.text
    assert scrubbing.scrubber_health() == "ok"
    page = client.get(confirm).content.decode()
    assert "Zo is de tekst bewaard" in page
    assert "06-12345678" in page  # what was removed, for the author


@pytest.mark.django_db(transaction=True)
def test_once_loaded_a_signal_is_scrubbed_in_process_right_after_its_commit(
    client, professional, wijk, demo_mode, slow_load
):
    slow_load.set()
    warmup.scrubber_load_start()
    warmup._thread.join(timeout=60)
    client.force_login(professional)
    response = client.post(URL, form_data(wijk))
    # Eager tasks: the scrub ran after the commit, before the redirect was answered.
    assert "Zo is de tekst bewaard" in client.get(response["Location"]).content.decode()
    signaal = Signaal.objects.get()
    assert not signaal.scrub_pending
    assert "Jansen" not in signaal.text


def test_the_pending_scrub_task_never_loads_deduce_inside_a_request(
    professional, wijk, demo_mode, slow_load
):
    from signalen.intake import services

    signaal = Signaal.objects.create(
        wijk=wijk,
        categorie=Categorie.objects.get(code="eenzaamheid"),
        bron=Bron.objects.get(code="huisbezoek"),
        text="",
        text_sealed=b"x",
        scrub_pending=True,
        observed_on=timezone.localdate(),
        author=professional,
        team=professional.teams.first(),
    )
    assert services.signal_scrub_pending(signaal_id=signaal.pk) is False
    signaal.refresh_from_db()
    assert signaal.scrub_pending
    slow_load.set()
    warmup._thread.join(timeout=60)


def test_without_background_loading_the_demo_scrubs_at_once(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SCRUB_LOAD_IN_BACKGROUND = False
    started = []
    monkeypatch.setattr(warmup, "scrubber_load_start", lambda: started.append(1))
    assert warmup.in_process_scrubber_ready() is True
    assert scrubbing.scrubber_health() == "ok"
    assert started == []


@pytest.mark.parametrize(
    ("argv", "run_main", "starts"),
    [
        (["manage.py", "runserver", "127.0.0.1:8000"], "true", True),
        (["manage.py", "runserver", "--noreload"], None, True),
        # runserver's file watcher only restarts the serving process.
        (["manage.py", "runserver", "127.0.0.1:8000"], None, False),
        (["manage.py", "load_demo"], None, False),
        (["manage.py", "migrate"], "true", False),
    ],
)
def test_only_the_process_that_serves_starts_loading(
    demo_mode, monkeypatch, argv, run_main, starts
):
    started = []
    monkeypatch.setattr(warmup, "scrubber_load_start", lambda: started.append(1))
    monkeypatch.setattr("sys.argv", argv)
    if run_main is None:
        monkeypatch.delenv("RUN_MAIN", raising=False)
    else:
        monkeypatch.setenv("RUN_MAIN", run_main)
    warmup.start_with_server()
    assert started == ([1] if starts else [])


def test_deduce_keeps_its_lookup_cache_once_per_machine_by_version(
    monkeypatch, tmp_path
):
    import deduce

    monkeypatch.setenv(names.CACHE_ENV, str(tmp_path))
    folder = names.deduce_cache_dir()
    assert folder is not None
    assert folder.parent == tmp_path
    assert folder.name.startswith(f"deduce-{deduce.__version__}-")
    assert names.deduce_cache_dir() == folder  # the same name every time


def test_a_cache_deduce_built_in_its_own_folder_is_adopted_not_rebuilt(tmp_path):
    installed, lists, folder = (
        tmp_path / "pkg",
        tmp_path / "pkg" / "src",
        tmp_path / "c",
    )
    lists.mkdir(parents=True)
    (lists / "names.txt").write_text("Jansen\n")
    (installed / "cache").mkdir()
    (installed / "cache" / "lookup_structs.pickle").write_bytes(b"built")
    folder.mkdir()
    names._adopt_installed_cache(installed, folder, lists)
    assert (folder / "cache" / "lookup_structs.pickle").read_bytes() == b"built"


def test_a_cache_older_than_its_lookup_lists_is_not_adopted(tmp_path):
    import os

    installed, lists, folder = (
        tmp_path / "pkg",
        tmp_path / "pkg" / "src",
        tmp_path / "c",
    )
    lists.mkdir(parents=True)
    (installed / "cache").mkdir()
    cached = installed / "cache" / "lookup_structs.pickle"
    cached.write_bytes(b"old")
    os.utime(cached, (1_000_000, 1_000_000))
    (lists / "names.txt").write_text("Jansen\n")
    folder.mkdir()
    names._adopt_installed_cache(installed, folder, lists)
    assert not (folder / "cache" / "lookup_structs.pickle").exists()


def test_bytecode_beside_the_lookup_lists_does_not_count(tmp_path):
    # Two installs of one deduce version compile different .pyc files: the cache
    # must still be found by the second.
    (tmp_path / "names").mkdir()
    (tmp_path / "names" / "items.txt").write_text("Jansen\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"x" * 7)
    assert [p.name for p in names._list_files(tmp_path)] == ["items.txt"]
