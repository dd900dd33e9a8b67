"""Named actions on the tag set (the codebook)."""

from __future__ import annotations

from annotator.domain import Tag
from annotator.services.changes import Changes, Op, operation
from annotator.store import Store, StoreError


@operation
def create_tag(store: Store, *, name: str, colour: str, shortcut: str = "", description: str = "",
               parent_id: int | None = None, tag_id: int | None = None) -> Op[Tag]:
    """Add a tag (under the category ``parent_id``, if given); refuses (StoreError)
    a name or key already in use. ``tag_id``: the id it had before (redo of an undone creation)."""
    tag = store.insert_tag(name, colour, shortcut, description, parent_id, tag_id=tag_id)
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


@operation
def remove_unused_tag(store: Store, *, tag_id: int) -> Op[Tag]:
    """Delete a tag no annotation uses (undo of its creation); refuses (StoreError)
    when annotations use it, rather than take them along."""
    tag = store.get_tag(tag_id)
    used = store.tag_usage(tag_id)
    if used:
        raise StoreError(f"“{tag.name}” is now used by {used} annotation{'s' if used != 1 else ''}; "
                         "its creation can no longer be undone.")
    store.delete_tag(tag_id)
    return Op(tag, Changes(tags=frozenset({tag_id})))
