"""Page furniture in article text: line rules and repetition across an outlet.

The rules match whole lines only, and only lines that are prompts, labels or
credits; a line that reads like a sentence of the article (it ends with a full
stop and is long) is never matched by the broad rules. Removed lines are
returned so that nothing is silently lost.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

_I = re.IGNORECASE

# "Read more" and "related" labels of German, French, Spanish, Italian,
# Portuguese and Polish news sites.
_READ_MORE_WORLD = (
    r"(?:à|a)\s+lire\s+aussi|lire\s+aussi|voir\s+aussi|sur\s+le\s+même\s+sujet|(?:audios\s+et\s+)?vidéos\s+sur\s+le\s+sujet"
    r"|(?:plus\s+d')?articles?\s+sur\s+le\s+(?:même\s+)?sujet|lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema(?:\s+auf\s+\S+)?"
    r"|weitere\s+(?:artikel|beiträge|meldungen)(?:\s+zum\s+thema)?|auch\s+interessant|das\s+könnte\s+sie\s+(?:auch\s+)?interessieren"
    r"|kommentierte\s+artikel|meistgelesen(?:e\s+artikel)?|leer\s+más|lee\s+(?:más|también)|mira|te\s+puede\s+interesar|noticias\s+relacionadas"
    r"|leggi\s+anche|leia\s+(?:mais|também)|czytaj\s+(?:też|także|również|więcej)|zobacz\s+(?:też|także|również)"
)

# Lines that are furniture whatever their surroundings (matched on the stripped line).
_EXACT = re.compile(
    r"""^(?:
        advertisements?|advertisement\s*[-–—:|]?\s*scroll\s+to\s+continue(?:\s+with\s+content)?
        |anzeige|werbung|publicité|publicidad|pubblicità|reklama|advertentie
        |teilen|drucken|partager|imprimer|compartir|imprimir|condividi|stampa|udostępnij|drukuj
        |ad|ads|sponsored(?:\s+content)?|promoted(?:\s+content)?|paid\s+content|skip\s+advertisement
        |(?:story|article|text|content)\s+continues\s+(?:below|after)(?:\s+(?:this\s+)?(?:advertisement|ad|video))?
        |continue\s+reading(?:\s+(?:below|the\s+main\s+story|the\s+story))?|scroll\s+to\s+continue(?:\s+with\s+content)?
        |(?:share|tweet|email|e-mail|print|save|copy\s+link|link\s+copied|comments?|reddit|pinterest
           |facebook|twitter|x|whatsapp|linkedin|telegram|flipboard|messenger|threads|bluesky|mail|gift\s+(?:this\s+)?article)
        |share\s+(?:this|the)\s+(?:article|story|page|post|on|with|via)\b.*
        |share\s+(?:on|via|to)\s+\w+.*|share(?:\s+this)?\s*:?
        |print(?:\s+(?:this\s+)?(?:article|page|story))?|email\s+(?:this\s+)?(?:article|story|page)
        |(?:show|view|read|load|hide)\s+(?:\d+\s+)?comments?(?:\s*\(\d+\))?|leave\s+a\s+comment|join\s+the\s+(?:conversation|discussion)
        |\d+\s+comments?|comments?\s*\(\d+\)
        |listen(?:\s+to\s+(?:this\s+)?(?:article|story))?(?:\s*[·•|]?\s*\d+\s*min(?:utes?)?)?
        |\d+\s*(?:min|minute)s?\s+read|reading\s+time\s*:?\s*\d+\s*(?:min|minutes?)
        |save\s+(?:this\s+)?(?:article|story|for\s+later)|saved|add\s+to\s+(?:saved|reading\s+list)
        |(?:sign\s+in|log\s+in|login|sign\s+up|register|subscribe|subscribe\s+now|subscribe\s+today|create\s+(?:a\s+)?(?:free\s+)?account)
        |already\s+(?:a\s+)?(?:subscriber|registered|have\s+an\s+account)\??.*
        |skip\s+to\s+(?:main\s+)?(?:content|navigation|article)|back\s+to\s+top|go\s+to\s+top|menu|search|close|open\s+menu
        |(?:related|related\s+(?:articles?|stories|content|coverage|topics|news|links|reading)|read\s+more|more\s+on\s+this\s+(?:story|topic)
           |recommended(?:\s+(?:for\s+you|stories|articles|reading))?|most\s+(?:read|popular|viewed|shared)|trending(?:\s+now)?|top\s+stories
           |you\s+(?:may|might)\s+also\s+(?:like|be\s+interested\s+in)|see\s+also|also\s+read|more\s+stories|latest\s+news|editor'?s\s+picks?)\s*:?
        |(?:enlarge\s+this\s+image|toggle\s+caption|hide\s+caption|show\s+caption|expand|open\s+image\s+in\s+gallery|image\s+\d+\s+of\s+\d+|\d+\s*/\s*\d+)
        |(?:play|watch)\s+video|video\s+duration\s*:?\s*[\d:]+|[\d]{1,2}:\d\d
        |getty\s+images|shutterstock|afp|reuters|ap|ap\s+photo|pa\s+media|epa|alamy
        |loading\.*|please\s+wait\.*|download\s+(?:the|our)\s+app|open\s+in\s+app|get\s+the\s+app
        |(?:all\s+rights\s+reserved\.?)|(?:terms\s+(?:of\s+(?:use|service)|&\s+conditions)|privacy\s+(?:policy|notice)|cookie\s+(?:policy|settings|preferences))(?:\s*[|·•]\s*.+)?
        |(?:accept|reject|allow|manage)\s+(?:all\s+)?cookies|our\s+standards\s*:.*trust\s+principles\.?
    )$""",
    _I | re.VERBOSE,
)

# Lines that start like a label or a credit ("Read more: …", "Photo: …"):
# furniture unless the line reads like a long sentence of the article.
_LABEL = re.compile(
    r"""^(?:
        (?:read\s+more|related|see\s+also|also\s+read|more|recommended|watch|listen|read|latest|more\s+on|video|en\s+vidéo|"""
        + _READ_MORE_WORLD
        + r""")\s*(?:[:|»›>–—-])\s*\S.*
        |(?:tags?|tagged|topics?|filed\s+under|categories)\s*:.{0,200}
        |(?:click|tap)\s+here\s+to\b.{0,150}
        |follow\s+(?:us|@?\w+)\s+on\s+(?:twitter|facebook|instagram|x|linkedin|tiktok|threads|bluesky).{0,80}
    )$""",
    _I | re.VERBOSE,
)

# Credits and prompts: furniture whatever their punctuation (up to 300 characters).
_PROMPT = re.compile(
    r"""^(?:
        (?:photo|photos|photograph|image|images|picture|pictures|credit|illustration|video|foto|fotos|bild)(?:\s+credit)?\s*[:|]\s*\S.{0,120}
        |\((?:photo|photograph|image|picture|credit|illustration|ap\s+photo|reuters|afp|getty)[^)]{0,150}\)
        |image\s+(?:caption|source|copyright)\b.*
        |copyright\s*(?:©|\(c\)|\d{4}).{0,120}|©.{0,120}
        |(?:published|updated|last\s+updated|posted|veröffentlicht|aktualisiert|publié|mis\s+à\s+jour)(?:\s+on|\s+le|\s+am)?\s*:?\s*[\w ,.:/-]{0,40}?(?:\d{4}|\d{1,2}[:.h]\d\d(?:\s*[ap]\.?m\.?)?)(?:\s+[A-Z]{2,5})?
        |.{0,150}\bcontributed\s+(?:to\s+)?(?:this\s+)?(?:report|reporting|story|article)\.?
        |(?:we|this\s+(?:site|website))\s+uses?\s+cookies\b.*
        |by\s+(?:continuing\s+to\s+(?:use|browse)|using)\s+(?:this|our)\s+(?:site|website)\b.*
        |(?:sign\s+up|subscribe|register|log\s+in|sign\s+in)\s+(?:for|to|now|today|here|and|or|free|with)\b.{0,200}
        |(?:already\s+a\s+subscriber|not\s+a\s+subscriber|become\s+a\s+(?:subscriber|member)|support\s+(?:our|independent)\s+journalism).{0,200}
        |(?:this\s+(?:article|content|story)\s+is\s+(?:for|only\s+available\s+to)\s+(?:subscribers|members)).{0,120}
        |(?:you\s+have\s+(?:\d+|one|two|three)\s+free\s+articles?|you've\s+read\s+(?:\d+|all)).{0,150}
        |(?:get|receive)\s+(?:our|the|a)\s+(?:free\s+)?(?:daily\s+|weekly\s+|morning\s+|evening\s+)?(?:\w+\s+){0,3}newsletter.{0,200}
        |(?:enter\s+your\s+email|thanks?\s+(?:you\s+)?for\s+(?:signing\s+up|subscribing)|by\s+signing\s+up|by\s+clicking\s+(?:sign\s+up|subscribe)).{0,250}
        |(?:want\s+(?:more|the\s+latest)|don't\s+miss|never\s+miss).{0,120}(?:newsletter|inbox|sign\s+up|subscribe).{0,120}
        |(?:privacy\s+notice\s*:\s*newsletters?).*
        |we\s+want\s+to\s+hear\s+what\s+you\s+think\b.{0,250}|submit\s+a\s+letter\s+to\s+the\s+editor\b.{0,200}
    )$""",
    _I | re.VERBOSE,
)

# Lines that end with a picture credit ("… Photograph: Jane Doe/Reuters").
_CREDIT_SUFFIX = re.compile(
    r"(?:photograph|photo|image|picture|credit|illustration)\s*:\s*[^.:]{1,80}$"
    r"|(?:/|\bvia\s+)(?:getty\s+images|afp|reuters|ap|shutterstock|alamy|pa(?:\s+media)?|epa|bloomberg)\)?\s*$"
    r"|\b(?:getty\s+images|shutterstock)\s*\)?\s*$",
    _I,
)

# A caption that ends with its credit in capitals: "… in Las Croabas. By U.S. CUSTOMS AND BORDER PROTECTION".
_CAPS_CREDIT = re.compile(r"[.!?]\s+(?:By|Photo by|Foto:|Credit:)\s+[A-Z][A-Z.&'’\- ]{3,80}$")

# A "Read more:" style heading whose following short lines are a list of links.
_LINK_LIST_HEAD = re.compile(
    r"^(?:read\s+more|related(?:\s+(?:articles?|stories|coverage|content|links|topics))?|see\s+also|also\s+read|more\s+on\s+this\s+(?:story|topic)"
    r"|more\s+from\s+.{1,40}|recommended(?:\s+reading)?|you\s+(?:may|might)\s+also\s+like|most\s+(?:read|popular|viewed)"
    r"|" + _READ_MORE_WORLD + r")\s*:?$",
    _I,
)
_BULLET = re.compile(r"^\s*(?:[-*•·▪►▸›»]|\d+[.)])\s+\S")

_FULL_STOP = re.compile(r"\.[\"'”’»)]*$")


def _sentence_like(line: str) -> bool:
    """Long lines that end with a full stop are article text, not furniture
    (headlines in link lists end without one, or with a question mark)."""
    return len(line) > 80 and bool(_FULL_STOP.search(line))


_CREDIT_HINTS = ("getty", "shutterstock", "via ", " by ", "foto:")


def _may_end_with_credit(s: str) -> bool:
    # A cheap test before the credit searches, which are slow on long lines.
    if ":" in s or "/" in s:
        return True
    low = s.lower()
    return any(hint in low for hint in _CREDIT_HINTS)


# Icon names that copied page text carries ("See our offers ChevronRight").
_ICON_NAME = re.compile(
    r"\b(?:Chevron|Arrow|Caret|Icon|Close|Play|Share|Lock|Unlock|Menu|Search)(?:Right|Left|Up|Down|Forward|Back|Icon|Filled|Outline|Small|Large)+\b"
    r"|\b(?:ic|icon)_[a-z_]+\b"
)
# Sentences glued by a page's missing space ("Unlock every story.See our offers").
_GLUED = re.compile(r"(?<=[a-z][.!?])(?=[A-Z])")
_PIECES = re.compile(r"(?<=[.!?])\s+|\s*[|·•]\s*")
# One sentence of a subscription or paywall prompt.
_PAYWALL = re.compile(
    r"""^(?:
        (?:unlock|get|enjoy|start|gain|read)\s+(?:(?:every|all|unlimited|full|more|our|your|free|digital|premium)\s+){1,3}(?:stor(?:y|ies)|access|articles?|journalism|content|reading|trial|subscription)\b.{0,80}
        |see\s+(?:our|all|the)\s+(?:\w+\s+)?(?:offers?|plans?|subscription\s+options|deals?)
        |(?:subscribe|join|sign\s+up|register)(?:\s+(?:now|today|here|free|for\s+free))?(?:\s+(?:for|from|to\s+\w+)\b.{0,60})?
        |(?:already\s+(?:a\s+)?(?:subscriber|member|registered)|not\s+a\s+subscriber(?:\s+yet)?|have\s+an\s+account)\s*\??
        |(?:sign|log)\s+in(?:\s+(?:here|now|to\s+continue(?:\s+reading)?))?|continue\s+reading\s+with\s+.{1,60}
        |(?:cancel\s+any\s*time|limited[-\s]time\s+offer|special\s+offer|best\s+value|no\s+commitment)
        |(?:only|just|for)\s+[$€£]\s?\d[\d.,]*(?:\s*(?:a|per|/)\s*(?:week|month|year|wk|mo|yr))?.{0,40}
        |[$€£]\s?\d[\d.,]*\s*(?:a|per|/)\s*(?:week|month|year|wk|mo|yr)\b.{0,40}
        |(?:this\s+(?:story|article|content)\s+is\s+(?:for|exclusive\s+to|available\s+to)\s+(?:subscribers|members)).{0,60}
        |(?:you(?:'ve|\s+have)\s+(?:reached|used)\s+(?:your|all)\s+.{0,40}(?:free\s+)?(?:articles?|stories|limit)).{0,60}
        |(?:support|fund)\s+(?:quality|independent|our)\s+(?:\w+\s+)?journalism.{0,60}
    )[.!?]?$""",
    _I | re.VERBOSE,
)


def _paywall_prompt(s: str) -> bool:
    """A line made only of subscription prompts, even glued together or with icon names."""
    low = s.lower()
    if not any(w in low for w in ("subscri", "sign in", "log in", "unlock", "offer", "access", "trial", "member", "journalism", "$", "€", "£", "register", "sign up", "free article")):
        return False
    s = _ICON_NAME.sub(" ", s)
    s = _GLUED.sub(" ", s)
    pieces = [p.strip() for p in _PIECES.split(s) if p.strip()]
    return bool(pieces) and all(_PAYWALL.match(p) for p in pieces)


def is_furniture(line: str) -> bool:
    """True if the single ``line`` is page furniture by the built-in rules."""
    s = " ".join(line.split())
    if not s:
        return False
    if _EXACT.match(s):
        return True
    if len(s) <= 300 and _paywall_prompt(s):
        return True
    if len(s) > 300:
        return False
    if _PROMPT.match(s):
        return True
    if _LABEL.match(s):
        # A long sentence that merely starts with "Read" or "More:" is kept.
        return not _sentence_like(s)
    if len(s) <= 250 and _may_end_with_credit(s) and (_CREDIT_SUFFIX.search(s) or _CAPS_CREDIT.search(s)):
        return True
    return False


MAX_LINK_LIST = 12


def _link_list_end(lines: list[str], j: int, found: list[int]) -> int:
    """Collect the links after a "Read more"-style heading; return where they end.

    A bulleted list ends at its first line that is not a bullet. Without
    bullets, the links are short headline-like lines (no full stop at the end),
    possibly separated by blank lines, and the first sentence ends them.
    """
    while j < len(lines) and not lines[j].strip():
        j += 1
    bulleted = j < len(lines) and bool(_BULLET.match(lines[j].strip()))
    taken = 0
    while j < len(lines) and taken < MAX_LINK_LIST:
        t = lines[j].strip()
        if not t:
            if bulleted:
                break
            j += 1
            continue
        # Headlines end without a full stop (questions are common headlines).
        headline = len(t) <= 120 and not _FULL_STOP.search(t)
        if (_BULLET.match(t) if bulleted else headline) or is_furniture(t):
            found.append(j)
            taken += 1
            j += 1
        else:
            break
    return j


_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’»)]*$")
_HEADLINE_END = re.compile(r"[.!?:;,\"'”’»)\]-]$")
_STARTS_PARAGRAPH = re.compile(r"[\"“‘'«(]?[A-Z0-9]")


def _neighbour(lines: list[str], i: int, step: int) -> str:
    i += step
    while 0 <= i < len(lines) and not lines[i].strip():
        i += step
    return lines[i].strip() if 0 <= i < len(lines) else ""


def _stray_headline(lines: list[str], i: int) -> bool:
    """A headline of another article dropped between two paragraphs: a line of 5 to 16
    words without final punctuation, after a paragraph that ended its sentence and before
    one that starts a new sentence, so that it continues neither. Shorter lines are left
    alone: they are the article's own subheadings."""
    s = " ".join(lines[i].split())
    n = s.count(" ") + 1
    if not 5 <= n <= 16 or len(s) > 140 or _HEADLINE_END.search(s) or not s[0].isupper():
        return False
    before, after = _neighbour(lines, i, -1), _neighbour(lines, i, 1)
    return (
        len(before) > 60 and bool(_ENDS_SENTENCE.search(before))
        and len(after) > 60 and bool(_STARTS_PARAGRAPH.match(after)) and bool(_ENDS_SENTENCE.search(after))
        # A subheading announces the paragraph after it and shares its words; a link does not.
        and not _stems(s) & _stems(after)
    )


_LONG_WORD = re.compile(r"\w{4,}")


def _stems(s: str) -> set[str]:
    return {w[:5] for w in _LONG_WORD.findall(s.lower())}


def find_boilerplate(text: str) -> list[int]:
    """Indices (into ``text.split("\\n")``) of the lines the rules remove."""
    lines = text.split("\n")
    found: list[int] = []
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if s and _LINK_LIST_HEAD.match(" ".join(s.split())):
            found.append(i)
            j = _link_list_end(lines, i + 1, found)
            i = j
            continue
        if is_furniture(s) or (s and _stray_headline(lines, i)):
            found.append(i)
        i += 1
    return found


def drop_lines(text: str, indices: Iterable[int]) -> tuple[str, list[str]]:
    """Remove the lines at ``indices``; return ``(new_text, removed_lines)``.

    Blank lines left doubled by a removal are collapsed and the text is
    stripped of leading and trailing blank lines.
    """
    drop = set(indices)
    lines = text.split("\n")
    removed = [lines[i].strip() for i in sorted(drop) if 0 <= i < len(lines)]
    kept = [line for i, line in enumerate(lines) if i not in drop]
    return tidy_lines(kept), removed


def tidy_lines(lines: Sequence[str]) -> str:
    """Join lines, trimming trailing spaces, with at most one blank line in a row."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def strip_boilerplate(text: str) -> tuple[str, list[str]]:
    """Apply the line rules to ``text``; return ``(clean_text, removed_lines)``."""
    return drop_lines(text, find_boilerplate(text))


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


MAX_FURNITURE_CHARS = 300
# Two texts sharing more than this share of their lines are versions of one
# story (an update, a re-save), not two articles: their common lines are news.
NEAR_DUPLICATE_SHARE = 0.5


def _line_keys(text: str) -> tuple[set[str], dict[str, str]]:
    keys: set[str] = set()
    shown: dict[str, str] = {}
    for line in text.split("\n"):
        s = " ".join(line.split())
        if s and len(s) <= MAX_FURNITURE_CHARS:
            k = s.casefold()
            keys.add(k)
            shown.setdefault(k, s)
    return keys, shown


def _near_duplicates(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) > NEAR_DUPLICATE_SHARE * min(len(a), len(b))


class FurnitureIndex:
    """Line counts over one outlet's distinct articles, updated one article at a time.

    Near-duplicate texts (versions of the same story) count once, and a text
    is never judged against its own earlier versions.
    """

    def __init__(self, texts: Iterable[str] = (), *, min_share: float = 0.3, min_count: int = 3):
        self.min_share = min_share
        self.min_count = min_count
        self._sets: list[set[str]] = []
        self._counts: Counter[str] = Counter()
        for text in texts:
            self.add(text)

    def __len__(self) -> int:
        return len(self._sets)

    def add(self, text: str) -> None:
        """Count ``text`` as one more article (unless it is a version of one already counted)."""
        keys, _ = _line_keys(text)
        if not keys or any(_near_duplicates(keys, other) for other in self._sets):
            return
        self._sets.append(keys)
        self._counts.update(keys)

    def furniture_in(self, text: str) -> set[str]:
        """The lines of ``text`` (stripped, spaces collapsed) that are this outlet's furniture."""
        keys, shown = _line_keys(text)
        versions = [other for other in self._sets if _near_duplicates(keys, other)]
        n = len(self._sets) - len(versions) + 1  # the text itself is one more article
        found = set()
        for k in keys:
            count = self._counts[k] - sum(1 for v in versions if k in v) + 1
            if count >= self.min_count and count / n >= self.min_share:
                found.add(shown[k])
        return found

    def furniture(self) -> set[str]:
        """Every line that is furniture across the counted articles."""
        n = len(self._sets)
        return {k for k, c in self._counts.items() if n and c >= self.min_count and c / n >= self.min_share}


def furniture_lines(outlet_texts: list[str], min_share: float = 0.3, min_count: int = 3) -> set[str]:
    """Lines that recur in many articles of one outlet: that outlet's furniture.

    A line counts once per article, and versions of one story (texts sharing
    more than half their lines) count as one article. A line is furniture when
    it appears in at least ``min_count`` articles and in at least ``min_share``
    of them. Returned lines are stripped, with inner whitespace collapsed;
    :func:`remove_furniture` removes them from a text. Lines over 300
    characters are never returned: a paragraph that recurs is a quoted
    statement, not furniture.
    """
    index = FurnitureIndex(outlet_texts, min_share=min_share, min_count=min_count)
    shown: dict[str, str] = {}
    for text in outlet_texts:
        for k, s in _line_keys(text)[1].items():
            shown.setdefault(k, s)
    return {shown[k] for k in index.furniture()}


def remove_furniture(text: str, furniture: Iterable[str]) -> tuple[str, list[str]]:
    """Drop the lines of ``text`` equal (ignoring case and spacing) to a furniture line."""
    keys = {_key(f) for f in furniture}
    if not keys:
        return text, []
    indices = [i for i, line in enumerate(text.split("\n")) if line.strip() and _key(line) in keys]
    return drop_lines(text, indices)
