"""Team work: join a team server, sync with it, set it up.

A sync sends this file's changes (one server transaction), marks them sent (one
local transaction), then reads everyone's changes since the last sync and applies
them (one local transaction that also moves the cursor). Killing it between any
two of these steps leaves work that the next sync finishes: rows sent twice are
taken once (stable ids, upserts), rows read twice are applied once.

Row-based sync was chosen over replaying operations: a row is the same on every
machine whatever order its edits came in, a replayed log is not; and a half-sent
log after a SIGKILL has no natural key to dedupe on, while a row has its uuid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.services.workspace import annotator_name, default_tags
from annotator.store import Store
from annotator.store import team as local
from annotator.team import server
from annotator.team.exchange import pull, push
from annotator.team.server import TeamError

__all__ = ["SyncReport", "TeamError", "add_analyst", "article_statuses", "init_server", "sync"]


@dataclass
class SyncReport:
    """What moved in one sync."""

    analyst: str
    curator: bool
    sent_articles: int = 0
    sent_tags: int = 0
    sent_annotations: int = 0
    sent_deletions: int = 0
    sent_links: int = 0
    received_articles: int = 0
    received_tags: int = 0
    received_annotations: int = 0
    removed_annotations: int = 0
    received_links: int = 0
    mismatched: int = 0
    waiting_for_tag: dict[str, int] = field(default_factory=dict)
    others: int = 0
    sent_fields: int = 0        # article metadata and memos
    sent_statuses: int = 0
    received_fields: int = 0
    received_statuses: int = 0
    sent_rejections: int = 0    # curators' rejections made or withdrawn
    received_rejections: int = 0
    sent_project: int = 0       # the project memo
    received_project: int = 0
    sent_article_deletions: int = 0    # curators: articles deleted for the team
    # The local articles the sync changed (new ones, their annotations, links, metadata,
    # memos, statuses, curation) and those it deleted: what the views must re-read.
    changed_articles: frozenset[int] = frozenset()
    removed_articles: frozenset[int] = frozenset()

    @property
    def received(self) -> bool:
        """Whether the sync changed anything in this file (articles, their metadata, memos,
        statuses or curation, tags, annotations, links, deletions, the project memo)."""
        return any((self.received_articles, self.received_tags, self.received_annotations, self.removed_annotations,
                    self.received_links, self.received_fields, self.received_statuses, self.received_rejections,
                    self.received_project, self.changed_articles, self.removed_articles))

    @property
    def moved(self) -> bool:
        return self.received or any((
            self.sent_articles, self.sent_tags, self.sent_annotations, self.sent_deletions, self.sent_links,
            self.sent_fields, self.sent_statuses, self.sent_rejections, self.sent_project,
            self.sent_article_deletions))

    def lines(self) -> list[str]:
        """The report for a person, one line per kind of news."""
        out = [
            f"sent: {self.sent_articles} articles, {self.sent_annotations} annotations, "
            f"{self.sent_deletions} deletions, {self.sent_links} links, {self.sent_tags} tags",
            f"received: {self.received_articles} articles, {self.received_annotations} annotations, "
            f"{self.removed_annotations} deletions, {self.received_links} links, {self.received_tags} tags",
        ]
        if self.sent_fields or self.sent_statuses or self.received_fields or self.received_statuses:
            out.append(f"articles: sent {self.sent_fields} metadata or memo changes and {self.sent_statuses} statuses, "
                       f"received {self.received_fields} and {self.received_statuses}")
        if self.sent_article_deletions or self.removed_articles:
            out.append(f"articles deleted for the team: sent {self.sent_article_deletions}, "
                       f"received {len(self.removed_articles)}")
        if self.sent_project or self.received_project:
            out.append(f"project memo: sent {self.sent_project}, received {self.received_project}")
        if self.sent_rejections or self.received_rejections:
            out.append(f"curation: sent {self.sent_rejections} rejections (or their withdrawal), "
                       f"received {self.received_rejections}")
        for tag, count in sorted(self.waiting_for_tag.items()):
            out.append(f"waiting: {count} annotations tagged “{tag}”, a tag the team's codebook does not have "
                       "(a curator adds it)")
        if self.others:
            out.append(f"not sent: {self.others} annotations under other analysts' names (only they can send them)")
        if self.mismatched:
            out.append(f"skipped: {self.mismatched} annotations whose quote does not match the article here")
        return out


def sync(store: Store, conninfo: str, *, analyst: str | None = None, timeout: int = 5) -> SyncReport:
    """Send local changes to the team server and receive everyone else's.

    ``conninfo`` is a libpq connection string or URL; the analyst is the role it
    logs in as (``analyst`` names it when the URL does not). Raises TeamError
    (unreachable, or ``refused``: the login, the role, a server too new or too old, a
    permission) with nothing lost: what was not sent is sent by the next sync."""
    params = {"user": analyst} if analyst else {}
    conn = server.connect(conninfo, timeout=timeout, **params)
    try:
        name, server_id, curator = server.identify(conn)
        team = local.join(store, server_id, name, curator)
        report = SyncReport(analyst=name, curator=team.curator)
        box = local.outbox(store)
        report.others = box.others
        gone: list[tuple] = []
        if box:
            sent = push(conn, articles=box.articles, tags=box.tags, annotations=box.annotations,
                        deletions=box.deletions, links=box.links, fields=box.fields, statuses=box.statuses,
                        rejections=box.rejections, withdrawals=box.withdrawals,
                        article_deletions=box.article_deletions, project=box.project)
            local.mark_sent(store, box, annotations=sent.annotations, links=sent.links)
            # Articles sent that a curator had deleted for the team go here too.
            gone = [(h, "", "", "", "", "", "", "", 1) for h in sent.gone]
            report.sent_articles, report.sent_tags = sent.articles, sent.tags
            report.sent_annotations, report.sent_deletions = len(sent.annotations), sent.deletions
            report.sent_links, report.waiting_for_tag = len(sent.links), sent.waiting_for_tag
            report.sent_fields, report.sent_statuses = sent.fields, sent.statuses
            report.sent_rejections = sent.rejections
            report.sent_project, report.sent_article_deletions = sent.project, sent.deleted_articles
        pulled = pull(conn, team.cursor)
        if pulled or gone:
            applied = local.apply_pull(store, articles=pulled.articles + gone, tags=pulled.tags,
                                       annotations=pulled.annotations, links=pulled.links, cursor=pulled.cursor,
                                       fields=pulled.fields, statuses=pulled.statuses,
                                       rejections=pulled.rejections, project=pulled.project)
            report.received_articles, report.received_tags = applied.articles, applied.tags
            report.received_annotations, report.removed_annotations = applied.annotations, applied.removed
            report.received_links, report.mismatched = applied.links, applied.mismatched
            report.received_fields, report.received_statuses = applied.fields, applied.statuses
            report.received_rejections, report.received_project = applied.rejections, applied.project
            report.removed_articles = frozenset(applied.removed_articles)
            report.changed_articles = frozenset(applied.changed_articles - applied.removed_articles)
        else:
            local.mark_synced(store)
    finally:
        conn.close()
    return report


def article_statuses(store: Store, article_ids: list[int] | None = None) -> dict[int, dict[str, str]]:
    """Each analyst's status of each article (``{article_id: {analyst: status}}``), as
    the last sync brought them; this file's analyst's is the article's own. Articles
    nobody has started are left out."""
    team = local.membership(store)
    me = team.analyst if team else annotator_name(store)
    out: dict[int, dict[str, str]] = {}
    for article_id, analyst, status, _at in local.article_statuses(store, article_ids, me=me):
        out.setdefault(article_id, {})[analyst] = status
    return out


def init_server(conninfo: str) -> tuple[int, int]:
    """Create or migrate the team schema, roles and policies; a new server's codebook
    starts with the default tags. Returns (schema before, schema after)."""
    return server.init_server(conninfo, default_tags())


def add_analyst(conninfo: str, name: str, *, curator: bool = False) -> bool:
    """Create (True) or update (False) the analyst role ``name``."""
    return server.add_analyst(conninfo, name, curator=curator)
