"""Calendar expressions: dates, clock times, named periods and frequencies.

The figure suggester proposes them as figures of ``kind`` "date" with a low
score: a date quantifies something only in context ("the ceasefire held until
June"), so the analyst decides, and can hide the kind altogether. Each match
starts at a word the figure scan already stops at (a digit, a month, a weekday,
"today", "next" …) and is tried with one anchored pattern, so the cost stays
linear in the text.

Normalised values: ISO 8601 where the text determines it ("2021-03-07",
"2021-03", "--03-07" without a year, "1960s", "18:30"), the day's name for a
weekday, otherwise the expression in lower case with single spaces ("last
month"). Two dates joined by "to", "through", "-" or "between … and" are one
range, "A..B".
"""

from __future__ import annotations

import re

from annotator.suggest.patterns import word_alternation

MONTH_NUMBERS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_FULL_MONTHS = frozenset(w for w in MONTH_NUMBERS if len(w) > 4 or w in ("may", "june", "july"))
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBREV = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6,
}
_ORDINAL_WORDS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth"
        " fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
    )
}
_ORDINAL_WORDS.update({f"twenty-{w}": 20 + n for w, n in list(_ORDINAL_WORDS.items())[:9]})
_ORDINAL_WORDS.update({"thirtieth": 30, "thirty-first": 31})

PERIODS = (
    "week|weekend|month|year|quarter|decade|century|season|spring|summer|autumn|fall|winter"
    "|morning|afternoon|evening|night"
)
_RELATIVE = "this|next|last|coming|past|previous|following"
_QUARTER_ORDINAL = "first|second|third|fourth|final"
_PART_OF_DAY = r"(?:morning|afternoon|evening|night)"
# Abbreviated months may carry a full stop ("Jan."); a full name's stop ends the sentence.
_MONTH = (
    r"(?:" + word_alternation(w for w in MONTH_NUMBERS if w in _FULL_MONTHS) + r"\b|"
    + word_alternation(w for w in MONTH_NUMBERS if w not in _FULL_MONTHS) + r"\b\.?)"
)
_WEEKDAY = word_alternation(WEEKDAYS)
_WEEKDAY_ANY = r"(?:" + _WEEKDAY + r"|" + word_alternation(_WEEKDAY_ABBREV) + r")"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_ORD_WORD = word_alternation(_ORDINAL_WORDS)
_CENTURY = r"(?:1[5-9]\d|20\d)"
_YEAR = _CENTURY + r"\d(?!\d|,\d)"
_ZONE = r"(?:\s?(?-i:GMT|UTC|[ECMP][SD]?T|BST|CET|CEST)\b)?"
_CLOCK = (
    r"(?:(?:[01]?\d|2[0-3])[:.][0-5]\d\s?(?:a\.m\.|p\.m\.|a\.m\b|p\.m\b|am\b|pm\b)"
    r"|(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])"
    r"|(?:1[0-2]|0?[1-9])\s?(?:a\.m\.|p\.m\.|a\.m\b|p\.m\b|am\b|pm\b)"
    r"|(?:[01]\d|2[0-3])[0-5]\d\s?(?=GMT|UTC)"
    r"|noon\b|midnight\b)" + _ZONE
)

