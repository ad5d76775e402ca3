"""The URL names and Celery task names the project offers, as one sorted list.

tests/test_names.py compares the live list with the committed tests/names.txt, so a
move between apps cannot rename a URL, change its path or drop a task by accident.
Regenerate after an intended change with:

    env -u DATABASE_URL .venv/bin/python -m tests.names_inventory > tests/names.txt
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix: str, namespace: str):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"url {namespace}{entry.name} {route}"


def url_lines() -> list[str]:
    return sorted(set(_walk(get_resolver().url_patterns, "/", "")))


def task_lines() -> list[str]:
    from buurtwijs.celery import app

    app.loader.import_default_modules()
    return sorted(
        f"task {name}"
        for name in app.tasks
        # celery's own tasks, and the ones tests register for themselves
        if not name.startswith(("celery.", "tests."))
    )


def inventory() -> list[str]:
    return url_lines() + task_lines()


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "buurtwijs.settings")
    django.setup()
    print("\n".join(inventory()))
