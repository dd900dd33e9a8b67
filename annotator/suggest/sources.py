"""Sources: who is credited with reported or quoted speech.

Every attribution hangs on a cue: a speech verb ("said", "told", "reported"),
"according to", "quoting", "a statement by". The source is the noun phrase
next to the cue: a name with its title and apposition, an organisation, a
description ("a senior official who spoke on condition of anonymity") or a
pronoun, which is linked to the nearest earlier source it can refer to.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from annotator.suggest.patterns import word_alternation

SUGGESTER = "sources"

# "BEIRUT (Reuters) - ", "HASAKAH, Syria (Wirefeed) - ": the dateline before a story's first sentence.
DATELINE = r"[A-Z][A-Z .'’/-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,30})?(?:\s*\([^)\n]{1,40}\))?\s*[-–—]+\s+"

SPEECH_VERBS = word_alternation(
    """
    said says say told tells added adds stated states announced announces reported reports wrote
    writes explained explains noted notes warned warns claimed claims insisted insists argued argues
    acknowledged acknowledges confirmed confirms denied denies tweeted posted asked urged estimated
    estimates alleged alleges maintained predicted predicts recalled revealed disclosed conceded
    admitted admits declared stressed stresses emphasised emphasized continued replied responded
    countered cautioned complained testified concluded suggested boasted pledged vowed promised
    recounted described declined demanded demands expected forecast
    argue insist suggest suggests suggested accused accuses criticized criticised criticizes endorsed
    endorses praised praises defended defends dismissed rejected rejects questioned questions
    blasted blamed blames mocked echoed denounced assured reiterated asserted asserts joked railed
    agreed proposed offered called calls showed shows found finds indicated indicates expressed
    expresses pointed appeared seemed appears seems talked referred responded issued tells
    complained complains lamented touted hailed slammed attacked acknowledge acknowledged
    think thinks thought believe believes believed hope hopes hoped fear fears feared feel feels
    want wants wanted support supports supported oppose opposes opposed backed backs sought seeks
    cited cites knows
    """.split()
)
# Verbs that also appear after a quotation with the speaker after them ("…," said X).
INVERSION_VERBS = "said|says|added|adds|wrote|writes|asked|explained|noted|continued|insisted|warned|declared|stated|replied|recalled"

TITLES = (
    "President|Vice President|Prime Minister|Deputy Prime Minister|Foreign Minister|Defence Minister"
    "|Defense Minister|Interior Minister|Finance Minister|Health Minister|Minister|Secretary of State"
    "|Secretary|Senator|Sen\\.|Representative|Rep\\.|Congressman|Congresswoman|Governor|Gov\\.|Mayor"
    "|General|Gen\\.|Lieutenant General|Lt\\. Gen\\.|Major General|Maj\\. Gen\\.|Brigadier General"
    "|Colonel|Col\\.|Major|Maj\\.|Captain|Capt\\.|Lieutenant|Lt\\.|Sergeant|Sgt\\.|Admiral|Adm\\."
    "|Commander|Chancellor|King|Queen|Prince|Princess|Sheikh|Emir|Ayatollah|Pope|Cardinal|Bishop"
    "|Archbishop|Rabbi|Imam|Judge|Justice|Chief Justice|Ambassador|Spokesman|Spokeswoman"
    "|Dr\\.|Dr|Prof\\.|Professor|Mr\\.|Mrs\\.|Ms\\.|Mr|Mrs|Ms|Sir|Dame|Lord|Lady|Chairman|Chairwoman"
    "|Director|Commissioner|Inspector|Superintendent|Chief|Speaker|Attorney General|Detective"
)

# Heads of descriptive source phrases ("a police spokesman", "local officials").
SOURCE_HEAD_WORDS = """
    official officials spokesman spokeswoman spokesmen spokeswomen spokesperson spokespeople
    minister ministers ministry ministries police army military militant militants government
    governments president source sources witness witnesses resident residents analyst analysts
    expert experts researcher researchers activist activists doctor doctors medic medics nurse nurses
    paramedic paramedics commander commanders officer officers statement report reports agency
    agencies group groups monitor monitors observatory diplomat diplomats lawyer lawyers attorney
    attorneys prosecutor prosecutors court judge company firm leader leaders authority authorities
    media television tv radio newspaper daily outlet broadcaster channel website council committee
    commission department office embassy coalition alliance forces troops soldiers rebels insurgents
    fighters survivor survivors relative relatives families family neighbour neighbours neighbor
    neighbors villagers farmers workers employees executive executives chief director aide aides
    adviser advisers advisor advisors negotiator negotiators envoy envoys mediator mediators observers
    investigator investigators inspector inspectors economist economists scientist scientists
    historian historians campaigner campaigners organiser organisers organizer organizers
    organisation organisations organization organizations union unions party parties administration
    cabinet presidency parliament lawmaker lawmakers legislator legislators senator senators mps
    member members people person man woman men women mother father brother sister son daughter
    survey study poll data figures statistics census sheet tally toll bureau institute centre center
    service services ngo charity hospital clinic bank fund teacher student owner manager chairman
    secretary operator regulator utility airline carrier provider network club team coach
    federation association league board
    lawyers prosecution defence defense
