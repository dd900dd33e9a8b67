"""Every preference in one place: its key, type, default and meaning.

Preferences live in the database's ``settings`` table (so they travel with the
work); window geometry stays in QSettings. Read them with :func:`load_settings`,
change one with :func:`save_setting`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from annotator.domain import VERDICT_SCALE
from annotator.services.changes import Changes, Op, operation
from annotator.store import Store


@dataclass(frozen=True)
class Settings:
    """The preferences, typed. ``metadata["label"]`` is what a person reads."""

    annotator_name: str = field(default="", metadata={"label": "Your name as annotator (empty: the login name)"})
    whole_words: bool = field(default=False, metadata={"label": "Extend selections to whole words"})
    show_suggestions: bool = field(default=True, metadata={"label": "Show suggestions"})
    auto_suggest: bool = field(default=True, metadata={"label": "Suggest when an article opens"})
    date_suggestions: bool = field(default=True, metadata={"label": "Include dates in suggestions"})
    last_article: int | None = field(default=None, metadata={"label": "The article open when the window closed"})
    seeded: bool = field(default=False, metadata={"label": "The first run put the default tags and the sample in"})
    verdict_scale: str = field(
        default="\n".join(VERDICT_SCALE), metadata={"label": "Verdict ratings, best first, one per line"}
    )
    team_server: str = field(default="", metadata={
        "label": "The team server, a libpq connection string without a password (empty: not connected)"})
    team_analyst: str = field(default="", metadata={
        "label": "Your analyst name on the team server (empty: the user in the connection string)"})
    team_sync_seconds: int = field(default=5, metadata={"label": "Seconds between syncs while connected"})


FIELDS = {f.name: f for f in dataclasses.fields(Settings)}


def _decode(name: str, text: str):
    default = FIELDS[name].default
    if isinstance(default, bool):
        return text == "1"
    if name == "last_article":
        return int(text) if text.isascii() and text.isdigit() else None
    if isinstance(default, int):
        return int(text) if text.isascii() and text.isdigit() and int(text) > 0 else default
    return text


def conninfo_has_password(conninfo: str) -> bool:
    """Whether a libpq connection string (URL or ``key=value`` form) carries a password:
    passwords come from libpq's own means (PGPASSWORD, ~/.pgpass, a service file) and
    are never stored in the database."""
    text = conninfo.strip()
    if text.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(text)
        return bool(parts.password) or "password" in parse_qs(parts.query)
    return re.search(r"(?:^|\s)password\s*=", text) is not None


def _encode(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return "" if value is None else str(value)


def load_settings(store: Store) -> Settings:
    """The preferences stored in ``store``, defaults for the rest."""
    stored = store.all_settings()
    return Settings(**{name: _decode(name, stored[name]) for name in FIELDS if name in stored})


@operation
def save_setting(store: Store, *, name: str, value) -> Op[Settings]:
    """Change one preference; the value is the preferences after the change."""
    if name not in FIELDS:
        raise ValueError(f"unknown setting {name!r}; known: {', '.join(FIELDS)}")
    if name == "team_server" and conninfo_has_password(str(value)):
        raise ValueError("The team server's connection string holds a password, which annotator never stores. "
                         "Leave it out: libpq reads it from PGPASSWORD, ~/.pgpass or a service file.")
    store.set_setting(name, _encode(value))
    return Op(load_settings(store), Changes(settings=frozenset({name})))
