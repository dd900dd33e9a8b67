"""Offline merge: bring another analyst's database file in, by the rules of a sync.

Each analyst is the authority on their own annotations: the other file's versions of
*my* annotations never replace mine, and its deletions only remove its own
analysts' annotations. Articles are matched by content, tags by name, annotations
by their stable id; a newer version of an annotation replaces an older one. An
article a curator deleted for the team (only a curator's file holds such a
deletion) goes here too, as a sync would take it. The preview says what would
change; the merge is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from annotator.services.workspace import annotator_name
from annotator.store import Store, StoreError, open_store
from annotator.store import team as local


@dataclass
class MergePlan:
    other: str
    me: str
    articles: int = 0
    added: int = 0
    updated: int = 0
    deleted: int = 0
    kept_mine: int = 0
    deleted_articles: int = 0  # articles a curator deleted for the team, still here
    about_articles: int = 0  # metadata, memos, statuses and rejections it holds (the newer apply)
    rows: dict[str, list[tuple]] = field(default_factory=dict, repr=False)

    def lines(self) -> list[str]:
        out = [
            f"{self.articles} new articles, {self.added} new annotations, {self.updated} newer versions, "
            f"{self.deleted} deletions from {self.other}",
        ]
        if self.about_articles:
            out.append(f"{self.about_articles} article metadata, memo, status and curation entries "
                       "(each applied where newer than yours)")
        if self.deleted_articles:
            out.append(f"{self.deleted_articles} articles a curator deleted for the team, with everything on them")
        if self.kept_mine:
            out.append(f"{self.kept_mine} of your own annotations ({self.me}) in it are left as you have them here")
        return out


def plan_merge(store: Store, other_path: str | Path) -> MergePlan:
    """What merging ``other_path`` into ``store`` would change (nothing is written)."""
    path = Path(other_path)
    if not path.is_file():
        raise StoreError(f"{path} is not a file; name another analyst's annotator database.")
    if path.resolve() == Path(store.path).resolve():
        raise StoreError(f"{path} is this database itself; name another analyst's file.")
    other = open_store(path)
    try:
        rows = local.all_rows(other) | local.article_rows(other)
    finally:
        other.close()
    me = annotator_name(store)
    here = local.annotation_versions(store)
    plan = MergePlan(str(path), me)
    hashes = local.article_hashes(store)
    plan.articles = sum(1 for a in rows["articles"] if a[0] not in hashes and len(a) == 8)
    plan.deleted_articles = sum(1 for a in rows["articles"] if a[0] in hashes and len(a) > 8)
    annotations = []
    for row in rows["annotations"]:
        uuid, analyst, updated, deleted = row[0], row[7], row[10], row[13]
        mine_here = here.get(uuid, ("", ""))[0] == me
        if deleted:
            if uuid in here and not mine_here:
                plan.deleted += 1
                annotations.append(row)
            continue
        if analyst == me and row[8] == "":
            plan.kept_mine += 1
            continue
        if uuid not in here:
            plan.added += 1
            annotations.append(row)
        elif updated > here[uuid][1] and not mine_here:
            plan.updated += 1
            annotations.append(row)
    plan.rows = {**rows, "annotations": annotations}
    plan.about_articles = len(rows["fields"]) + len(rows["statuses"]) + len(rows["rejections"]) + len(rows["project"])
    return plan


def merge(store: Store, plan: MergePlan) -> local.Applied:
    """Apply a plan from :func:`plan_merge` in one transaction."""
    return local.apply_pull(store, articles=plan.rows["articles"], tags=plan.rows["tags"],
                            annotations=plan.rows["annotations"], links=plan.rows["links"], cursor=0,
                            fields=plan.rows["fields"], statuses=plan.rows["statuses"],
                            rejections=plan.rows["rejections"], project=plan.rows["project"])
