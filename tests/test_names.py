"""URL names, URL paths and Celery task names stay what they were (tests/names.txt)."""

from __future__ import annotations

from pathlib import Path

from tests.names_inventory import inventory

NAMES = Path(__file__).with_name("names.txt")


def test_every_url_name_path_and_task_name_is_unchanged():
    committed = NAMES.read_text(encoding="utf-8").split("\n")
    committed = [line for line in committed if line.strip()]
    live = inventory()
    missing = sorted(set(committed) - set(live))
    added = sorted(set(live) - set(committed))
    assert not missing, f"gone or renamed: {missing}"
    assert not added, f"new (add them to tests/names.txt on purpose): {added}"


def test_the_inventory_lists_urls_of_every_namespace_and_the_tasks():
    lines = inventory()
    assert "url privacy:statement /privacy/" in lines
    assert "url api:gemeenten /api/v1/gemeenten/" in lines
    assert "url dashboard:open_data /open-data/" in lines
    assert "task dashboard.tasks.build_open_data" in lines
    assert "task buurtwijs.tasks.avg_export_build" in lines
