"""Curation: the lead settles the analysts' spans into one curated layer, as in
INCEpTION's curation page.

For an article, the analysts' own spans are aligned side by side in **groups**:
two spans (of any analysts) stand in one group when they overlap and are
alternatives to each other: the same tag, or mostly the same words (the overlap
is at least half of what they cover together). A figure nested in a claim is
therefore a group of its own, while "40 schools" tagged as a figure by one
analyst and as a claim by another is one group with a tag disagreement.

The lead then, for each group, **accepts** one analyst's span into the curated
layer (as it is, or edited: other offsets or another tag), or **rejects** the
group (settled without a curated span). A group is **settled** when it holds a
curated span or when every analyst's span in it is rejected; an article is
fully curated when every group is settled. A span added to a group later opens
it again. A curated span remembers the analyst's span it came from (its
``origin`` is ``curation:UUID``) and stays in that span's group whatever the edit.

Each action is an operation (see :mod:`annotator.services.changes`) whose value
is a :class:`CurationChange`; :func:`revert_curation` undoes one and returns the
change that redoes it, so an undo stack keeps ids stable::

    change = accept_span(store, annotation_id=ana_span).value
    redo = revert_curation(store, change=change).value    # undo
    revert_curation(store, change=redo)                   # redo

Only curators write the curated layer once a file has joined a team (the
database's triggers refuse it otherwise; here it is said first, in words).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from annotator.domain import Annotation, check_span
from annotator.services.changes import Changes, Op, operation
from annotator.services.workspace import annotator_name
from annotator.store import Store, StoreError
from annotator.store import team as local

CURATED = "curated"
_ORIGIN = "curation:"


@dataclass(frozen=True)
class CurationSpan:
    """One annotation in a group: an analyst's (``layer`` '') or the curated layer's."""

    annotation_id: int
    uuid: str
    start: int
    end: int
    tag_id: int
    tag: str
    analyst: str
    layer: str
    quote: str
    rejected: bool = False  # an analyst's span the lead rejected
    source_uuid: str = ""   # a curated span: the analyst's span it was accepted from


@dataclass(frozen=True)
class CurationGroup:
    """Overlapping alternative spans of one place in an article, side by side."""

    article_id: int
    start: int
    end: int
    spans: tuple[CurationSpan, ...]

    @property
    def candidates(self) -> tuple[CurationSpan, ...]:
        """The analysts' spans (what the lead chooses from)."""
        return tuple(s for s in self.spans if s.layer == "")

    @property
    def curated(self) -> tuple[CurationSpan, ...]:
        return tuple(s for s in self.spans if s.layer == CURATED)

    @property
    def analysts(self) -> tuple[str, ...]:
        return tuple(sorted({s.analyst for s in self.candidates}))

    def by_analyst(self) -> dict[str, tuple[CurationSpan, ...]]:
        """Each analyst's spans in this group (the columns of a side-by-side view)."""
        return {a: tuple(s for s in self.candidates if s.analyst == a) for a in self.analysts}

    @property
    def agreed(self) -> bool:
        """Every analyst of the group has exactly the same spans (offsets and tag)."""
        versions = {frozenset((s.start, s.end, s.tag) for s in spans) for spans in self.by_analyst().values()}
        return len(versions) == 1

    @property
    def rejected(self) -> bool:
        return bool(self.candidates) and all(s.rejected for s in self.candidates)

    @property
    def settled(self) -> bool:
        """Curated (a curated span stands in it) or rejected (every analyst's span)."""
        return bool(self.curated) or self.rejected


@dataclass(frozen=True)
class ArticleCuration:
    """Where the curation of one article stands."""

    article_id: int
    title: str
    analysts: tuple[str, ...]
    groups: int
    settled: int
    statuses: tuple[tuple[str, str], ...] = ()  # (analyst, status) of those who set one, by name

    @property
    def fully_curated(self) -> bool:
        return self.settled == self.groups

    @property
    def state(self) -> str:
        """``nothing to curate``, ``to do``, ``in progress`` or ``curated``."""
        if self.groups == 0:
            return "nothing to curate"
        if self.settled == self.groups:
            return "curated"
        return "in progress" if self.settled else "to do"


