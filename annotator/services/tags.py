"""Named actions on the tag set (the codebook)."""

from __future__ import annotations

from annotator.domain import Tag
from annotator.services.changes import Changes, Op, operation
from annotator.store import Store


@operation
def create_tag(store: Store, *, name: str, colour: str, shortcut: str = "", description: str = "",
               parent_id: int | None = None) -> Op[Tag]:
    """Add a tag (under the category ``parent_id``, if given); refuses (StoreError)
    a name or key already in use."""
    tag = store.insert_tag(name, colour, shortcut, description, parent_id)
    return Op(tag, Changes(tags=frozenset({tag.id})))


@operation
def update_tag(store: Store, *, tag_id: int, **fields) -> Op[Tag]:
    """Change a tag's name, colour, key, description (its memo) or category (``parent_id``)."""
    tag = store.update_tag(tag_id, **fields)
    return Op(tag, Changes(tags=frozenset({tag.id})))


@operation
def delete_tag(store: Store, *, tag_id: int) -> Op[int]:
    """Delete a tag and its annotations; the value is how many annotations went with it."""
    removed = store.delete_tag(tag_id)
    return Op(removed, Changes(tags=frozenset({tag_id})))
