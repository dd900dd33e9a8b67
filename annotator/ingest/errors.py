"""The one exception intake raises for bad input."""

from __future__ import annotations

from pathlib import PurePath


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
        return f"{name}: {self.problem}"


def human_size(size: int) -> str:
    """``52428800`` -> ``"52.4 MB"`` (decimal units, as file managers show them)."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1000**2:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1000**2:.1f} MB"