@dataclass(frozen=True)
class CurationChange:
    """What one curation action did: curated annotations ``added`` and ``removed``,
    analysts' spans (uuids) ``rejected`` and ``unrejected``."""

    article_id: int
    added: tuple[Annotation, ...] = ()
    removed: tuple[Annotation, ...] = ()
    rejected: tuple[str, ...] = ()
    unrejected: tuple[str, ...] = ()

    def inverse(self) -> CurationChange:
        return CurationChange(self.article_id, self.removed, self.added, self.unrejected, self.rejected)

    def changes(self) -> Changes:
        # A rejection changes no annotation, but the article's curation state.
        return Changes(articles=frozenset({self.article_id}), annotations=self.added,
                       removed_annotations=self.removed)

    @classmethod
    def of(cls, value: CurationChange | dict) -> CurationChange:
        """A change as given, or rebuilt from the plain dict an operation record holds."""
        if isinstance(value, CurationChange):
            return value
        return cls(
            value["article_id"],
            tuple(a if isinstance(a, Annotation) else Annotation(**a) for a in value.get("added", ())),
            tuple(a if isinstance(a, Annotation) else Annotation(**a) for a in value.get("removed", ())),
            tuple(value.get("rejected", ())), tuple(value.get("unrejected", ())),
        )


def _alternatives(a: CurationSpan, b: CurationSpan) -> bool:
    """Whether two overlapping spans are two versions of one thing (see the module)."""
    overlap = min(a.end, b.end) - max(a.start, b.start)
    if overlap <= 0:
        return False
    return a.tag == b.tag or 2 * overlap >= max(a.end, b.end) - min(a.start, b.start)


def _span(row: tuple) -> CurationSpan:
    _, annotation_id, uuid, start, end, tag_id, tag, analyst, layer, quote, origin, rejected = row
    source = origin[len(_ORIGIN):] if layer == CURATED and origin.startswith(_ORIGIN) else ""
    return CurationSpan(annotation_id, uuid, start, end, tag_id, tag, analyst, layer, quote,
                        bool(rejected) and layer == "", source)


