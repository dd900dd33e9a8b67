"""The codebook: tags in categories with their memos, counted, exported and imported
alone as a REFI-QDA ``.qdc`` file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.domain import Tag, codebook_order
from annotator.formats.document import hex_colour
from annotator.formats.qdc import read_qdc_file, write_qdc
from annotator.services.changes import Changes, Op, operation
from annotator.store import Store

IMPORT_COLOURS = ("#F59E0B", "#8B5CF6", "#0EA5E9", "#EC4899", "#14B8A6", "#84CC16", "#F97316", "#6366F1")


@dataclass(frozen=True)
class CodebookEntry:
    tag: Tag
    depth: int
    count: int  # annotations with this tag, in all articles


def codebook(store: Store) -> list[CodebookEntry]:
    """Every tag in codebook order (each category followed by its sub-tags), with its use."""
    return [CodebookEntry(tag, depth, store.tag_usage(tag.id)) for tag, depth in codebook_order(store.list_tags())]


def export_codebook(store: Store, path: str | Path) -> int:
    """Write the codebook to ``path`` (``.qdc``); returns how many codes."""
    tags = store.list_tags()
    Path(path).write_text(write_qdc(tags), encoding="utf-8")
    return len(tags)


@operation
def import_codebook(store: Store, *, path: str) -> Op[tuple[int, int]]:
    """Bring a ``.qdc`` codebook in: new codes become tags (in their categories);
    a tag of the same name gets the description and category when it has none.
    All or nothing. The value is ``(added, updated)``."""
    records = read_qdc_file(path)
    by_name = {t.name.casefold(): t for t in store.list_tags()}
    added = updated = 0
    changed: set[int] = set()
    for n, record in enumerate(records):
        parent = by_name.get(record.parent.casefold()) if record.parent else None
        tag = by_name.get(record.name.casefold())
        if tag is None:
            colour = hex_colour(record.colour, IMPORT_COLOURS[n % len(IMPORT_COLOURS)])
            tag = store.insert_tag(record.name, colour, "", record.description, parent.id if parent else None)
            added += 1
        else:
            fields = {}
            if record.description and not tag.description:
                fields["description"] = record.description
            if parent is not None and tag.parent_id is None and parent.id != tag.id:
                fields["parent_id"] = parent.id
            if fields:
                tag = store.update_tag(tag.id, **fields)
                updated += 1
        by_name[tag.name.casefold()] = tag
        changed.add(tag.id)
    return Op((added, updated), Changes(tags=frozenset(changed)))