""".split()
SOURCE_HEADS = word_alternation(SOURCE_HEAD_WORDS)

ORG_WORDS = frozenset(
    """
    ministry ministries forces agency agencies observatory council committee commission department
    office embassy coalition alliance army military police government group groups union party
    administration cabinet presidency parliament court bureau institute centre center service
    services bank fund company corp corporation inc ltd organisation organization network media
    television radio newspaper daily times post reuters afp ap bbc cnn xinhua tass anadolu sana
    irna wafa nations hospital university school association federation league authority
    authorities board front movement brigade brigades battalion directorate command
    """.split()
)
PLURAL_HEADS = re.compile(
    r"(?:officials|sources|witnesses|residents|analysts|experts|activists|doctors|medics|officers|diplomats|"
    r"lawyers|prosecutors|leaders|authorities|forces|troops|soldiers|rebels|fighters|families|people|men|"
    r"women|workers|members|police|villagers|survivors|relatives|investigators|observers|lawmakers)$",
    re.IGNORECASE,
)

_CAP = r"(?:(?:[A-Z]\.){2,}|[A-Z]\.(?=\s[A-Z])|[A-Z][\w'’]*(?:-[A-Za-z][\w'’]*)*|al-[A-Z][\w'’]*)"
_CONNECT = r"(?:of|for|the|de|al|bin|ibn|van|von|der|du|da|del|la|le|di|y|on|and)"
_NAME = rf"(?:(?:{TITLES})\s+)?{_CAP}(?:\s+(?:{_CONNECT}\s+)*{_CAP}|\s+al-{_CAP})*"
_DET = (
    r"(?:the|a|an|one|two|three|four|five|several|some|many|other|its|his|her|their|our|local|\d+"
    r"|(?:the\s+)?[A-Za-z]+['’]s)"
)
_MOD = (
    r"(?:(?!(?:saying|adding|telling|and|but|claim|allegation|accusation|charge|move|decision|plan|deal|step)\b)"
    r"[a-z][a-z-]*(?:['’]s)?|[A-Z][\w.'’-]*|[A-Z]{2,})"
)
_DESC = (
    rf"(?:(?i:{_DET})\s+)?(?:{_MOD}\s+){{0,3}}(?i:{SOURCE_HEADS})\b(?:'s)?(?:\s+{_CAP}(?:\s+{_CAP})*)?"
    rf"(?:\s+(?:for|of|at|in|from|with|to|on|close\s+to|familiar\s+with)\s+(?:the\s+)?(?:{_NAME}|[a-z]+(?:\s+[a-z]+)?))?"
)
_ANON = (
    r"(?:,?\s+who\s+(?:spoke|asked|declined|requested|did\s+not\s+want|was\s+not\s+authori[sz]ed|were\s+not\s+authori[sz]ed"
    r"|could\s+not\s+be|cannot\s+be|is\s+not|are\s+not|was\s+not|were\s+not)[^,.;:“”\"]{0,100}"
    r"|,\s+(?:speaking\s+on\s+condition\s+of\s+anonymity|who\s+[^,.;:“”\"]{1,90}))"
)
_APPOS = (
    r"(?:,\s+(?:a|an|the|who|one\s+of|head\s+of|chief\s+of|[a-z]+\s+of)\b[^,;:“”\"()]{1,110}?"
    r"(?:,\s+(?:which|who)\s+[^,;:“”\"]{1,80})?"
    rf"|,\s+(?:[a-z][\w-]*\s+){{0,2}}(?i:{SOURCE_HEADS})\s+(?:at|of|for|with|in)\s+[^,;:“”\"()]{{1,80}}?"
    r"|,\s+whose\s+[^,;:“”\"()]{1,80}?)"
)
_PRONOUN = r"(?:he|she|they|it|He|She|They|It|I|We|we)"

# A lower-case word that can be part of a source's description (not "a claim …").
_PLAIN = r"(?!(?:claim|allegation|accusation|charge|move|decision|plan|deal|step)\b)[a-z][\w-]*(?:['’]s|(?<=s)['’])?"
_NP = rf"(?P<np>{_DESC}|(?:[Tt]he\s+)?{_NAME}|{_PRONOUN})"
# Right before a verb of saying, "the regional utility" is a source whatever its head noun.
# "Its chief executive, Andrés Molina, told reporters": a description, then the name.
_NP_BEFORE = rf"(?P<np>{_DESC},\s+{_NAME},(?=\s+$)|{_DESC}|(?:[Tt]he\s+)?{_NAME}|{_PRONOUN}|(?i:the|a|an)\s+(?:{_PLAIN}\s+){{0,2}}{_PLAIN}(?=\s+$))"

# Subject before the verb: NP, optional anonymity clause or apposition (closed by a comma),
# optional adverb, then the verb at the end of the window.
_SUBJECT_BEFORE = re.compile(
    rf"(?<![\w’'-]){_NP_BEFORE}(?P<tail>{_ANON}|{_APPOS},)?\s+(?:(?:also|later|earlier|previously|separately|then|has|have|had|had\s+earlier|has\s+also|would|will|further|again|once|repeatedly|publicly|privately|recently|(?:last|this)\s+(?:week|month|year)|on\s+\w+day)\s+)?$"
)
_OBJECT_AFTER = re.compile(
    rf"\s+{_NP}(?P<tail>{_ANON}|,\s+(?:a|an|the|who|one\s+of|head\s+of|chief\s+of)\b(?:[^,;:!?“”\"().]|\.(?=\w)){{1,110}})?"
)
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
_INVERSION_BEFORE = re.compile(r"(?:[,”\"’]|[.?!][”\"’]|[,.?!]'')\s*$")
_INVERSION_VERB = re.compile(rf"(?:{INVERSION_VERBS})$")
# Branches grouped by their first letter: re tries the branches of an alternation one by one.
_REPORT_NOUN_BY = r"\s+(?:statement|report|study|survey|poll|analysis)\s+(?:by|from|issued\s+by|released\s+by|published\s+by)"
_ACCORDING = re.compile(
    rf"\b(?:[Aa](?:ccording\s+to|s\s+reported\s+by|{_REPORT_NOUN_BY})|[Qq]uot(?:ing|ed)|[Cc]it(?:ing|ed)"
    rf"|(?:[Tt]he|[Ii]n\s+a){_REPORT_NOUN_BY}|[Ss]ources?\s+(?:close\s+to|within|in))\b"
)

_LEAD_WORDS = frozenset(
    "In On At But And The Meanwhile However Later Earlier Also Separately Then Still Yet Now So "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Last Since After Before When While "
    "Asked Speaking Instead Moreover Furthermore Overall Elsewhere Nonetheless Nevertheless "
    "This That These Those A An Both".split()
)
_PRONOUNS = frozenset("he she they it i we".split())


# Small patterns used per source, compiled once.
_ANON_WORDS = re.compile(r"anonym|not authori[sz]ed|declined to be|asked not|did not want")
_POSSESSIVE = re.compile(r"'s$")
_FIRST_CAP_WORD = re.compile(r"([A-Z][a-z]*)[,]?\s+")


@dataclass
class Source:
    start: int
    end: int
    kind: str  # named, organisation, anonymous, pronoun
    cue_start: int  # where the attribution cue (verb, "according to") starts
    cue_end: int
    cue: str
    inverted: bool = False  # "…, said X": the source follows the cue
    score: float = 0.8
    refers_to: int | None = None  # index into the list of sources


def _kind(np: str, tail: str) -> str:
    words = np.split()
    low = np.lower()
    if low in _PRONOUNS:
        return "pronoun"
    if tail and _ANON_WORDS.search(tail):
        return "anonymous"
    first = words[0]
    if first[0].islower() or first in ("A", "An", "The", "One", "Two", "Three", "Several", "Some", "Many", "Other", "Local") or first[0].isdigit():
        last = _POSSESSIVE.sub("", words[-1].lower())
        if last in ORG_WORDS or any(w[0].isupper() for w in words[1:] if w.lower() not in ("the",)):
            # "the ministry", "the Syrian Observatory for Human Rights"
            return "organisation" if (last in ORG_WORDS or words[-1][0].isupper()) and not PLURAL_HEADS.search(last) else "anonymous"
        return "anonymous"
    last = words[-1].lower().strip(".,")
    if last in ORG_WORDS or np.isupper() or any(w.lower() in ORG_WORDS for w in words):
        return "organisation"
    if PLURAL_HEADS.search(last):
        return "anonymous"
    return "named"


def _clean_np(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop sentence-initial filler ("On Tuesday", "But") from a name match."""
    while True:
        m = _FIRST_CAP_WORD.match(text[s:e])
        if m and m.group(1) in _LEAD_WORDS and m.group(1) not in ("The", "A", "An") and s + m.end() < e:
            s += m.end()
            continue
        return s, e