def _group(article_id: int, spans: list[CurationSpan]) -> list[CurationGroup]:
    """Spans (sorted by start) joined into groups: alternatives overlap, and a curated
    span joins the span it was accepted from."""
    parent = list(range(len(spans)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        parent[root(i)] = root(j)

    by_uuid = {s.uuid: i for i, s in enumerate(spans)}
    active: list[int] = []
    for i, span in enumerate(spans):
        active = [j for j in active if spans[j].end > span.start]
        for j in active:
            # A curated span that came from an analyst's span stays with it only.
            if not (spans[j].source_uuid or span.source_uuid) and _alternatives(spans[j], span):
                join(i, j)
        active.append(i)
        if span.source_uuid in by_uuid:
            join(i, by_uuid[span.source_uuid])
    members: dict[int, list[CurationSpan]] = {}
    for i, span in enumerate(spans):
        members.setdefault(root(i), []).append(span)
    groups = [
        CurationGroup(article_id, min(s.start for s in group), max(s.end for s in group), tuple(group))
        for group in members.values()
    ]
    return sorted(groups, key=lambda g: (g.start, g.end))


def _groups_by_article(rows: list[tuple]) -> dict[int, list[CurationGroup]]:
    spans: dict[int, list[CurationSpan]] = {}
    for row in rows:
        spans.setdefault(row[0], []).append(_span(row))
    return {article_id: _group(article_id, found) for article_id, found in spans.items()}


def curation_groups(store: Store, article_id: int) -> list[CurationGroup]:
    """The groups of one article, in text order (none when no one annotated it)."""
    if not store.has_article(article_id):
        raise StoreError(f"There is no article with id {article_id} in {store.path}.")
    return _groups_by_article(local.curation_rows(store, [article_id])).get(article_id, [])


def curation_overview(store: Store, article_ids: Sequence[int] | None = None) -> list[ArticleCuration]:
    """Where the curation of every article (or of ``article_ids``) stands, by id, with
    each analyst's own status of it (as the last sync brought them)."""
    groups = _groups_by_article(local.curation_rows(store, article_ids))
    team = local.membership(store)
    statuses: dict[int, list[tuple[str, str]]] = {}
    me = team.analyst if team else annotator_name(store)
    for article_id, analyst, status, _at in local.article_statuses(store, article_ids, me=me):
        statuses.setdefault(article_id, []).append((analyst, status))
    titles = {a.id: a.title for a in store.list_articles()}
    ids = sorted(titles) if article_ids is None else list(article_ids)
    out = []
    for article_id in ids:
        if article_id not in titles:
            raise StoreError(f"There is no article with id {article_id} in {store.path}.")
        found = groups.get(article_id, [])
        analysts = tuple(sorted({a for g in found for a in g.analysts}))
        out.append(ArticleCuration(article_id, titles[article_id], analysts, len(found),
                                   sum(g.settled for g in found), tuple(statuses.get(article_id, ()))))
    return out


def curator_name(store: Store) -> str:
    """Who curates here: the team analyst of this file; refuses an analyst who is not
    a curator (the curated layer is theirs)."""
    team = local.membership(store)
    if team is None:
        return annotator_name(store)
    if not team.curator:
        raise StoreError(
            f"{team.analyst} is not a curator of the team: only curators change the curated layer. "
            "An administrator makes an analyst a curator with: annotator team add-analyst --curator"
        )
    return team.analyst


def _group_of(store: Store, annotation_id: int) -> tuple[CurationGroup, CurationSpan]:
    rows = store._query("SELECT article_id FROM annotations WHERE id = ?", (annotation_id,))
    if not rows:
        raise StoreError(f"There is no annotation with id {annotation_id} in {store.path}.")
    for group in curation_groups(store, rows[0][0]):
        for span in group.spans:
            if span.annotation_id == annotation_id:
                return group, span
    raise AssertionError("an annotation of the article is in none of its groups")


@operation
def accept_span(
    store: Store, *, annotation_id: int, start: int | None = None, end: int | None = None,
    tag_id: int | None = None,
) -> Op[CurationChange]:
    """Accept an analyst's span into the curated layer, as it is or edited (other
    ``start``/``end``, another ``tag_id``). Curated spans of its group that are
    alternatives to it (same tag, or mostly the same words) are replaced by it."""
    curator = curator_name(store)
    group, span = _group_of(store, annotation_id)
    if span.layer != "":
        raise StoreError(f"Annotation {annotation_id} is already in the curated layer; accept an analyst's span.")
    start = span.start if start is None else start
    end = span.end if end is None else end
    article = store.get_article(group.article_id)
    check_span(article.text, start, end)
    tag = store.get_tag(span.tag_id if tag_id is None else tag_id)
    source = store.get_annotation(annotation_id)
    new = CurationSpan(0, "", start, end, tag.id, tag.name, curator, CURATED, article.text[start:end])
    replaced = [s.annotation_id for s in group.curated if _alternatives(s, new)]
    removed = local.delete_curated(store, replaced) if replaced else []
    added = local.insert_curated(store, Annotation(
        0, group.article_id, tag.id, start, end, new.quote, note=source.note, annotator=curator,
        value=source.value if tag.id == source.tag_id else "", origin=_ORIGIN + span.uuid,
    ))
    change = CurationChange(group.article_id, added=(added,), removed=tuple(removed))
    return Op(change, change.changes())


@operation
def reject_group(store: Store, *, annotation_id: int) -> Op[CurationChange]:
    """Settle the group that ``annotation_id`` stands in without a curated span: its
    analysts' spans are marked rejected and its curated spans, if any, removed."""
    curator = curator_name(store)
    group, _ = _group_of(store, annotation_id)
    removed = local.delete_curated(store, [s.annotation_id for s in group.curated]) if group.curated else []
    rejected = local.add_rejections(store, group.article_id, [s.uuid for s in group.candidates], curator)
    change = CurationChange(group.article_id, removed=tuple(removed), rejected=tuple(rejected))
    return Op(change, change.changes())


@operation
def revert_curation(store: Store, *, change: CurationChange | dict) -> Op[CurationChange]:
    """Undo a curation action (the value of :func:`accept_span`, :func:`reject_group`
    or of this function); returns the change that does it again."""
    curator = curator_name(store)
    change = CurationChange.of(change)
    if change.added:
        local.delete_curated(store, [a.id for a in change.added])
    for annotation in change.removed:
        local.insert_curated(store, annotation)
    if change.rejected:
        local.remove_rejections(store, change.rejected)
    if change.unrejected:
        local.add_rejections(store, change.article_id, change.unrejected, curator)
    inverse = change.inverse()
    return Op(inverse, inverse.changes())


__all__ = [
    "ArticleCuration", "CurationChange", "CurationGroup", "CurationSpan", "accept_span", "curation_groups",
    "curation_overview", "curator_name", "reject_group", "revert_curation",
]