# One calendar expression; the named group says which form it is.
DATE = re.compile(
    rf"""
    (?P<md>(?:{_WEEKDAY_ANY}\.?,?\s+)?{_MONTH}\s+(?:the\s+)?(?:{_DAY}|{_ORD_WORD})\b(?:,?\s+{_YEAR})?)
    |(?P<dm>(?:{_WEEKDAY_ANY}\.?,?\s+)?(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?)
    |(?P<my>{_MONTH},?\s+{_YEAR})
    |(?P<wday>{_WEEKDAY_ANY}\.?\s+(?:the\s+)?{_DAY}\b|{_WEEKDAY}\b(?:\s+{_PART_OF_DAY}\b)?)
    |(?P<month>{_MONTH}\b)
    |(?P<numeric>(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})(?![\d/.-]\d))
    |(?P<clock>{_CLOCK})
    |(?P<decade>{_CENTURY}0['’]?s\b)
    |(?P<year>{_YEAR})
    |(?P<relday>(?:today|tomorrow|yesterday|tonight)\b(?:\s+{_PART_OF_DAY}\b)?)
    |(?P<rel>(?:{_RELATIVE})\s+(?:{PERIODS}|day|{_WEEKDAY}|{_MONTH})\b)
    |(?P<quarter>(?:{_QUARTER_ORDINAL})\s+quarter\b(?:\s+of\s+(?:{_YEAR}|the\s+year\b))?
        |(?:first|second)\s+half\s+of\s+(?:{_YEAR}|the\s+year\b|(?:this|next|last)\s+year\b))
    |(?P<holiday>(?:christmas|new\s+year['’]s)\s+(?:eve|day)|easter\s+(?:sunday|monday)|boxing\s+day
        |thanksgiving\b(?:\s+day)?|valentine['’]s\s+day|(?:st\.?|saint)\s+patrick['’]s\s+day|halloween\b)
    |(?P<daypart>in\s+the\s+(?:morning|afternoon|evening)s?\b)
    |(?P<freq>(?:every|each)\s+(?:other\s+)?(?:{PERIODS}|day|{_WEEKDAY})\b|(?:semi-|bi-?)?annually\b|biennially\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Words (lower case) at which a date may start, for the figure scan's candidate pattern.
STARTERS = (
    list(MONTH_NUMBERS) + list(WEEKDAYS) + list(_WEEKDAY_ABBREV)
    + ["today", "tomorrow", "yesterday", "tonight", "noon", "midnight", "christmas", "easter", "boxing",
       "thanksgiving", "valentine", "halloween", "annually", "biannually", "biennially"]
)
# Words that start a date only before a period or a day's name ("next week", not "next step"),
# each with the lookahead that says so, for the figure scan's candidate pattern.
_BEFORE_PERIOD = rf"(?=\s+(?:other\s+)?(?:{PERIODS}|day|{_WEEKDAY}|{_MONTH})\b)"
GATED_STARTERS = {
    **{w: _BEFORE_PERIOD for w in _RELATIVE.split("|") + ["every", "each"]},
    **{w: r"(?=\s+quarter\b)" for w in _QUARTER_ORDINAL.split("|")},
    "first": r"(?=\s+(?:quarter\b|half\s+of\s+(?:the|this|next|last|\d)))",
    "second": r"(?=\s+(?:quarter\b|half\s+of\s+(?:the|this|next|last|\d)))",
    "in": r"(?=\s+the\s+(?:morning|afternoon|evening))",
    "new": r"(?=\s+year)",
    "st": r"(?=\.?\s+patrick)",
    "saint": r"(?=\s+patrick)",
    "semi": r"(?=-annually)",
}

_RANGE_JOIN = re.compile(r"\s?(?:-|–|—)\s?|\s+(?:to|through|until|till|and)\s+", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
_DAY_END = re.compile(rf"(?:{_DAY}|{_ORD_WORD})\b", re.IGNORECASE)
# A clock time and a day belong together: "9am on Tuesday", "Tuesday at 9am", "tomorrow 8:00am".
_TIME_AFTER_DAY = re.compile(rf",?\s+(?:at\s+)?(?P<clock>{_CLOCK})", re.IGNORECASE)
_DAY_AFTER_TIME = re.compile(
    rf"\s+(?:on\s+)?(?=(?:{_WEEKDAY}|today|tomorrow|yesterday|tonight|{_MONTH}\s+\d|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}))",
    re.IGNORECASE,
)
_FIRST_WORD = re.compile(r"[A-Za-z]*")
_NUMBER = re.compile(r"\d+")
_NUMERIC_SEP = re.compile(r"[/.-]")
_CLOCK_PARTS = re.compile(r"(\d{1,2})(?:[:.](\d\d))?\s?([ap])?", re.IGNORECASE)


def match_date(text: str, pos: int) -> tuple[int, int, str] | None:
    """The calendar expression starting at ``pos`` as ``(start, end, value)``, or None.

    ``start`` may lie before ``pos``: "the" of "the coming week", "between" of a range.
    Forms that are also ordinary words are held to their usual spelling: a month
    standing alone must be capitalised and not followed by a name ("June" but not
    "june" or "June Carter"), and "May" alone needs a preposition before it (not
    "Theresa May"); abbreviated weekdays must be capitalised ("Sun 13").
    """
    m = DATE.match(text, pos)
    if not m or not _plausible(text, m):
        return None
    start, end, value = pos, m.end(), _value(m)
    kind = m.lastgroup
    # Ranges: "April 9 to 17", "2019-2021", "between 2021 and 2023", "9 to 11 a.m.".
    j = _RANGE_JOIN.match(text, end) if kind in _RANGE_KINDS else None
    if j:
        opened = _RANGE_OPEN.search(text, max(0, pos - 9), pos)
        if j.group().strip().lower() != "and" or opened:
            hi = DATE.match(text, j.end())
            if hi and hi.lastgroup in _RANGE_KINDS and _plausible(text, hi):
                end, value, kind = hi.end(), f"{value}..{_value(hi)}", hi.lastgroup
                if opened:
                    start = opened.start()
            elif kind == "md":
                day = _DAY_END.match(text, j.end())
                if day:
                    end, value = day.end(), f"{value}..{_day_number(day.group())}"
    if kind in ("md", "dm", "wday", "relday", "holiday", "rel", "freq"):
        t = _TIME_AFTER_DAY.match(text, end)
        if t:
            end, value = t.end(), f"{value}T{_clock_value(t.group('clock'))}"
    elif kind == "clock":
        d = _DAY_AFTER_TIME.match(text, end)
        day = DATE.match(text, d.end()) if d else None
        if day and day.lastgroup in ("md", "dm", "wday", "relday") and _plausible(text, day):
            end, value = day.end(), f"{_value(day)}T{value}"
    if kind in ("rel", "quarter") and text[max(0, pos - 4) : pos].lower() == "the ":
        start = pos - 4
    return start, end, value


_RANGE_KINDS = frozenset(("md", "dm", "my", "year", "clock", "wday", "month", "numeric", "decade"))
_MAY_BEFORE = frozenset(
    "in since until by from early late mid of through during last next this before after".split()
)


def _plausible(text: str, m: re.Match[str]) -> bool:
    kind = m.lastgroup
    word = m.group()
    low = _FIRST_WORD.match(word).group().lower()  # type: ignore[union-attr]
    if kind == "month":
        if not word[0].isupper() or low not in _FULL_MONTHS:
            return False  # "march" the verb, "Jan" the name
        after = text[m.end() : m.end() + 2].lstrip(" ")
        if after[:1].isupper():
            return False  # "June Carter"
        if low == "may":
            before = text[max(0, m.start() - 12) : m.start()].lower().replace("-", " ").split()
            return bool(before) and before[-1] in _MAY_BEFORE
        return True
    if kind == "rel":
        last = word.rsplit(None, 1)[-1]
        return last.lower().rstrip(".") not in MONTH_NUMBERS or last[0].isupper()  # "this may take weeks"
    if low in _WEEKDAY_ABBREV or low in ("may", "mar"):
        return word[0].isupper()  # "sun 13", "may 5 people" are not dates
    if kind == "holiday" and " " not in word.strip():
        return word[0].isupper()  # "Thanksgiving", not "a thanksgiving service"
    if kind == "numeric":
        parts = [int(p) for p in _NUMERIC_SEP.split(word)]
        day_month = parts[1:] if parts[0] > 31 else parts[:2]
        return min(day_month) <= 12 and max(day_month) <= 31 and min(day_month) >= 1  # not "1.2.34"
    return True


def _day_number(s: str) -> int:
    low = s.lower()
    return _ORDINAL_WORDS.get(low) or int(_NUMBER.match(low).group())  # type: ignore[union-attr]


def _clock_value(s: str) -> str:
    low = s.lower()
    if low.startswith("noon"):
        return "12:00"
    if low.startswith("midnight"):
        return "00:00"
    m = _CLOCK_PARTS.match(s)
    if not m:
        return low
    hour, minute, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _value(m: re.Match[str]) -> str:
    kind = m.lastgroup
    s = m.group()
    low = " ".join(s.lower().replace(",", " ").split())
    if kind in ("md", "dm", "my"):
        words = low.replace(".", " ").split()
        month = next((MONTH_NUMBERS[w] for w in words if w in MONTH_NUMBERS), 0)
        year = next((w for w in words if len(w) == 4 and w.isdigit()), "")
        if kind == "my":
            return f"{year}-{month:02d}"
        day = next(
            (_day_number(w) for w in words if w in _ORDINAL_WORDS or (w[:1].isdigit() and len(w) <= 4 and w != year)),
            0,
        )
        return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
    if kind == "month":
        return f"--{MONTH_NUMBERS[low.rstrip('.')]:02d}"
    if kind == "year":
        return s
    if kind == "decade":
        return s[:4] + "s"
    if kind == "clock":
        return _clock_value(s)
    if kind == "numeric":
        parts = _NUMERIC_SEP.split(s)
        if len(parts[0]) == 4:
            return f"{parts[0]}-{int(parts[1]):02d}-{int(parts[2]):02d}"
        return s  # day-month or month-day order cannot be told apart
    if kind == "wday":
        return low[:1].upper() + low[1:]
    return low
