"""The source registry: source annotations across the corpus grouped into the people
and organisations they name.

Grouping is proposed from the names ("Ana Ruiz", "Ruiz", "Ms. Ruiz", "A. Ruiz",
"Zelenskyy" / "Zelensky", "Clinton campaign Chairman John Podesta"; "the Clinton
campaign" apart from Hillary Clinton), from the article ("the relief group's
coordinator" where the article calls Ana Ruiz that; "she" through its link, the
suggester's reference or the person it follows), and from rapidfuzz similarity of
surnames. The analyst confirms, merges, splits and renames; those decisions are stored
(``source_groups``) and win over any proposal. Mentions no decision covers follow the
proposal. ``benchmarks/eval_source_registry.py`` measures the proposal on political news
labelled with the entity of each source.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from operator import attrgetter

from nicknames import NickNamer
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
    officer inspector superintendent detective chairman chairwoman director""".split()
)
# A title that names a person's sex ("Mrs. Clinton" is not "Mr. Clinton"'s "he").
_GENDER = {"mr": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m", "mrs": "f", "ms": "f", "miss": "f",
           "dame": "f", "lady": "f", "queen": "f", "princess": "f"}
# The last word of an organisation's name, which a title before it does not cut off ("Justice Department").
_ORG_WORDS = frozenset(
    """department ministry committee court party house office agency council bureau times post news motors state
    service services commission union bank institute university foundation center centre group""".split()
)
PRONOUNS = frozenset("he she they him her them his hers their i we you it its me us our your my".split())
RELATIVES = frozenset("who whom whose which that".split())
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_SPEAKER = {"i": "i", "me": "i", "my": "i", "we": "we", "us": "we", "our": "we", "you": "you", "your": "you"}
# Sentence-initial words that start a description, not a name ("Officials said").
DESCRIPTIONS = frozenset(
    """the a an this that these those officials official sources source witnesses witness analysts analyst
    experts expert residents resident police authorities critics diplomats diplomat people officers officer
    investigators doctors doctor medics aides aide observers lawmakers legislators activists one two several
    some many most others another both much few""".split()
)
# Words that describe a side, not a person: "the Utah Republican", "Senate Republicans", "Democratic leaders".
SIDES = frozenset(
    """republican republicans democrat democrats democratic gop conservative conservatives liberal liberals
    progressive progressives independent independents""".split()
)
# An organisation named after a person: "the Clinton campaign", "Trump's campaign", "the Obama administration".
ORG_NOUNS = {"campaign": "campaign", "camp": "campaign", "administration": "administration",
             "foundation": "foundation", "government": "government"}
# "Trump's running mate", "Mr. Khan's wife": someone else, tied to the name.
RELATIONS = frozenset(
    """wife husband daughter son daughters sons niece nephew father mother brother sister family children parents
    aide aides adviser advisers advisor spokesman spokeswoman spokesperson ally allies supporters supporter critics
    lawyer lawyers attorney attorneys mate vp deputy friend friends staff enemies rival rivals""".split()
)
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_PREPOSITIONS = frozenset("of on at in for from by with to about among against".split())
_CONNECTORS = frozenset("of de da van von der al bin el la le".split())
_NAME_END = re.compile(r",|\(|\s[-–—]\s|\s(?:who|which|that|of the|at the|for the|from the)\s", re.IGNORECASE)
_POSSESSIVE = re.compile(r"[’']s?$")
_TOKEN = re.compile(r"[^\W\d_][\w.'’&-]*", re.UNICODE)
SIMILAR = 88  # rapidfuzz ratio at which two surnames are read as spellings of one