class _Taken:
    """Non-overlapping spans already claimed by a source, searchable in O(log n)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_left(self.starts, e) - 1
        return i >= 0 and self.ends[i] > s

    def add(self, s: int, e: int) -> None:
        i = bisect_left(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)

    def any_before(self, pos: int) -> bool:
        return bool(self.starts) and self.starts[0] < pos


def find_sources(text: str, sentences: list[tuple[int, int]]) -> list[Source]:
    """Attributed sources in ``text``, one per attribution cue, in text order."""
    out: list[Source] = []
    # Speech reported inside a quotation ("“I told the players…”") is not an attribution.
    quotes = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    quote_starts = [q[0] for q in quotes]

    def in_quote(pos: int) -> bool:
        i = bisect_right(quote_starts, pos) - 1
        return i >= 0 and pos < quotes[i][1]

    for ss, se in sentences:
        taken = _Taken()
        for m in _ACCORDING.finditer(text, ss, se):
            om = _OBJECT_AFTER.match(text, m.end(), se)
            if not om or _REPORT_BY.match(text, om.start("np")):
                continue
            tail = _source_tail(om.group("tail"), om.group("np"))
            s, e = om.start("np"), om.end("np") + len(tail)
            src = _make(text, s, e, tail, m.start(), m.end(), True)
            if src:
                src.cue = m.group()
                out.append(src)
                taken.add(s, e)
        for m in _VERB.finditer(text, ss, se):
            vs, ve = m.start(), m.end()
            if taken.overlaps(vs, vs + 1) or in_quote(vs) or _BYLINE_AFTER.match(text, ve, se):
                continue
            src = None
            before = _clause_before(text, max(ss, vs - 160), vs)
            second = m.group() not in _INVERSION_ONLY and _SECOND_VERB.search(text, max(ss, vs - 40), vs)
            if second:
                # "The alliance released a statement … and said …": the sentence's subject.
                bm, src = None, _sentence_subject(text, ss, vs, ve)
            elif m.group() in _INVERSION_ONLY:
                bm = None
            else:
                bm, before = _subject_before(before) if _may_end_subject(before) else (None, before)
            if (
                src is None
                and not (bm and bm.group("tail"))
                and _INVERSION_VERB.match(m.group())
                and _INVERSION_BEFORE.search(text, max(ss, vs - 4), vs)
            ):
                src = _inverted_source(text, vs, ve, se)
            if src is None and bm:
                off = vs - len(before)
                s = off + bm.start("np")
                e = off + (bm.end("tail") if bm.group("tail") else bm.end("np"))
                while e > s and text[e - 1] in ", ":
                    e -= 1
                src = _make(text, s, e, bm.group("tail") or "", vs, ve, False)
            if src is None and second:
                continue
            if src is None and _INVERSION_VERB.match(m.group()) and _INVERSION_BEFORE.search(text, max(ss, vs - 4), vs):
                src = _plain_phrase_after(text, vs, ve, se)
            if src is None and m.group() not in _INVERSION_ONLY:
                src = _plain_subject(text, ss, vs, ve)
            if src is None:
                continue
            if taken.overlaps(src.start, src.end):
                continue
            src.cue = m.group()
            out.append(src)
            taken.add(src.start, src.end)
        for m in _PARTICIPLE.finditer(text, ss, se):
            # "Environmental groups called the target too weak, saying …"
            if in_quote(m.start()) or taken.any_before(m.start()):
                continue  # an attribution earlier in the sentence already names the speaker
            src = _sentence_subject(text, ss, m.start(), m.end())
            if src is not None and not taken.overlaps(src.start, src.end):
                src.cue = m.group().strip(", ")
                out.append(src)
                taken.add(src.start, src.end)
    out.sort(key=lambda s: s.start)
    _link_pronouns(text, out)
    return out


_SOURCE_WORD = re.compile(rf"\b(?:(?i:{SOURCE_HEADS})|{TITLES})\b|anonym")


def _source_tail(tail: str | None, np: str = "") -> str:
    """Keep an apposition after a source when it describes the source: after a name
    ("Grace Wanjiru, a market trader"), a relative clause ("…, who heads …"), or one
    that names a source ("a spokesman for …"); not "the curfew was extended"."""
    if not tail:
        return ""
    named = np[:1].isupper() and np.split()[0] not in ("The", "A", "An", "In", "On")
    if named or _WHO_TAIL.match(tail) or _SOURCE_WORD.search(tail):
        return tail
    return ""


_WHO_TAIL = re.compile(r",?\s+who(?:se)?\s")


# A subject never reaches back across these; cutting the window there keeps the search short.
_CLAUSE_BREAK = re.compile(r"[”\"“;:()]|\b(?:that|which|because|but|while|when|after|before|if)\s")
_ADVERBS = frozenset(
    "also later earlier previously separately then has have had would will further again once "
    "repeatedly publicly privately recently week".split()
)
_HEAD_WORD = re.compile(rf"(?i:{SOURCE_HEADS})(?:'s)?")


def _clause_before(text: str, start: int, verb: int) -> str:
    """The text between the last clause break (within ``start:verb``) and the verb."""
    window = text[start:verb]
    last = None
    for last in _CLAUSE_BREAK.finditer(window):
        pass
    if last is not None:
        window = window[last.end() :]
    # An apposition has at most two commas; anything before the third-last is another clause.
    parts = window.rsplit(",", 3)
    return ",".join(parts[1:]) if len(parts) == 4 else window


def _subject_before(before: str) -> tuple[re.Match[str] | None, str]:
    """The subject at the end of ``before`` and the string it was found in (a suffix).

    A plain subject ("the ministry", "Prime Minister Keir Starmer") sits in the last few
    words: search those first and the whole clause only when the subject may reach further.
    """
    if len(before) > 60 and not before.rstrip().endswith(",") and " who " not in before:
        short = before[-60:]
        bm = _SUBJECT_BEFORE.search(short)
        if bm and bm.start() > 0:
            return bm, short
    return _SUBJECT_BEFORE.search(before), before


_DET_NEAR_END = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+(?:\S+\s+){0,3}\S+\s*$")


def _may_end_subject(before: str) -> bool:
    """Cheap test that a subject can end right before the verb (most verb matches fail it)."""
    stripped = before.rstrip()
    if not stripped:
        return False
    if stripped.endswith(","):
        return True  # an apposition or anonymity clause closes before the verb
    word = stripped[stripped.rfind(" ") + 1 :]
    if not word:
        return False
    return (
        word[0].isupper()
        or word.lower() in _PRONOUNS
        or word.lower() in _ADVERBS
        or bool(_HEAD_WORD.fullmatch(word))
        or bool(_HEAD_WORD.search(before, max(0, len(before) - 50)))
        or " who " in before
        or bool(_DET_NEAR_END.search(before, max(0, len(before) - 48)))
    )


# '' … '' is the quotation mark of some American papers' plain-text archives.
_QUOTED = re.compile(r"“[^”\n]{1,2000}”|\"[^\"\n]{1,2000}\"|«[^»\n]{1,2000}»|''(?!\s)[^\n]{1,2000}?''")
_REPORT_BY = re.compile(r"(?i:a|the)\s+(?:statement|report|study|survey|poll|analysis)\s+(?:by|from|issued|released|published)\b")
# Verbs that name a speaker only in inversions ("…,” asked Ms Obi); "X asked donors for" is no attribution.
_INVERSION_ONLY = frozenset({"asked"})
# "Anna Petrova reported from Kyiv": a reporter's credit line, not an attribution.
_BYLINE_AFTER = re.compile(r"\s+(?:from|in)\s+[A-Z][\w’'-]+(?:,?\s+[A-Z][\w’'-]+)*\.?\s*$")
_SECOND_VERB = re.compile(r"\b(?:and|but)\s+(?:also\s+|later\s+)?$")
_PARTICIPLE = re.compile(r",\s+(?:saying|adding|warning|arguing|claiming|insisting|noting|stressing|calling|citing|explaining|suggesting|telling|referring|pointing|arguing|asking|accusing|criticizing|describing|promising)\b")
_SENTENCE_SUBJECT = re.compile(rf"(?:{DATELINE})?{_NP}(?P<tail>{_APPOS},)?\s+[a-z]")


def _sentence_subject(text: str, ss: int, cs: int, ce: int) -> Source | None:
    """The subject at the start of the sentence ``ss``, for a cue at ``cs:ce`` later on."""
    m = _SENTENCE_SUBJECT.match(text, ss, cs)
    if not m:
        return None
    tail = _source_tail(m.group("tail"), m.group("np"))
    s, e = m.start("np"), m.end("np") + len(tail)
    if tail:
        e = m.end("np") + len(tail)
    src = _make(text, s, e, tail, cs, ce, False)
    if src is None or src.kind == "pronoun" and text[s:e].lower() in ("it", "i", "we"):
        return None
    return src


# Where a subject found by walking back from its verb begins: the start of the sentence, a
# quotation mark, a dash, or a word that opens a clause.
_SUBJECT_START = re.compile(
    r"(?:^|[;:“”\"\[—–]|''|\s-\s|,\s+(?:and|but|while|as|so)\s|\b(?:that|and|but|because|while|when|after|before|if|as|since|although|though|whether|where|so)\s)\s*",
)
# Comma-separated parts before the verb that describe the subject rather than name it.
_MODIFIER_PART = re.compile(
    r"(?:\d|(?:a|an|who|whose|which|in|on|at|speaking|asked|noting|citing|clearly|another|one|both|like|for|with|from|during|after|by|also)\b|[a-z]+ly\b)"
)
_NOT_SUBJECT_START = re.compile(
    r"(?i:(?:to|of|in|on|at|for|with|from|by|it|there|this|these|those|what|how|why|if|is|are|was|were|has|have|had|not|no|yes|so|then|just|when|where|than|more|most|all|as)\b)"
)
_TRAILING_AUX = re.compile(
    r"(?:\s+(?:has|have|had|also|would|will|could|should|might|may|must|can|did|does|do|often|repeatedly|publicly|privately|later|earlier|then|again|never|always|once|previously|recently|already|further|not|wouldn[’']t|didn[’']t|doesn[’']t|don[’']t|won[’']t|can[’']t|isn[’']t|was|were|is|are|to|going|went|on|long|first|initially|reportedly|only|just|still|even|herself|himself|themselves|itself))+$",
    re.IGNORECASE,
)


def _plain_subject(text: str, ss: int, vs: int, ve: int) -> Source | None:
    """The phrase between a clause's start and its verb, when the phrase patterns found none.

    "Sixty-six percent said", "Other Republican candidates said", "Rep. Gregory Meeks (D-N.Y.)
    said", "Mr. Regalado, 69, said": the subject is the last comma-separated part before the
    verb that is not a description (an age, "a Navy veteran", "in a brief interview")."""
    start = max(ss, vs - 200)
    last = None
    for last in _SUBJECT_START.finditer(text, start, vs):
        pass
    if last is not None and last.end() <= vs:
        start = last.end()
    window = text[start:vs]
    # Parenthesised party and state ("(D-N.Y.)") belong to a name; commas split the rest.
    parts = re.split(r",\s*", window.rstrip(", "))
    k = len(parts) - 1
    while k > 0 and (not parts[k] or _MODIFIER_PART.match(parts[k])):
        k -= 1
    part = parts[k].strip()
    if not part:
        return None
    off = start + sum(len(p) for p in parts[:k]) + window[sum(len(p) for p in parts[:k]):].find(part)
    tm = _TRAILING_AUX.search(part)
    if tm:
        part = part[: tm.start()]
    words = part.split()
    if not words or len(words) > 10 or _NOT_SUBJECT_START.match(part) or not re.match(r"[\w‘’'$]", part):
        return None
    if re.search(r"[“”\"]|\b(?:is|are|was|were|be|been)\b", part):
        return None
    first, last_word = words[0], words[-1]
    if last_word.lower() in _FUNCTION_WORDS or last_word.endswith("-"):
        return None
    if text[vs:ve] in _NOUN_LIKE_VERBS and not (last_word[0].isupper() or last_word.lower() in _PRONOUNS):
        return None  # "in 11 states", "the calls": a noun, not a verb
    if not (first[0].isupper() or first[0].isdigit() or first.lower() in _PLAIN_DETERMINERS or (len(words) <= 2 and last_word.endswith("s"))):
        return None
    return _make(text, off, off + len(part), "", vs, ve, False)


_FUNCTION_WORDS = frozenset(
    "the a an and or of to in on at for with from by as than that this these those his her their its our "
    "my your early late new more most less very".split()
)
_PLAIN_DETERMINERS = frozenset(
    "the a an some many most other others several few all both each every no one two three four five "
    "critics supporters opponents voters officials experts analysts aides advisers democrats republicans "
    "those his her their its our half".split()
)
# Speech verbs that are nouns as often ("in 11 states"): a plain subject only before a name or pronoun.
_NOUN_LIKE_VERBS = frozenset(
    "states reports notes claims calls shows questions supports cites backs fears hopes finds seems "
    "appears expected continued called thought wants".split()
)


def _plain_phrase_after(text: str, vs: int, ve: int, se: int) -> Source | None:
    """"…,” said a Nevada Democrat." / "said retired neurosurgeon Ben Carson": the phrase up to
    the next comma or full stop, after an inverted speech verb."""
    m = re.compile(r"\s+([^,.;:!?“”\"()]{2,80}?)(?=\s*(?:[,;:!?“”\"(]|\.(?:\s|$)|''|$))").match(text, ve, se)
    if not m or len(m.group(1).split()) > 10:
        return None
    return _make(text, m.start(1), m.end(1), "", vs, ve, True)


def _inverted_source(text: str, vs: int, ve: int, se: int) -> Source | None:
    """The speaker after an inverted cue: "…," said Mervan Qamishlo, a spokesman …"""
    om = _OBJECT_AFTER.match(text, ve, se)
    if not om:
        return None
    np = om.group("np")
    # "said the attack…" is reported speech, not an inversion, unless the phrase is a source head.
    if np.split()[0].lower() in ("the", "a", "an", "that", "it", "this", "there") and not re.search(
        rf"(?i:{SOURCE_HEADS})\b", np
    ):
        return None
    s = om.start("np")
    tail = _source_tail(om.group("tail"), np)
    e = om.end("np") + len(tail)
    return _make(text, s, e, tail, vs, ve, True)


def _make(text: str, s: int, e: int, tail: str, cs: int, ce: int, inverted: bool) -> Source | None:
    s, e = _clean_np(text, s, e)
    np = text[s:e]
    head = np[: len(np) - len(tail)] if tail and np.endswith(tail.rstrip(", ")) else np
    head_words = head.split()
    if not head_words:
        return None
    first = head_words[0]
    # A lone capitalised sentence opener ("Then said") or a bare determiner is no source.
    if len(head_words) == 1 and (first in _LEAD_WORDS or first.lower() in ("the", "a", "an", "this", "that")):
        return None
    kind = _kind(head.strip(" ,"), tail)
    score = {"named": 0.85, "organisation": 0.8, "anonymous": 0.75, "pronoun": 0.6}[kind]
    if kind == "pronoun" and first.lower() in ("i", "we"):
        score = 0.5
    return Source(start=s, end=e, kind=kind, cue_start=cs, cue_end=ce, cue="", inverted=inverted, score=score)


def _link_pronouns(text: str, sources: list[Source]) -> None:
    """Point each pronoun source to the nearest earlier source it can stand for."""
    for i, src in enumerate(sources):
        if src.kind != "pronoun":
            continue
        p = text[src.start : src.end].lower()
        for j in range(i - 1, -1, -1):
            other = sources[j]
            if src.start - other.end > 1500:
                break
            if other.kind == "pronoun":
                if other.refers_to is not None and text[other.start : other.end].lower() == p:
                    src.refers_to = other.refers_to
                    break
                continue
            if p in ("he", "she", "i") and other.kind == "named":
                src.refers_to = j
                break
            if p == "it" and other.kind == "organisation":
                src.refers_to = j
                break
            if p in ("they", "we") and other.kind in ("organisation", "anonymous"):
                src.refers_to = j
                break
