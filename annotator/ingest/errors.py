"""The one exception intake raises for bad input."""

from __future__ import annotations

from pathlib import PurePath

from annotator.formats.safety import human_size

__all__ = ["IngestError", "human_size"]


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
