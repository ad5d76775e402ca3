"""The open-data page (/open-data/) and the download of its files."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from opendata import builds


@require_safe
def open_data_page(request: HttpRequest) -> HttpResponse:
    """Per gemeente: the files of the newest build, with date, size, licence and a
    description of every column."""
    return render(
        request,
        "dashboard/open_data.html",
        {
            "catalogue": builds.catalogue(),
            "licence": builds.LICENCE,
            "licence_url": builds.LICENCE_URL,
            "attribution": builds.ATTRIBUTION,
            "datasets": builds.DATASETS,
        },
    )


@require_safe
def open_data_file(
    request: HttpRequest, code: str, day: str, filename: str
) -> FileResponse:
    """One published file, from whatever storage holds the media (no media server
    needed)."""
    path = builds.file_path(code, day, filename)
    if path is None:
        raise Http404
    dataset = builds.FILENAMES.get(filename)
    content_type = dataset.media_type if dataset else "application/json"
    response = FileResponse(
        default_storage.open(path, "rb"),
        as_attachment=True,
        filename=f"buurtwijs-{code}-{day}-{filename}",
        content_type=f"{content_type}; charset=utf-8",
    )
    # Short-lived: a dated file can still be rewritten when a resident's name must
    # leave it (their account deleted, see opendata.builds.forget_names).
    response["Cache-Control"] = "public, max-age=300, must-revalidate"
    response["Access-Control-Allow-Origin"] = "*"
    return response