def fold(text: str) -> str:
    """Lower case without accents: "Zelenskyy" and "Zélenskyy" read alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@dataclass(frozen=True)
class Name:
    """What a source mention says about who it is."""

    key: str           # "given surname", "surname", "surname campaign", or the folded description
    surname: str = ""
    given: str = ""    # a first name, an initial ("a"), or ""
    named: bool = False
    descriptor: str = ""   # the apposition: "the relief group's coordinator"
    display: str = ""
    pronoun: str = ""      # "he", "who" ...: the mention is a pronoun
    gender: str = ""       # "m" or "f" where a title says so
    suffix: str = ""       # "jr": Donald Trump Jr. is not Donald Trump
    organisation: bool = False   # a person's campaign, administration or foundation


def _bare(word: str) -> str:
    return word.rstrip(".").lower()


def _is_title(word: str) -> bool:
    return _bare(word) in TITLES


def _person(run: list[str]) -> list[str]:
    """The person in a capitalised run: after its last title ("House Oversight Committee
    Chairman Jason Chaffetz", "Indiana Gov. Mike Pence") or side ("Democrat Hillary Clinton"),
    unless that leaves an organisation's name without its first word ("Justice Department")."""
    for i in range(len(run) - 1, -1, -1):
        if _is_title(run[i]) or (_bare(run[i]) in SIDES and len(run) - i > 2):
            rest = run[i + 1:]
            if rest and _bare(rest[-1]) not in _ORG_WORDS:
                return rest
            break
    return run


def _runs(tokens: list[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of capitalised words ("Ministry of Defence" keeps its
    "of" after a single word, "John Kasich of Ohio" does not); a possessive ends a run."""
    runs, i = [], 0
    while i < len(tokens):
        if not tokens[i][:1].isupper():
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and not _POSSESSIVE.search(tokens[j - 1]):
            if tokens[j][:1].isupper():
                j += 1
            elif (tokens[j].lower() in _CONNECTORS and j + 1 < len(tokens) and tokens[j + 1][:1].isupper()
                  and (j - i == 1 or tokens[j].lower() != "of")):
                j += 2
            else:
                break
        runs.append((i, j))
        i = j
    return runs


def _description(text: str) -> Name:
    key = " ".join(fold(text).split())
    return Name(key=key, descriptor=key, display=text)


def _full_name(run: list[str], descriptor: str, gender: str) -> Name:
    words = [_POSSESSIVE.sub("", w) for w in run]
    suffix = ""
    if len(words) > 1 and _bare(words[-1]) in _SUFFIXES:
        suffix = _bare(words[-1])
        words = words[:-1]
    folded = [fold(t).rstrip(".") for t in words]
    surname = folded[-1]
    given = folded[0] if len(folded) > 1 else ""
    if len(given) == 1 or (given and len(words[0]) == 2 and words[0].endswith(".")):
        given = given[:1]
    display = " ".join(words + ([run[-1]] if suffix else []))
    key = " ".join(folded + ([suffix] if suffix else []))
    return Name(key=key, surname=surname, given=given, named=True, descriptor=descriptor, display=display,
                gender=gender, suffix=suffix)


def _organisation(word: str, noun: str) -> Name:
    base = fold(_POSSESSIVE.sub("", word)).rstrip(".")
    key = f"{base} {ORG_NOUNS[noun]}"
    return Name(key=key, surname=key, named=True, display=f"{_POSSESSIVE.sub('', word)} {ORG_NOUNS[noun]}",
                organisation=True)


def _name_at_start(text: str) -> list[str]:
    """A person's name that opens ``text`` ("Paul Manafort,", "Indiana Gov. Mike Pence"), or []."""
    cut = _NAME_END.search(text)
    tokens = _TOKEN.findall(text[: cut.start()] if cut else text)
    runs = _runs(tokens)
    if not runs or runs[0][0] != 0:
        return []
    run = tokens[runs[0][0]:runs[0][1]]
    person = _person(run)
    return person if len(person) >= 2 or person is not run else []


def read_name(quote: str, kind: str = "") -> Name:
    """The name in a source annotation's text, without titles, possessives and apposition.
    ``kind`` is the suggester's ("named", "organisation", "anonymous", "pronoun") when known."""
    text = quote.strip()
    low = fold(text)
    if low in PRONOUNS or low in RELATIVES or kind == "pronoun":
        return Name(key=low, descriptor=low, display=text, pronoun=low)
    if kind == "anonymous":
        return _description(text)
    cut = _NAME_END.search(text)
    head, descriptor = (text[: cut.start()], text[cut.end():]) if cut else (text, "")
    desc = " ".join(fold(descriptor).split())
    tokens = _TOKEN.findall(head)
    if not tokens or any(t.lower() in ("and", "or", "&") for t in tokens):
        return _description(text)   # several sources at once: "Chaffetz and Rep. Bob Goodlatte"
    gender = ""
    # "the World Health Organization": a leading article before a capitalised name.
    while tokens and tokens[0].lower() in ("the", "a", "an") and len(tokens) > 1 and tokens[1][:1].isupper():
        tokens = tokens[1:]
    while tokens and _is_title(tokens[0]) and len(tokens) > 1 and _bare(tokens[-1]) not in _ORG_WORDS:
        gender = gender or _GENDER.get(_bare(tokens[0]), "")
        tokens = tokens[1:]
    runs = _runs(tokens)
    last = tokens[-1].lower()
    name: list[str] = []
    # A name that ends the head after other words ("Fox News host Sean Hannity", "Clinton
    # campaign Chairman John Podesta"), not as the object of a preposition ("the majority
    # on the Supreme Court", "supporters of Hillary Clinton").
    end_run = runs[-1] if runs and runs[-1][1] == len(tokens) else None
    if end_run and end_run[0] > 0:
        before = [t.lower() for t in tokens[: end_run[0]] if t.lower() not in ("the", "a", "an")]
        run = tokens[end_run[0]:end_run[1]]
        person = _person(run)
        # ("Secretary of State John Kerry": the "of" belongs to the title)
        if (len(person) >= 2 or person is not run) and not (
            before and before[-1] in _PREPOSITIONS and person is run
        ):
            name, gender = person, ""
        elif (len(run) == 1 and tokens[0].lower() in ("a", "an", "the") and _bare(run[0]) not in SIDES
              and all(t.islower() and t not in _PREPOSITIONS for t in tokens[1:end_run[0]])):
            name = run   # "an angry Hollande", "a confident-seeming Manafort"
    first = runs[0] if runs and runs[0][0] == 0 and tokens[0].lower() not in DESCRIPTIONS else None
    if not name and first:
        run = tokens[first[0]:first[1]]
        rest = {t.lower() for t in tokens[first[1]:]}
        if first[1] == len(tokens):
            if _bare(run[-1]) in ORG_NOUNS and len(run) > 1:
                return _organisation(run[-2], _bare(run[-1]))     # "Hillary Clinton Campaign"
            name = _person(run)
        elif last in ORG_NOUNS:
            return _organisation(run[-1], last)   # "the Clinton campaign", "Clinton's presidential campaign"
        elif " and " not in text and _name_at_start(descriptor):
            pass   # the name is in apposition: "France's National Front party leader, Marine Le Pen,"
        elif tokens[first[1]].lower() in ("of", "from", "in", "at") or (
            _POSSESSIVE.search(run[-1]) and not rest & RELATIONS
        ):
            name = _person(run)   # "John Kasich of Ohio", "Zelensky's office"
    if name and _bare(_POSSESSIVE.sub("", name[-1])) in SIDES:
        name = []   # "the Utah Republican", "Senate Republicans"
    if not name:
        # A description with the name in apposition: "Mr. Trump's campaign chairman, Paul Manafort,".
        person = _name_at_start(descriptor) if descriptor and " and " not in text else []
        if person:
            return _full_name(person, " ".join(fold(head).split()), "")
        return _description(text)
    return _full_name(name, desc, gender)


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

    @cached_property
    def by_month(self) -> dict[str, int]:
        """How often cited each month ("2016-07"), from the first month cited to the last, the
        months between without a citation at 0: the source over time. An article's date that
        is no ISO date ("May 2024", as an import may give it) counts the month it was tagged."""
        counts = Counter(month if _MONTH.fullmatch(month := (m.published or m.created)[:7]) else m.created[:7]
                         for m in self.mentions)
        counts.pop("", None)
        if not counts:
            return {}
        months, (year, month) = [], map(int, min(counts).split("-"))
        last = max(counts)
        while (key := f"{year:04d}-{month:02d}") <= last:
            months.append(key)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return {key: counts.get(key, 0) for key in months}

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
_MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")


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


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def given_forms(given: str) -> frozenset[str]:
    """A given name and the formal names it is short for ("tim": timothy; "bill": william),
    from the ``nicknames`` package's hand-curated list; an initial stands for itself."""
    if len(given) < 2:
        return frozenset({given})
    return frozenset({given, *_nicknamer().canonicals_of(given)})


def _similar_full_names(full: dict[str, Name], union: _Union) -> None:
    """Join full names whose given names agree (one is the other's initial, or the short
    form of the other: "Tim Kaine" and "Timothy M. Kaine") and whose surnames are
    spellings of one (transliteration: Zelensky, Zelenskyy, Zelenskiy)."""
    blocks: dict[str, list[Name]] = defaultdict(list)
    for n in full.values():
        for form in given_forms(n.given) if n.given else ("",):
            blocks[n.surname[:1] + form[:1]].append(n)
    for names in blocks.values():
        if len(names) < 2 or len(names) > 2000:
            continue
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if a.suffix != b.suffix or (a.given and b.given and a.given != b.given and not (
                    len(a.given) == 1 or len(b.given) == 1
                    or a.given in given_forms(b.given) or b.given in given_forms(a.given)
                )):
                    continue
                if fuzz.ratio(a.surname, b.surname) >= SIMILAR:
                    union.union(a.key, b.key)


def _same_person(found: list[Name], union: _Union) -> None:
    """Join full names of one surname in one article that are one person ("Dorothy Woods" and
    "Benghazi Widow Dorothy Woods", "A. Ruiz" and "Ana Ruiz")."""
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            if a.suffix == b.suffix and (_given_in(a, b) or _given_in(b, a)):
                union.union(a.key, b.key)


def _given_in(a: Name, b: Name) -> bool:
    words = b.key.split()[:-1]
    return a.given in words or (len(a.given) == 1 and b.given.startswith(a.given))


# A quote's reading does not change: kept across refreshes of the registry.
_read_name_kept = lru_cache(maxsize=1 << 16)(read_name)


def _names(mentions: Sequence[Mention]) -> dict[str, Name]:
    """What each distinct quote names (read once per quote)."""
    names: dict[str, Name] = {}
    for m in mentions:
        if m.quote not in names:
            names[m.quote] = _read_name_kept(m.quote, _kind(m.value))
    return names


DOMINANT = 3  # a bare surname is the one person so named when cited this many times more than the next


def propose(mentions: Sequence[Mention], links: Sequence[tuple[int, int]] = (),
            names: dict[str, Name] | None = None) -> list[list[Mention]]:
    """Source mentions grouped by the person or organisation they name (proposal only).

    Full names join across the corpus (spellings, initials); a bare surname joins the full
    name in its article, else the one person of that surname the corpus cites (by far);
    "the Clinton campaign" and "Clinton's campaign" are one organisation, apart from the
    person. Descriptions ("officials", "the candidate") join only the same description in
    the same article, or the name they stand beside ("Ana Ruiz, the coordinator" ... "the
    coordinator"). A pronoun joins its link, the suggester's reference, or else the source
    it follows: "who" the one just before it, "he"/"she" the nearest person cited before
    (whose title does not say otherwise), "they"/"it" the nearest group or organisation."""
    names = _names(mentions) if names is None else names
    union = _Union()
    full = {n.key: n for n in names.values() if n.named and n.given}
    by_surname: dict[str, set[str]] = defaultdict(set)
    for n in full.values():
        by_surname[n.surname].add(n.key)
    _similar_full_names(full, union)
    full_names = {q: n for q, n in names.items() if n.given}
    given_names = {n.given for n in full.values()}
    by_article: dict[int, list[Mention]] = defaultdict(list)
    # Each article's full names by surname.
    local_names: dict[int, dict[str, dict[str, Name]]] = defaultdict(dict)
    for m in mentions:
        by_article[m.article_id].append(m)
        n = full_names.get(m.quote)
        if n is not None:
            here = local_names[m.article_id]
            seen = here.get(n.surname)
            if seen is None:
                here[n.surname] = {n.key: n}
            else:
                seen[n.key] = n
    for by_surname_here in local_names.values():
        for found in by_surname_here.values():
            if len(found) > 1:
                _same_person(list(found.values()), union)
    root = {key: union.find(key) for key in full}
    # What each distinct quote gives, worked out once: the full name's group, or what it is.
    full_root = {q: root[n.key] for q, n in names.items() if n.given}
    bare = {q: n for q, n in names.items() if n.named and not n.given and not n.organisation}
    cited: Counter = Counter()
    gender_of: dict[str, str] = {}
    for quote, count in Counter(map(_QUOTE, mentions)).items():
        if quote in full_root:
            cited[full_root[quote]] += count
            if names[quote].gender:
                gender_of[full_root[quote]] = names[quote].gender
    key_of: dict[int, str] = {}
    groups: dict[str, list[Mention]] = defaultdict(list)
    # The one person a bare surname names corpus-wide ("" when it names several or none).
    corpus_wide: dict[tuple[str, str], str] = {}
    later: list[list[Mention]] = []
    # Names first, in every article (a title's "Mr." tells every article who is a "he")...
    for ms in by_article.values():
        local_roots: dict[str, set[str]] | None = None
        keys: list[str] = []
        for m in ms:
            quote = m.quote
            key = full_root.get(quote)
            if key is None:
                n = bare.get(quote)
                if n is None:
                    n = names[quote]
                    key = n.key if n.organisation else ""
                else:
                    if local_roots is None:
                        local_roots = _local_roots(local_names[m.article_id], root)
                    # "Ruiz", "Ms. Ruiz": the full name with that surname (or "Hillary": given
                    # name) in the article, else the one the corpus cites.
                    local = local_roots.get(n.surname) or (
                        _by_given(local_names[m.article_id], root, n.surname)
                        if not n.gender and n.surname in given_names else ())
                    if len(local) == 1:
                        key = next(iter(local))
                    else:
                        wide = (n.surname, n.gender)
                        if wide not in corpus_wide:
                            corpus_wide[wide] = _one_person(n, by_surname, root, cited, gender_of)
                        key = corpus_wide[wide] or n.key
                    if n.gender:
                        gender_of.setdefault(key, n.gender)
            keys.append(key)
        if "" in keys:
            later.append(ms)
            key_of.update(zip(map(_ID, ms), keys))
        else:
            for m, key in zip(ms, keys):
                groups[key].append(m)
            if links:
                key_of.update(zip(map(_ID, ms), keys))
    # ... then what stands for them: descriptions, then pronouns.
    guessed: set[int] = set()
    for ms in later:
        ms.sort(key=_START)
        article_id = ms[0].article_id
        pairs = [(m, names[m.quote]) for m in ms]
        keys = [key_of[m.annotation_id] for m in ms]
        descriptors = {n.descriptor: keys[i] for i, (_m, n) in enumerate(pairs) if n.named and n.descriptor}
        nouns: dict[str, str] = {}
        for i, (m, n) in enumerate(pairs):
            if n.pronoun:
                continue
            noun = _head_noun(n)
            if not n.named:
                # "the summary" after "an FBI summary of its investigation": the one before.
                keys[i] = (descriptors.get(n.key) or (n.key.startswith("the ") and len(n.key.split()) <= 4
                                                      and nouns.get(noun))
                           or f"\x00{article_id}:{n.key}")
                guessed.add(m.annotation_id)
            if noun:
                nouns[noun] = keys[i]
        for i, (m, n) in enumerate(pairs):
            if n.pronoun:
                keys[i] = _antecedent(i, pairs, keys, gender_of) or f"\x00{article_id}:{m.start}"
                guessed.add(m.annotation_id)
        key_of.update(zip(map(_ID, ms), keys))
    # A link from one source annotation to another (a pronoun to its antecedent) wins over a guess.
    for _ in range(2):
        for src, dst in links:
            if src in guessed and dst in key_of:
                key_of[src] = key_of[dst]
    for ms in later:
        for m in ms:
            groups[key_of[m.annotation_id]].append(m)
    return list(groups.values())


_QUOTE, _START, _ID = attrgetter("quote"), attrgetter("start"), attrgetter("annotation_id")


def _local_roots(by_surname: dict[str, dict[str, Name]], root: dict[str, str]) -> dict[str, set[str]]:
    """``{surname: groups}`` of the full names in one article."""
    return {surname: {root[key] for key in found} for surname, found in by_surname.items()}


def _by_given(by_surname: dict[str, dict[str, Name]], root: dict[str, str], given: str) -> set[str]:
    """The groups of the article's full names with this given name ("Hillary")."""
    return {root[key] for found in by_surname.values() for key, n in found.items() if n.given == given}


def _one_person(n: Name, by_surname: dict[str, set[str]], root: dict[str, str], cited: Counter,
                gender_of: dict[str, str]) -> str:
    """The person a bare surname names across the corpus: the only one so named (whose
    title agrees), or the one cited ``DOMINANT`` times more than any other; else ""."""
    candidates = sorted(by_surname.get(n.surname, ())) or _fuzzy_surnames(n.surname, by_surname)
    roots = Counter({root[k]: cited[root[k]] for k in candidates if gender_of.get(root[k], n.gender) == n.gender})
    ranked = roots.most_common(2)
    if len(ranked) == 1 or (len(ranked) == 2 and ranked[0][1] >= DOMINANT * max(ranked[1][1], 1)):
        return ranked[0][0]
    return ""


def _head_noun(n: Name) -> str:
    """The noun a description or an organisation ends in ("the FBI summary": "summary")."""
    if n.organisation:
        return n.key.rsplit(" ", 1)[-1]
    if n.named or n.pronoun:
        return ""
    words = n.key.split()
    for k, w in enumerate(words):
        if w in _PREPOSITIONS and k:
            words = words[:k]
            break
    return words[-1].strip(".,'’") if words else ""


def _antecedent(i: int, pairs: Sequence[tuple[Mention, Name]], keys: list[str], gender_of: dict[str, str]) -> str:
    """The group a pronoun source stands for ("" if none): read from the sources around it in
    its article, else the suggester's reference (``refers_to_quote``), which was wrong more
    often on labelled news (benchmarks/eval_source_registry.py --predicted)."""
    found = _follows(i, pairs, keys, gender_of)
    ref = "" if found else _refers_to_quote(pairs[i][0].value)
    if ref:
        for j in range(len(pairs) - 1, -1, -1):
            if pairs[j][0].quote == ref and keys[j] and j != i:
                return keys[j]
    return found


def _follows(i: int, pairs: Sequence[tuple[Mention, Name]], keys: list[str], gender_of: dict[str, str]) -> str:
    """The group of the source a pronoun follows in its article ("" if none)."""
    m, n = pairs[i]
    word = n.pronoun
    if word in RELATIVES:
        # "Mr. Khan, who": the source just before, when nothing but a comma stands between.
        if i and 0 <= m.start - pairs[i - 1][0].end <= 3 and keys[i - 1]:
            return keys[i - 1]
        return ""
    if word in _SPEAKER:
        return f"\x00{m.article_id}:{_SPEAKER[word]}"
    if word in _PRONOUN_GENDER:
        gender = _PRONOUN_GENDER[word]
        # Before it; only a pronoun that opens the article looks ahead ("She sees ...": a headline).
        for j in range(i - 1, -1, -1) if i else range(1, len(pairs)):
            other = pairs[j][1]
            if other.pronoun:
                if _PRONOUN_GENDER.get(other.pronoun) == gender and keys[j] and not keys[j].startswith("\x00"):
                    return keys[j]
            elif (other.named and not other.organisation and gender_of.get(keys[j], gender) == gender
                  and other.key.rsplit(" ", 1)[-1] not in _ORG_WORDS and not other.display.isupper()):
                return keys[j]
        return ""
    # "they", "it": the nearest group, organisation or description before it ("it" not a plural one).
    for j in range(i - 1, -1, -1):
        other = pairs[j][1]
        if other.pronoun in _PRONOUN_GENDER or other.pronoun in RELATIVES or other.given or (
            word in ("it", "its") and not other.named and _head_noun(other).endswith("s")
        ):
            continue
        if keys[j]:
            return keys[j]
    return ""


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
    """How the group is named: the most common of its full names with a given name written
    out ("Dorothy Woods" over a single "Benghazi Widow Dorothy Woods", over "D. Woods"), else
    of its full names, else of its names, else its most common description."""
    by_display: Counter = Counter()
    given: dict[str, str] = {}
    for quote, n in Counter(m.quote for m in ms).items():
        name = names[quote]
        by_display[(name.named, name.display)] += n
        given[name.display] = name.given
    named = {d: n for (is_named, d), n in by_display.items() if is_named}
    if not named:
        return by_display.most_common(1)[0][0][1]

    def rank(item: tuple[str, int]) -> tuple:
        display, count = item
        full = len(display.split()) > 1
        return (full and len(given[display]) > 1, full, count, len(display.split()), display)

    return max(named.items(), key=rank)[0]


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
def restore_source_groups(store: Store, *, state: Sequence[Sequence],
                          annotation_ids: Sequence[int] | None = None) -> Op[None]:
    """Put the confirmed groups back as ``state`` has them (undo of a registry edit): all of
    them, or the memberships of ``annotation_ids`` only (the mentions one edit moved)."""
    corpus.restore_source_group_state(store, [tuple(s) for s in state],
                                      None if annotation_ids is None else list(annotation_ids))
    return Op(None, _REGISTRY)


def source_group_state(store: Store, annotation_ids: Sequence[int] | None = None) -> list[tuple]:
    """The confirmed groups (of ``annotation_ids`` only, if given) as :func:`restore_source_groups`
    takes them (for undo)."""
    return corpus.source_group_state(store, annotation_ids)
