"""Counts in words, for the window's labels."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """“1 article”, “2 articles”; ``many`` for a noun that does not just take an s
    (“quantity”, “quantities”)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"
