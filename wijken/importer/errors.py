"""The one error an import raises, with nothing written."""

from __future__ import annotations

from pathlib import Path

# A file with many bad rows reports the first few; the rest only as a count.
MAX_PROBLEMS_SHOWN = 5


class CBSImportError(Exception):
    """A file cannot be imported; nothing was written."""

    def __init__(self, problem: str, *, path: Path | str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path else problem)
