"""The source registry: source annotations across the corpus grouped into the people
and organisations they name.

Grouping is proposed from the names ("Ana Ruiz", "Ruiz", "Ms. Ruiz", "A. Ruiz",
"Zelenskyy" / "Zelensky"), from the article ("the relief group's coordinator" where
the article calls Ana Ruiz that; "she" through its link or the suggester's
reference), and from rapidfuzz similarity of surnames. The analyst confirms,
merges, splits and renames; those decisions are stored (``source_groups``) and
win over any proposal. Mentions no decision covers follow the proposal.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

from rapidfuzz import fuzz

from annotator.services.batch import without_cycle_collection
from annotator.services.changes import Changes, Op, operation
from annotator.store import Store
from annotator.store import corpus
from annotator.store.corpus import Filters, Mention

SOURCE_TAG = "source"
# Words before a name that are not part of it (titles, ranks, roles).
TITLES = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lady lord rev reverend father sister sheikh imam rabbi
    col colonel gen general lt lieutenant maj major capt captain sgt sergeant cpl corporal adm admiral cmdr
    commander president vice prime minister secretary senator sen rep representative gov governor mayor
    judge justice chancellor chief spokesman spokeswoman spokesperson king queen prince princess ambassador
    deputy foreign defence defense interior finance health economy state us u.s. former acting dep st
    officer inspector superintendent detective""".split()
)
PRONOUNS = frozenset("he she they him her them his hers their i we you it".split())
# Sentence-initial words that start a description, not a name ("Officials said").
DESCRIPTIONS = frozenset(
    """the a an this that these those officials official sources source witnesses witness analysts analyst
    experts expert residents resident police authorities critics diplomats diplomat people officers officer
    investigators doctors doctor medics aides aide observers lawmakers legislators activists one two several
    some many most others another both""".split()
)
_NAME_END = re.compile(r",|\(|\s[-–—]\s|\s(?:who|which|that|of the|at the|for the|from the)\s", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s?$")
_TOKEN = re.compile(r"[^\W\d_][\w.'’-]*", re.UNICODE)
SIMILAR = 88  # rapidfuzz ratio at which two surnames are read as spellings of one


def fold(text: str) -> str:
    """Lower case without accents: "Zelenskyy" and "Zélenskyy" read alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@dataclass(frozen=True)
class Name:
    """What a source mention says about who it is."""

    key: str           # "given surname", "surname", or the folded descriptor for unnamed sources
    surname: str = ""
    given: str = ""    # a first name, an initial ("a"), or ""
    named: bool = False
    descriptor: str = ""   # the apposition: "the relief group's coordinator"
    display: str = ""


def read_name(quote: str, kind: str = "") -> Name:
    """The name in a source annotation's text, without titles, possessives and apposition.
    ``kind`` is the suggester's ("named", "organisation", "anonymous", "pronoun") when known."""
    text = quote.strip()
    cut = _NAME_END.search(text)
    head, descriptor = (text[: cut.start()], text[cut.end():]) if cut else (text, "")
    tokens = [_POSSESSIVE.sub("", t) for t in _TOKEN.findall(head)]
    tokens = [t for t in tokens if t]
    # "the World Health Organization": a leading article before a capitalised name.
    while tokens and tokens[0].lower() in ("the", "a", "an") and len(tokens) > 1 and tokens[1][:1].isupper():
        tokens = tokens[1:]
    while tokens and tokens[0].rstrip(".").lower() in TITLES and len(tokens) > 1:
        tokens = tokens[1:]
    if (
        kind in ("anonymous", "pronoun") or not tokens or not tokens[0][:1].isupper()
        or tokens[0].lower() in DESCRIPTIONS or (len(tokens) == 1 and tokens[0].lower() in PRONOUNS)
    ):
        key = " ".join(fold(text).split())
        return Name(key=key, descriptor=key, display=text)
    # A name is its capitalised words ("Ministry of Defence" keeps its "of").
    kept = []
    for t in tokens:
        if t[:1].isupper() or (kept and t.lower() in ("of", "de", "da", "van", "von", "der", "al", "bin", "el", "la", "le")):
            kept.append(t)
        else:
            break
    while kept and not kept[-1][:1].isupper():
        kept.pop()
    folded = [fold(t).rstrip(".") for t in kept]
    surname = folded[-1]
    given = folded[0] if len(folded) > 1 else ""
    if len(given) == 1 or (given and len(kept[0]) == 2 and kept[0].endswith(".")):
        given = given[:1]
    display = " ".join(kept)
    key = " ".join(folded)
    desc = " ".join(fold(descriptor).split())
    return Name(key=key, surname=surname, given=given, named=True, descriptor=desc, display=display)


@dataclass
class SourceEntry:
    """One person or organisation and the mentions that cite them (in no set order:
    :meth:`ordered` sorts them by article and place). What is worked out from the
    mentions (outlets, articles, dates) is worked out once, when first asked: add no
    mention after that."""

    name: str
    mentions: list[Mention] = field(default_factory=list)
    group_id: int | None = None   # None: proposed, not yet confirmed

    @property
    def count(self) -> int:
        return len(self.mentions)

    def ordered(self) -> list[Mention]:
        return sorted(self.mentions, key=lambda m: (m.article_id, m.start))

    @cached_property
    def outlets(self) -> Counter:
        counts = Counter(map(_OUTLET, self.mentions))
        counts.pop("", None)
        return counts

    @cached_property
    def article_ids(self) -> list[int]:
        return sorted(set(map(_ARTICLE, self.mentions)))

    @cached_property
    def _seen(self) -> tuple[str, str]:
        days = {(m.published or m.created)[:10] for m in self.mentions}
        return min(days), max(days)

    @property
    def first_seen(self) -> str:
        return self._seen[0]

    @property
    def last_seen(self) -> str:
        return self._seen[1]

    @property
    def confirmed(self) -> bool:
        return self.group_id is not None


_OUTLET, _ARTICLE = attrgetter("outlet"), attrgetter("article_id")


class _Union:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent.setdefault(x, x)
        while parent != self.parent.setdefault(parent, parent):
            parent = self.parent[parent]
        self.parent[x] = parent
        return parent

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # The longer, fuller name stands for the group.
            keep, drop = (ra, rb) if (len(ra), ra) >= (len(rb), rb) else (rb, ra)
            self.parent[drop] = keep


def _similar_full_names(full: dict[str, Name], union: _Union) -> None:
    """Join full names whose given names agree (or one is the other's initial) and whose
    surnames are spellings of one (transliteration: Zelensky, Zelenskyy, Zelenskiy)."""
    blocks: dict[str, list[Name]] = defaultdict(list)
    for n in full.values():
        blocks[n.surname[:1] + (n.given[:1] if n.given else "")].append(n)
    for names in blocks.values():
        if len(names) < 2 or len(names) > 2000:
            continue
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if a.given and b.given and a.given != b.given and not (
                    len(a.given) == 1 or len(b.given) == 1
                ):
                    continue
                if fuzz.ratio(a.surname, b.surname) >= SIMILAR:
                    union.union(a.key, b.key)


def _names(mentions: Sequence[Mention]) -> dict[str, Name]:
    """What each distinct quote names (read once per quote)."""
    names: dict[str, Name] = {}
    for m in mentions:
        if m.quote not in names:
            names[m.quote] = read_name(m.quote, _kind(m.value))
    return names


def propose(mentions: Sequence[Mention], links: Sequence[tuple[int, int]] = (),
            names: dict[str, Name] | None = None) -> list[list[Mention]]:
    """Source mentions grouped by the person or organisation they name (proposal only)."""
    names = _names(mentions) if names is None else names
    union = _Union()
    full = {n.key: n for n in names.values() if n.named and n.given}
    by_surname: dict[str, set[str]] = defaultdict(set)
    for n in full.values():
        by_surname[n.surname].add(n.key)
    _similar_full_names(full, union)
    root = {key: union.find(key) for key in full}
    # Each mention with what its quote names, by article (looked up once, not in every pass).
    by_article: dict[int, list[tuple[Mention, Name]]] = defaultdict(list)
    for m in mentions:
        by_article[m.article_id].append((m, names[m.quote]))
    key_of: dict[int, str] = {}
    # The one person a bare surname names corpus-wide ("" when it names several or none).
    corpus_wide: dict[str, str] = {}
    for ms in by_article.values():
        local_roots: dict[str, set[str]] = defaultdict(set)
        descriptors: dict[str, str] = {}
        for _m, n in ms:
            if n.named:
                if n.given:
                    local_roots[n.surname].add(root[n.key])
                if n.descriptor:
                    descriptors[n.descriptor] = n.key
        quotes = None
        for m, n in ms:
            if n.named and not n.given:
                # "Ruiz", "Ms. Ruiz": the full name with that surname in the article, else the
                # only one in the corpus.
                local = local_roots.get(n.surname, ())
                if len(local) == 1:
                    key_of[m.annotation_id] = next(iter(local))
                    continue
                if n.surname not in corpus_wide:
                    candidates = sorted(by_surname.get(n.surname, ())) or _fuzzy_surnames(n.surname, by_surname)
                    roots = {root[k] for k in candidates}
                    corpus_wide[n.surname] = roots.pop() if len(roots) == 1 else ""
                key_of[m.annotation_id] = corpus_wide[n.surname] or n.key
            elif n.named:
                key_of[m.annotation_id] = root.get(n.key, n.key)
            elif n.key in descriptors:
                key_of[m.annotation_id] = root.get(descriptors[n.key], descriptors[n.key])
            else:
                # A pronoun the suggester tied to another source ("refers_to_quote").
                ref = _refers_to_quote(m.value)
                if ref and quotes is None:
                    quotes = {q.quote for q, _n in ms}
                if ref and ref in quotes and names[ref].named:
                    key_of[m.annotation_id] = root.get(names[ref].key, names[ref].key)
                else:
                    key_of[m.annotation_id] = "\x00" + n.key
    by_id = {m.annotation_id: m for m in mentions}
    # A link from one source annotation to another (a pronoun to its antecedent).
    for _ in range(2):
        for src, dst in links:
            if src in key_of and dst in key_of and key_of[src].startswith("\x00"):
                key_of[src] = key_of[dst]
    groups: dict[str, list[Mention]] = defaultdict(list)
    for ann_id, key in key_of.items():
        groups[key].append(by_id[ann_id])
    return list(groups.values())


def _kind(value: str) -> str:
    """The suggester's kind of source ("named", "anonymous", ...) from an annotation's value."""
    if not value.startswith('{"kind":"'):
        return ""
    return value[9: value.find('"', 9)]


def _fuzzy_surnames(surname: str, known: dict[str, set[str]]) -> list[str]:
    """Full-name keys whose surname is a spelling of ``surname`` (Zelenskiy: Zelenskyy)."""
    return sorted(
        key for other, keys in known.items()
        if other[:1] == surname[:1] and fuzz.ratio(other, surname) >= SIMILAR for key in keys
    )


def _refers_to_quote(value: str) -> str:
    if '"refers_to_quote"' not in value:
        return ""
    try:
        return str(json.loads(value).get("refers_to_quote") or "")
    except (ValueError, AttributeError):
        return ""


def _display_name(ms: Sequence[Mention], names: dict[str, Name]) -> str:
    """The fullest way the group is named: the most common of its longest names."""
    by_display: Counter = Counter()
    for quote, n in Counter(m.quote for m in ms).items():
        by_display[(names[quote].named, names[quote].display)] += n
    full = {d: n for (named, d), n in by_display.items() if named}
    if not full:
        return by_display.most_common(1)[0][0][1]
    longest = max(len(d.split()) for d in full)
    return max((n, d) for d, n in full.items() if len(d.split()) == longest)[1]


@without_cycle_collection()
def source_registry(store: Store, filters: Filters = Filters()) -> list[SourceEntry]:
    """Every source, most cited first: confirmed groups with the mentions the analyst put
    there, and proposals for the rest (a proposal joins the confirmed group most of its
    mentions are in)."""
    mentions = corpus.mentions(store, SOURCE_TAG, filters)
    links = corpus.links_between(store, SOURCE_TAG, SOURCE_TAG)
    names = corpus.source_groups(store)
    entries: dict[int, SourceEntry] = {gid: SourceEntry(name, [], gid) for gid, name in names.items()}
    proposed: list[SourceEntry] = []
    read = _names(mentions)
    for group in propose(mentions, links, read):
        confirmed = Counter(m.group_id for m in group if m.group_id is not None)
        home = confirmed.most_common(1)[0][0] if confirmed else None
        rest = []
        for m in group:
            target = m.group_id if m.group_id is not None else home
            if target is not None and target in entries:
                entries[target].mentions.append(m)
            else:
                rest.append(m)
        if rest:
            proposed.append(SourceEntry(_display_name(rest, read), rest, None))
    out = [e for e in entries.values() if e.mentions] + proposed
    out.sort(key=lambda e: (-e.count, e.name.lower()))
    return out


def claims_of_sources(store: Store, annotation_ids: Sequence[int]) -> dict[int, list[tuple[int, int, int, int, str]]]:
    """``{source annotation id: [(claim id, article id, start, end, quote), ...]}``: the claims
    each source mention is linked to."""
    pairs = corpus.links_to(store, "claim", annotation_ids)
    claims = {row[0]: row for row in corpus.annotations_by_id(store, [c for c, _ in pairs])}
    out: dict[int, list] = defaultdict(list)
    for claim, src in pairs:
        out[src].append(claims[claim])
    return out


_REGISTRY = Changes(registry=True)


@operation
def group_sources(store: Store, *, name: str, annotation_ids: Sequence[int]) -> Op[int]:
    """Confirm, merge or split: ``annotation_ids`` (a proposal as it stands, the mentions of
    several sources, or some mentions of one) become one confirmed source named ``name``,
    leaving any group they were in. The value is the new group's id."""
    return Op(corpus.insert_source_group(store, name, list(annotation_ids)), _REGISTRY)


@operation
def rename_source(store: Store, *, group_id: int, name: str) -> Op[None]:
    """Give a confirmed source another name."""
    corpus.rename_source_group(store, group_id, name)
    return Op(None, _REGISTRY)


@operation
def restore_source_groups(store: Store, *, state: Sequence[Sequence]) -> Op[None]:
    """Put every confirmed group back as it was (undo of a registry edit)."""
    corpus.restore_source_group_state(store, [tuple(s) for s in state])
    return Op(None, _REGISTRY)


def source_group_state(store: Store) -> list[tuple]:
    """The confirmed groups as :func:`restore_source_groups` takes them (for undo)."""
    return corpus.source_group_state(store)
