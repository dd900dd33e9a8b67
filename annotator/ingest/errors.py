"""The one exception intake raises for bad input."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import PurePath

from annotator.formats.safety import RefusedFile, human_size

__all__ = ["IngestError", "human_size", "refused_as_ingest"]


class IngestError(Exception):
    """A file (or pasted text) that cannot become an article.

    ``str(error)`` is a complete message for the user that names the file and
    the problem, e.g. ``"report.pdf: this PDF has no text layer (scanned
    image?); run OCR first"``.
    """

    def __init__(self, path: str, problem: str):
        super().__init__(str(path), problem)
        self.path = str(path)
        self.problem = problem

    def __str__(self) -> str:
        name = PurePath(self.path).name or self.path
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return f"{name}: {self.problem}"


@contextlib.contextmanager
def refused_as_ingest(path: str) -> Iterator[None]:
    """Inside the block, a file the shared guards of :mod:`annotator.formats.safety`
    refuse becomes the IngestError of ``path`` with the guard's own words."""
    try:
        yield
    except RefusedFile as exc:
        raise IngestError(path, exc.problem) from exc
