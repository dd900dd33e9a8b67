"""Keep exported cells from running as spreadsheet formulas, reversibly."""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def _is_plain_number(cell: str) -> bool:
    return any(ch.isdigit() for ch in cell) and _PLAIN_NUMBER.fullmatch(cell) is not None


def _starts_formula(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and not _is_plain_number(cell)


def neutralise(cell: str) -> str:
    """Prefix an apostrophe to a cell that a spreadsheet would run as a formula.

    Plain numbers such as ``-3%`` or ``+1,200.5`` stay as they are. A cell that
    already starts with apostrophes before a formula gets one more, so that
    :func:`restore` is its exact inverse.
    """
    if cell and _starts_formula(cell.lstrip("'")):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise` (for importing our own CSV)."""
    if cell.startswith("'") and _starts_formula(cell.lstrip("'")):
        return cell[1:]
    return cell
