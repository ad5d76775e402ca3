"""Helpers to prove a person is gone after their account was deleted.

`public_paths` lists what anyone can fetch that could show a resident's name: the
public pages, the read API (/api/v1/) and every kept open-data file of the gemeenten
concerned. `pages_naming` fetches each one anonymously and returns those that still
contain the name. The database side is `privacy.services.remaining_traces`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.urls import reverse

from initiatieven.models import Initiatief
from opendata import builds as opendata
from wijken.models import Wijk

API = "/api/v1"
PAGE = "page_size=200"


def api_paths(
    *,
    initiatieven: Iterable[Initiatief] = (),
    wijken: Iterable[Wijk] = (),
    themes: Iterable[Any] = (),
) -> list[str]:
    """The API answers that could name a resident: the lists of initiatives and themes
    (all, per gemeente and per wijk) and the detail of each initiative and theme."""
    wijken = list(wijken)
    paths = [f"{API}/initiatieven/?{PAGE}", f"{API}/themas/?{PAGE}"]
    for code in sorted({wijk.gemeente.code for wijk in wijken}):
        paths += [
            f"{API}/initiatieven/?gemeente={code}&{PAGE}",
            f"{API}/themas/?gemeente={code}&{PAGE}",
        ]
    for wijk in wijken:
        paths += [
            f"{API}/initiatieven/?wijk={wijk.code}&{PAGE}",
            f"{API}/themas/?wijk={wijk.code}&{PAGE}",
            f"{API}/wijken/{wijk.code}/",
        ]
    paths += [f"{API}/initiatieven/{item.pk}/" for item in initiatieven]
    paths += [f"{API}/themas/{theme.pk}/" for theme in themes]
    return paths


def open_data_paths(*, wijken: Iterable[Wijk] = ()) -> list[str]:
    """The open-data page and every file of every kept build (not only the newest) of
    the gemeenten of these wijken."""
    paths = ["/open-data/"]
    for code in sorted({wijk.gemeente.code for wijk in wijken}):
        for day in opendata.kept_builds(code):
            for filename in [*opendata.FILENAMES, "metadata.json"]:
                paths.append(f"/open-data/{code}/{day}/{filename}")
    return paths


def public_paths(
    *,
    name: str,
    initiatieven: Iterable[Initiatief] = (),
    wijken: Iterable[Wijk] = (),
    themes: Iterable[Any] = (),
) -> list[str]:
    """Everything public where a resident's name could appear: the initiative and
    theme pages, the list, a search for the name, the wijk pages; the API answers
    (api_paths) and the open-data page and files (open_data_paths)."""
    initiatieven, wijken, themes = list(initiatieven), list(wijken), list(themes)
    paths = ["/", "/initiatieven/", f"/initiatieven/?q={quote(name)}"]
    for initiatief in initiatieven:
        paths.append(initiatief.get_absolute_url())
    for wijk in wijken:
        paths.append(wijk.get_absolute_url())
        paths.append(f"/initiatieven/?wijk={wijk.pk}")
    for theme in themes:
        paths.append(reverse("themas:detail", kwargs={"pk": theme.pk}))
    paths += api_paths(initiatieven=initiatieven, wijken=wijken, themes=themes)
    paths += open_data_paths(wijken=wijken)
    return paths


def body_text(response) -> str:
    """The text of an answer: a page, a streamed file, or JSON with every character
    as itself (not as a \\u escape)."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    text = raw.decode("utf-8")
    if "json" in response.get("Content-Type", ""):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def pages_naming(client, name: str, paths: Iterable[str]) -> list[str]:
    """The paths whose anonymous answer contains `name` (case-insensitive), or, for a
    search, finds any initiative."""
    client.logout()
    found = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if "?q=" in path:
            # A search page repeats what was searched for: what counts is whether it
            # finds anything.
            if response.context["page"].paginator.count:
                found.append(path)
        elif name.lower() in body_text(response).lower():
            found.append(path)
    return found
