"""Named actions on the tag set (the codebook)."""

from __future__ import annotations

from annotator.domain import Tag
from annotator.services.changes import Changes, Op, operation
from annotator.store import Store


@operation
def create_tag(store: Store, *, name: str, colour: str, shortcut: str = "", description: str = "") -> Op[Tag]:
    """Add a tag; refuses (StoreError) a name or key already in use."""
    tag = store.insert_tag(name, colour, shortcut, description)
    return Op(tag, Changes(tags=frozenset({tag.id})))


@operation
def update_tag(store: Store, *, tag_id: int, **fields: str) -> Op[Tag]:
    """Change a tag's name, colour, key or description."""
    tag = store.update_tag(tag_id, **fields)
    return Op(tag, Changes(tags=frozenset({tag.id})))


@operation
def delete_tag(store: Store, *, tag_id: int) -> Op[int]:
    """Delete a tag and its annotations; the value is how many annotations went with it."""
    removed = store.delete_tag(tag_id)
    return Op(removed, Changes(tags=frozenset({tag_id})))
