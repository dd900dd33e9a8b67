"""Figures: quantities in digits and words, with qualifier, unit and counted noun.

One pass of a single compiled pattern finds candidate number cores; each core
is then widened to the left (qualifier, currency sign, range start) and to the
right (scale word, unit, counted noun) with small anchored patterns, so the
work stays linear in the length of the text. Calendar expressions (dates,
clock times, "last week") are found at the same candidate positions by
:mod:`annotator.suggest.dates` and proposed with ``kind`` "date" and a low
score: they quantify only in context, so the analyst decides. Ordinals and
identifiers ("F-16", "Resolution 2254") are recognised so that they are *not*
proposed.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass

from annotator.suggest import dates as _dates
from annotator.suggest.patterns import word_alternation

# json.dumps costs more than the whole figure search for short values.
_json_str = json.encoder.encode_basestring  # type: ignore[attr-defined]

SUGGESTER = "figures"

UNITS_WORDS = {
    "zero": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
SCALE_ABBREV = {
    "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
    "b": 1_000_000_000, "tn": 1_000_000_000_000, "trn": 1_000_000_000_000,
}
# Vague quantities: the value is the order of magnitude.
VAGUE = {
    "dozen": 12, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000,
    "millions": 1_000_000, "billions": 1_000_000_000, "tens": 10,
}
_MULTIPLES = {"twice": 2, "thrice": 3, "double": 2, "triple": 3, "quadruple": 4}
FRACTIONS = {
    "half": 0.5, "halves": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25,
    "quarters": 0.25, "fifth": 0.2, "fifths": 0.2, "sixth": 1 / 6, "sixths": 1 / 6,
    "eighth": 0.125, "eighths": 0.125, "tenth": 0.1, "tenths": 0.1,
}

_UNICODE_FRACTIONS = {
    "½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6, "⅘": 0.8,
    "⅙": 1 / 6, "⅚": 5 / 6, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625, "⅞": 0.875,
}

CURRENCY_SIGNS = {
    "$": "USD", "us$": "USD", "usd": "USD", "£": "GBP", "gbp": "GBP", "€": "EUR", "eur": "EUR",
    "¥": "JPY", "₹": "INR", "rs": "INR", "rs.": "INR", "a$": "AUD", "c$": "CAD", "hk$": "HKD",
    "r$": "BRL", "₦": "NGN", "₽": "RUB", "chf": "CHF",
}
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "rupee": "INR", "rupees": "INR", "peso": "MXN", "pesos": "MXN", "franc": "CHF", "francs": "CHF",
    "guilder": "NLG", "guilders": "NLG", "mark": "DEM", "marks": "DEM", "dinar": "dinar",
    "dinars": "dinar", "riyal": "riyal", "riyals": "riyal", "rouble": "RUB", "roubles": "RUB",
    "ruble": "RUB", "rubles": "RUB", "lira": "lira", "lire": "lira", "shekel": "ILS",
    "shekels": "ILS", "cent": "cent", "cents": "cent", "pence": "pence", "naira": "NGN",
    "rand": "ZAR", "won": "KRW", "dirham": "AED", "dirhams": "AED",
}

# Measurement units: spelled out (may follow a space or hyphen) and abbreviated
# (only directly after the number or one space, and never followed by a letter).
UNIT_WORDS = {
    "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
    "metre": "m", "metres": "m", "meter": "m", "meters": "m", "centimetre": "cm",
    "centimetres": "cm", "centimeter": "cm", "centimeters": "cm", "millimetre": "mm",
    "millimetres": "mm", "millimeter": "mm", "millimeters": "mm", "mile": "mi", "miles": "mi",
    "foot": "ft", "feet": "ft", "inch": "in", "inches": "in", "yard": "yd", "yards": "yd",
    "kilogram": "kg", "kilograms": "kg", "kilogramme": "kg", "kilogrammes": "kg", "gram": "g",
    "grams": "g", "gramme": "g", "grammes": "g", "microgram": "µg", "micrograms": "µg",
    "microgramme": "µg", "microgrammes": "µg", "milligram": "mg", "milligrams": "mg",
    "tonne": "t", "tonnes": "t", "ton": "t", "tons": "t", "ounce": "oz", "ounces": "oz",
    "lb": "lb", "lbs": "lb", "litre": "l", "litres": "l", "liter": "l", "liters": "l",
    "gallon": "gal", "gallons": "gal", "barrel": "bbl", "barrels": "bbl", "acre": "acre",
    "acres": "acre", "hectare": "ha", "hectares": "ha", "degree": "deg", "degrees": "deg",
    "megawatt": "MW", "megawatts": "MW", "gigawatt": "GW", "gigawatts": "GW",
    "kilowatt": "kW", "kilowatts": "kW", "byte": "B", "bytes": "B", "megabyte": "MB",
    "megabytes": "MB", "gigabyte": "GB", "gigabytes": "GB", "picometer": "pm", "picometers": "pm",
    "picometre": "pm", "picometres": "pm", "decimetre": "dm", "decimeter": "dm",
    "tablespoon": "tbsp", "tablespoons": "tbsp", "teaspoon": "tsp", "teaspoons": "tsp",
    "cup": "cup", "cups": "cup", "bit": "bit", "knots": "kn", "calories": "kcal",
    "drachma": "drachma", "stone": "st", "pint": "pt", "pints": "pt", "kilobyte": "kB", "kilobytes": "kB",
    "terabyte": "TB", "terabytes": "TB", "kibibyte": "KiB", "kibibytes": "KiB", "mebibyte": "MiB",
    "mebibytes": "MiB", "gibibyte": "GiB", "gibibytes": "GiB",
}
UNIT_ABBREV = (
    "km/h km/hr kmph kph mph m/s km² km2 sq km sq mi sq ft sq m "
    "km cm mm µm nm pm dm m mi ft yd in kg mg µg g lbs lb oz t kt "
    "ml l gal bbl ha mw gw kw kwh mwh gwh mb gb tb kb hz mhz ghz °c °f ° \" ′ ″ "
    "tbsp tsp hrs hr mins min secs sec mcg"
).split()

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)

QUALIFIERS = (
    "at least|at most|as many as|as much as|as few as|as little as|up to|more than|less than"
    "|fewer than|no more than|no less than|no fewer than|not more than|over|under|nearly|almost"
    "|about|around|approximately|roughly|some|an estimated|estimated|close to|upwards of"
    "|in excess of|below|above|exactly|just over|just under|barely|well over"
    "|well above|well below|more or less|circa|c\\.|approx\\.|equal to|equaling to|equalling"
)
# Last words of the qualifiers (and signs) that may stand right before a number: a cheap
# test run before the qualifier pattern itself.
_QUAL_LAST = frozenset(
    w.split()[-1].replace("\\", "") for w in QUALIFIERS.split("|")
) | {"minus", "negative"}

# Lower-case words that end a counted noun phrase (function words, verbs of being,
# and words that begin a clause).
STOP_WORDS = frozenset(
    """
    a an the of and or but nor for to in on at by with from into onto over under about as
    than that which who whom whose what when where while after before since until during
    is are was were be been being has have had do does did will would shall should can
    could may might must not no so if then there here this these those it its their his
    her our your my they them he she we you i me us also only just still yet even more most
    less least very too per each every all both some any such than out up down off away
    said says say told added according ago later earlier last next now today yesterday
    tomorrow against among between across through via without within including
    """.split()
)
# A counted noun may also be one of these heads even after a stop word boundary.
NOUNLIKE_SUFFIXES = ("s", "men", "people", "children", "staff", "police", "personnel", "cattle")

_NUMWORD = word_alternation(list(UNITS_WORDS) + list(SCALES))
_UNITWORD = word_alternation(list(UNITS_WORDS)[:10] + ["nought", "oh"])
_VAGUE = word_alternation(VAGUE)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
# One of a measurement or money unit: "a gallon of petrol", "a kilogram of cocaine", "a penny".
# (Not "a foot", "a cup", "a yard", "a pound": too often something else.)
A_MEASURE_UNITS = {
    "gallon": "gal", "litre": "l", "liter": "l", "tonne": "t", "kilogram": "kg", "kilogramme": "kg",
    "kilo": "kg", "gram": "g", "gramme": "g", "ounce": "oz", "acre": "acre", "hectare": "ha", "inch": "in",
    "pint": "pt", "barrel": "bbl", "byte": "B", "kilobyte": "kB", "megabyte": "MB", "gigabyte": "GB",
    "terabyte": "TB", "kibibyte": "KiB", "penny": "pence", "cent": "cent", "dollar": "USD", "euro": "EUR",
}
_A_MEASURE = word_alternation(A_MEASURE_UNITS)
# Sizes that make "a … percentage" a vague proportion: "a small percentage of voters".
_VAGUE_SIZE = word_alternation(
    "small large high low tiny significant substantial sizeable sizable big growing greater higher lower"
    " smaller larger modest considerable".split()
)
_FRACTION_DIGITS = r"\d+\s?/\s?\d+(?!\s?/\s?\d)"

CORE = re.compile(
    rf"""
    (?P<sci>(?<![\w.,])\d+(?:\.\d+)?(?:e[+-]?\d+|\s?[x×]\s?10(?:\^|-|−)?[+-]?\d+)(?![\w.]))
    |(?P<ufrac>(?<![\w])(?:\d+\s?)?[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])
    |(?P<digits>(?<![\w.,/:])(?<!\w-)(?:{_DIGITS})(?:\s+{_FRACTION_DIGITS}|(?=[^\d]|$)))
    |(?P<fracdigits>(?<![\w/])(?:{_FRACTION_DIGITS}))
    |(?P<afrac>\b(?:a|one)[\s-](?:half|third|quarter|fifth|sixth|eighth|tenth)\b(?=\s+(?:of|million|billion|thousand|hundred|dozen|percent|per\s+cent)\b)|\bone[\s-](?:half|third|quarter|fifth|sixth|eighth|tenth)\b|(?:(?<=\bby\s)|(?<=\bto\s))a\s+(?:half|third|quarter|fifth|tenth)\b)
    |(?P<nfrac>\b(?:two|three|four|nine)[\s-](?:thirds|quarters|fifths|tenths)\b)
    |(?P<words>\b(?:{_NUMWORD})(?:(?:[\s-]+(?:and[\s-]+)?|-)(?:{_NUMWORD}))*\b(?:\s+point(?:\s+(?:{_UNITWORD}))+\b|\s+(?:and\s+)?a\s+(?:half|quarter)\b)?)
    |(?P<half>(?:(?<=than\s)|(?<=nearly\s)|(?<=almost\s)|(?<=about\s)|(?<=over\s)|(?<=under\s)|(?<=roughly\s)|(?<=around\s))half\b|\bhalf\b(?=\s+(?:of|a|an|the|million|billion|dozen|their|its|his|her|our|all)\b))
    |(?P<mult>\b(?:twice|thrice)\b|\b(?:double|triple|quadruple)\b(?=\s+(?:the|that|its|their|his|her|our|what)\b))
    |(?P<aunit>\ban?\s+(?:second|minute|hour|day|week|fortnight|month|year|decade|century|mile|kilometre|kilometer|metre|meter)\b)
    |(?P<ameasure>\ban?\s+(?:{_A_MEASURE})\b(?!\s+bombs?\b))
    |(?P<vprop>\ba\s+(?:very\s+)?(?:{_VAGUE_SIZE})\s+(?:percentage|percent|proportion|fraction)\b)
    |(?P<ascale>\ba\s+(?:hundred|thousand|million|billion|trillion|dozen|couple\s+of|few\s+(?:hundred|thousand|million|dozen))\b)
    |(?P<vague>\b(?:tens|hundreds|thousands|millions|billions)\s+of\s+(?:thousands|millions)\b|\b(?:{_VAGUE})\b)
    |(?P<several>\b(?:several|a\s+few|a\s+handful\s+of|a\s+couple\s+of|a\s+number\s+of|numerous|countless)\s+(?:hundred|thousand|million|billion|dozen)s?\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)

_QUAL_BEFORE = re.compile(
    rf"(?:\b{word_alternation(w.replace(chr(92), '') for w in QUALIFIERS.split('|'))}|[<>≤≥~]=?|=<|=>)\s*(?:(?:US\$|A\$|C\$|HK\$|R\$|\$|£|€|¥|₹|₦|₽)\s?)?(?:-|−|minus\s+|negative\s+)?$",
    re.IGNORECASE,
)
_CURRENCY_BEFORE = re.compile(r"(?:\b(?:US|A|C|HK|R)\$|\$|£|€|¥|₹|₦|₽|\b(?:USD|EUR|GBP|CHF|Rs\.?))\s?$", re.IGNORECASE)
_SIGN_BEFORE = re.compile(r"(?:(?<![\w)])[-−+]|\b(?:minus|negative)\s+)$", re.IGNORECASE)
_SCALE_AFTER = re.compile(
    r"(?:\s?(?:-\s?)?(?P<scale>hundred|thousand|million|billion|trillion)(?!\w)|(?P<abbr>k|m|mn|mln|bn|b|tn|trn)(?![\w/²]))"
    r"(?:\s+(?:and\s+)?a\s+half)?",
    re.IGNORECASE,
)
_PERCENT_AFTER = re.compile(r"\s?(?:%|per\s?cent\b|percentage\s+points?\b|pct\b|percentile\b)", re.IGNORECASE)
_UNIT_WORD_AFTER = re.compile(
    r"(?:\s|-)(?:square\s+|cubic\s+|sq\s+)?(?P<unit>" + word_alternation(UNIT_WORDS) + r")\b"
    r"(?:\s+(?:per|an|a)\s+(?:hour|second|minute|day|year|gramme|gram|litre|liter|capita))?",
    re.IGNORECASE,
)
_UNIT_ABBREV_AFTER = re.compile(
    r"\s?(?P<unit>" + word_alternation(UNIT_ABBREV) + r")(?![\w\"'])",
    re.IGNORECASE,
)
_CURRENCY_WORD_AFTER = re.compile(
    r"(?:\s+(?:[a-z]+\s+)?)(?P<cur>" + word_alternation(CURRENCY_WORDS) + r")\b",
    re.IGNORECASE,
)
_RANGE_AFTER = re.compile(
    r"\s?(?:-|–|—|~|to|and|or|through|and\s+below|and\s+under)\s?(?=(?:US\$|\$|£|€)?\s?(?:\d|(?:" + _NUMWORD + r")\b|negative|minus|a\s+half|half))",
    re.IGNORECASE,
)
_RANGE_END = re.compile(
    rf"(?P<digits>(?:{_DIGITS}))(?!\d)|(?P<words>\b(?:{_NUMWORD})(?:(?:[\s-]+(?:and[\s-]+)?|-)(?:{_NUMWORD}))*\b)",
    re.IGNORECASE,
)
_OF_AFTER = re.compile(r"\s+of\s+(?:the\s+|their\s+|its\s+|his\s+|her\s+|our\s+|those\s+|these\s+)?", re.IGNORECASE)
_WORD_AT = re.compile(r"(?P<w>[A-Za-z][a-z]*(?:-[a-z]+)*(?:['’]s)?)")
_WORD_AFTER = re.compile(r"[ \t]+(?P<w>[A-Za-z][a-z]*(?:-[a-z]+)*)")
_TIME_NOUN_AGO = re.compile(r"\s+ago\b", re.IGNORECASE)
# "a year earlier", "a week ago": a span of time measured back or forward from an event.
_RELATIVE_AFTER = re.compile(r"\s+(ago|earlier|later|before|after|on)\b(?!\s+(?:a|an|the|his|her|their|its)\b)", re.IGNORECASE)
_AGE = re.compile(r"-year-old\b|\s+years?\s+old\b|-month-old\b", re.IGNORECASE)

# Contexts that make a number a date, a clock time or an identifier.
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\b", re.IGNORECASE)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_TIME_AFTER = re.compile(r"(?::\d{2}|\.\d{2}\s?(?:a\.?m|p\.?m)|\s?(?:a\.m\.|p\.m\.|am\b|pm\b|a\.m\b|p\.m\b|GMT|UTC|h\d\d))", re.IGNORECASE)
_DATE_SLASH = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")
_IDENT_BEFORE = re.compile(
    r"(?:\b(?:No|Nos|Number|Article|Resolution|Route|Flight|Highway|Section|Chapter|Paragraph|Clause|Room|Page|Level|Phase|Gate|Unit|Platform|Channel|Window|Windows|Version|Grade|Class|Category|Item|Act|Protocol|Covid|COVID|Apollo|Boeing|Airbus|Model|Series|Exhibit|Bill|Law|Decree|Order|Case|Lot|Pier|Terminal|Block|Building|Floor|Ward|District|Zone|Sector|Camp|Battalion|Brigade|Division|Regiment|Squadron|Corps|Army|Group|Force|Team|Title|Schedule|Annex|Appendix|Part|Volume|Vol|Issue|Episode|Season|Round|Stage|Table|Figure|Fig|Line|Lines|Amendment)\.?\s+#?|#|[A-Za-z]-|[A-Za-z]\d*-)$"
)
_IDENT_AFTER = re.compile(r"(?:-?[A-Za-z]{1,3}\d|\.\d+\.\d)")

_WORD_NUMBER_ALONE_BAD = frozenset({"one"})
# "Zero" is no pronoun, but it is part of these idioms: "ground zero", "zero-sum", "zero in on".
_ZERO_IDIOM_AFTER = re.compile(r"-sum\b|\s+(?:tolerance|hour|in\s+on)\b", re.IGNORECASE)
_ONE_BAD_AFTER = re.compile(
    r"\s+(?:of|another|day|way|thing|side|hand|more|time|point|who|that|which|in|another|by|after|must|can|could|would|should|might|may|will|is|was|has|had|said|says|\.|,)\b|[-']|’s",
    re.IGNORECASE,
)
_ONE_BAD_BEFORE = re.compile(r"\b(?:no|any|every|some|each|the|this|that|which|anyone|someone|only|such)\s+$", re.IGNORECASE)


@dataclass
class Figure:
    start: int
    end: int
    value: str
    unit: str = ""
    noun: str = ""
    qualifier: str = ""
    score: float = 0.8
    kind: str = ""  # "date" for calendar expressions, empty for quantities

    def value_json(self) -> str:
        """``{"value", "unit"?, "noun"?, "qualifier"?, "kind"?}`` as compact JSON."""
        parts = [f'"value":{_json_str(self.value)}']
        for key in ("unit", "noun", "qualifier", "kind"):
            if getattr(self, key):
                parts.append(f'"{key}":{_json_str(getattr(self, key))}')
        return "{" + ",".join(parts) + "}"


_WORD_TOKEN = re.compile(r"[a-z]+", re.IGNORECASE)
_NUMBER_WORDS = frozenset(UNITS_WORDS) | frozenset(SCALES) | {"oh"}


def _compound_end(words: str) -> int:
    """Length of the longest prefix of ``words`` that spells one number.

    Units, teens and tens combine only as "twenty-one" or with "hundred" and the
    scales between them: "three four" and "three-nought-four" are lists.
    """
    prev = ""  # class of the previous word: unit, zero, teen, tens, hundred, scale
    for m in _WORD_TOKEN.finditer(words):
        w = m.group().lower()
        if w in ("and", "a", "point", "half", "quarter"):
            if w == "point":
                break  # "nought point nought three": decimals read digit by digit
            continue
        n = UNITS_WORDS.get(w)
        if n is None:
            cls = "hundred" if w == "hundred" else "scale"
        elif n == 0 or w == "oh":
            cls = "zero"
        else:
            cls = "unit" if n < 10 else "teen" if n < 20 else "tens"
        ok = (
            not prev
            or (cls == "unit" and prev in ("tens", "hundred", "scale"))
            or (cls in ("teen", "tens") and prev in ("hundred", "scale"))
            or (cls == "hundred" and prev in ("unit", "teen", "tens"))
            or (cls == "scale" and prev in ("unit", "teen", "tens", "hundred"))
        )
        if not ok or prev == "zero":
            return len(words[: m.start()].rstrip(" -"))
        prev = cls
    return len(words)


def words_to_number(words: str) -> float | None:
    """Value of a number written in words ("two hundred and five", "forty-two")."""
    low = words.lower()
    if " point " in low:
        whole, _, decimals = low.partition(" point ")
        head = words_to_number(whole)
        digits = "".join(str(UNITS_WORDS.get(w, "")) for w in decimals.split())
        if head is None or not digits.isdigit():
            return None
        return head + float("0." + digits)
    total = 0.0
    current = 0.0
    seen = False
    for word in _WORD_SPLIT.split(low):
        if word in ("and", ""):
            continue
        if word in UNITS_WORDS:
            current += UNITS_WORDS[word]
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
            seen = True
        elif word in SCALES:
            total += (current or 1) * SCALES[word]
            current = 0
            seen = True
        elif word == "a":
            current = current or 1
        elif word == "half":
            current += 0.5
        elif word == "quarter":
            current += 0.25
        else:
            return None
    return total + current if seen else None


def format_number(value: float) -> str:
    """Readable form: integers without a decimal point, fractions to 3 significant digits,
    other numbers to 3 decimals."""
    if value == int(value) and abs(value) < 1e18:
        return str(int(value))
    if abs(value) < 1:
        return f"{value:.3g}" if abs(value) >= 1e-4 else f"{value:.3e}"
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _digits_value(s: str) -> float | None:
    s = s.replace(",", "").replace(" ", "")
    if "/" in s:
        parts = s.split("/")
        try:
            whole = 0.0
            num = parts[0]
            return whole + float(num) / float(parts[1]) if float(parts[1]) else None
        except ValueError:
            return None
    try:
        return float(s)
    except ValueError:
        return None


def _mixed_value(s: str) -> float | None:
    """Value of "12", "1,200.5", "2 1/2", "3/4"."""
    m = _MIXED.fullmatch(s)
    if m:
        whole = _digits_value(m.group(1))
        den = float(m.group(3))
        if whole is None or not den:
            return None
        return whole + float(m.group(2)) / den
    return _digits_value(s)


def _core_value(m: re.Match[str]) -> tuple[float | None, str]:
    """Numeric value of a core match and the kind of core."""
    kind = m.lastgroup or ""
    s = m.group()
    low = s.lower()
    if kind in ("digits", "fracdigits"):
        return _mixed_value(s), kind
    if kind == "words":
        return words_to_number(s), kind
    if kind == "sci":
        m2 = _SCI.fullmatch(s)
        if not m2:
            return None, kind
        exp = m2.group(2) or m2.group(3)
        if m2.group(3) and s[m2.start(3) - 1] in "-−":
            exp = "-" + exp.lstrip("+-")
        # Beyond double range the text is not a quantity anyone measured.
        if abs(int(exp)) > 300 or "." in m2.group(1).strip(".").replace(".", "", 1) or m2.group(1).strip(".") == "":
            return None, kind
        return float(m2.group(1)) * 10.0 ** int(exp), kind
    if kind == "ufrac":
        whole = s[:-1].strip()
        return (float(whole) if whole else 0.0) + _UNICODE_FRACTIONS[s[-1]], kind
    if kind in ("afrac", "nfrac"):
        first, _, frac = _FRAC_SPLIT.split(low, maxsplit=1)
        num = 1 if first in ("a", "one") else UNITS_WORDS.get(first, 1)
        return num * FRACTIONS.get(frac.strip(), 0), kind
    if kind == "half":
        return 0.5, kind
    if kind == "mult":
        return float(_MULTIPLES[low]), kind
    if kind in ("aunit", "ameasure"):
        return 1.0, kind
    if kind == "vprop":
        return 0.0, kind
    if kind == "ascale":
        last = low.split()[-1]
        if last == "of":
            return 2, kind
        if "few" in low:
            return 3 * (SCALES.get(last) or VAGUE.get(last, 12)), kind
        return float(SCALES.get(last) or VAGUE.get(last, 12)), kind
    if kind == "vague":
        words = low.split()
        value = 1.0
        for w in words:
            if w in VAGUE:
                value *= VAGUE[w]
        return value, kind
    if kind == "several":
        last = low.split()[-1].rstrip("s")
        return 3 * (SCALES.get(last) or 12), kind
    return None, kind


_MONTH_SET = frozenset(MONTHS.split("|"))
_YEAR_COUNTED = re.compile(
    r"\s+(?:[a-z]+\s+)?(?:people|men|women|children|soldiers|troops|members|residents|workers|fighters"
    r"|families|homes|houses|cases|deaths|jobs|students|prisoners|refugees|migrants|votes|units|tonnes"
    r"|tons|barrels)\b"
)
_DECADE_AFTER = re.compile(r"s\b|'s\b|’s\b")
_PREV_WORD = re.compile(r"([A-Za-z]+)\.?,?\s+(?:the\s+)?$")


def _prev_word(text: str, s: int) -> str:
    """The word before offset ``s`` (skipping "the", a full stop or a comma), lower-cased."""
    m = _PREV_WORD.search(text, max(0, s - 20), s)
    return m.group(1).lower() if m else ""


def _is_date_or_time(text: str, s: int, e: int, core: str) -> bool:
    """True when the number at ``s:e`` is part of a date, a year or a clock time."""
    after = text[e : e + 16]
    if _DATE_SLASH.match(text, s):
        return True
    # A clock time has whole hours or two-digit minutes ("6 p.m.", "2.30 pm"), not "2.123 pm".
    if _TIME_AFTER.match(after) and (core.isdigit() or len(core.rpartition(".")[2]) == 2):
        return True
    if not core.isdigit():
        return False
    n = int(core)
    if n <= 31:
        return _prev_word(text, s) in _MONTH_SET or bool(_MONTH_AFTER.match(after)) or bool(_ORDINAL_AFTER.match(after))
    if _ORDINAL_AFTER.match(after):
        return True
    if (
        len(core) == 4
        and 1500 <= n <= 2100
        and not (after[:1].isalpha() and not _DECADE_AFTER.match(after))  # "1500b" is a size
        and not _CURRENCY_BEFORE.search(text, max(0, s - 6), s)
    ):
        # Years, unless they count something ("1500 troops").
        return bool(_DECADE_AFTER.match(after)) or not _YEAR_COUNTED.match(after)
    return False


_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)


def _in_url(urls: list[tuple[int, int]], pos: int) -> bool:
    i = bisect_right(urls, (pos, len(urls) and 1 << 62)) - 1
    return i >= 0 and urls[i][0] <= pos < urls[i][1]


def _is_identifier(text: str, s: int, e: int) -> bool:
    """True for numbers that name rather than count: "F-16", "Resolution 2254", "No. 10"."""
    if _IDENT_AFTER.match(text, e):
        return True
    prev = text[s - 1 : s]
    if prev in (" ", "\t"):
        words = text[max(0, s - 14) : s].split()
        if not (words and words[-1][0].isupper()):
            return False
    elif prev not in ("-", "#"):
        return False
    return bool(_IDENT_BEFORE.search(text, max(0, s - 14), s))


def _take_noun(text: str, pos: int, limit: int) -> tuple[int, str]:
    """Extend over a counted noun phrase of up to three words after ``pos``."""
    end = pos
    words: list[str] = []
    p = pos
    m_of = _OF_AFTER.match(text, p, limit)
    if m_of:
        # "dozens of homes", "half of the country's freight": the head follows "of".
        m = _WORD_AT.match(text, m_of.end(), limit)
        if not m or m.group("w").lower() in STOP_WORDS:
            return end, ""
        if m.group("w").endswith(("'s", "’s")):
            head = _WORD_AFTER.match(text, m.end(), limit)
            if not head or head.group("w").lower() in STOP_WORDS:
                return end, ""
            return head.end(), f"{m.group('w')} {head.group('w')}"
        return m.end(), m.group("w")
    for _ in range(3 - len(words)):
        m = _WORD_AFTER.match(text, p, limit)
        if not m:
            break
        w = m.group("w")
        lw = w.lower()
        if lw in STOP_WORDS or lw in _NOT_NOUNS or (w[0].isupper() and not words):
            break
        if w[0].isupper():
            break
        # A plural head closes the phrase; a participle after a noun starts the predicate.
        if words and (_plural(words[-1]) or lw.endswith(("ed", "ing"))):
            break
        words.append(w)
        end = m.end()
        p = m.end()
    # Keep the phrase only up to its last plausible noun (a plural or a known head).
    while words and not _nounlike(words[-1]):
        last = words.pop()
        end -= len(last)
        end = _rstrip_to_word(text, end)
    return end, " ".join(words)


def _rstrip_to_word(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in " \t-":
        end -= 1
    # drop a dangling "of" left behind
    if text[max(0, end - 3) : end].lower() == " of":
        end -= 3
    return end


def _plural(word: str) -> bool:
    w = word.lower()
    return (w.endswith("s") and not w.endswith(("ss", "us", "is"))) or w in ("people", "men", "women", "children", "police", "staff", "personnel", "troops")


def _nounlike(word: str) -> bool:
    w = word.lower()
    if w.endswith(("ed", "ing", "ly")) and w not in ("hundred",):
        return False
    return w.endswith(NOUNLIKE_SUFFIXES) or w in _SINGULAR_HEADS


_SINGULAR_HEADS = frozenset(
    """
    people person man woman child soldier officer member resident worker civilian fighter
    family home house case death job student prisoner refugee migrant vote unit year month
    week day hour minute second decade century time percent point game goal seat
    staff police personnel cattle troops crew household school hospital village town city
    country state vehicle car truck tank aircraft plane ship boat rocket missile drone shell
    bomb round patient victim hostage detainee protester demonstrator voter citizen migrant
    """.split()
)

# Words after a number that do not name what it counts.
_NOT_NOUNS = frozenset(UNITS_WORDS) | frozenset(SCALES) | {"plus", "minus", "equals", "point", "percent"}

_TIME_NOUNS = frozenset("second seconds minute minutes hour hours day days week weeks month months year years decade decades century centuries".split())


# Where a number core can start. Scanning for these first (on lower-cased text, with word
# boundaries only) and trying the full CORE pattern there is many times faster than letting
# CORE's alternation run at every position of the text.
_STARTERS = sorted(
    set(UNITS_WORDS) | set(SCALES) | set(VAGUE) | set(_MULTIPLES) | {"half", "several", "numerous", "countless"},
    key=len,
    reverse=True,
)
_DATE_STARTERS = frozenset(_dates.STARTERS) | frozenset(_dates.GATED_STARTERS)
_CANDIDATE = re.compile(
    r"[\d½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]+|\b(?:" + word_alternation(set(_STARTERS) | set(_dates.STARTERS), _dates.GATED_STARTERS)
    + r"|a(?=\s+(?:half|third|quarter|fifth|sixth|eighth|tenth|hundred|thousand|million|billion|trillion"
    r"|dozen|couple|few|handful|number|second|minute|hour|day|week|fortnight|month|year|decade|century|mile"
    r"|kilometre|kilometer|metre|meter|" + _A_MEASURE + r"|(?:very\s+)?(?:" + _VAGUE_SIZE + r")\s+(?:percentage|percent|proportion|fraction))\b)"
    r"|an(?=\s+(?:hour|acre|inch|ounce)\b))\b"
)
_CANDIDATE_ANY_CASE = re.compile(_CANDIDATE.pattern, re.IGNORECASE)
_PERIOD_PREFIX = re.compile(r"\b(?:mid|early|late|pre|post)-$", re.IGNORECASE)


def _cores(text: str, urls: list[tuple[int, int]]):
    """Number cores and calendar expressions of ``text`` in order, as ``(match, None)``
    or ``(None, (start, end, value))``; possibly overlapping (callers skip those)."""
    low = text.lower()
    # Lower-casing can change the length (e.g. "İ"); then scan the original, case-blind.
    scan = _CANDIDATE.finditer(low) if len(low) == len(text) else _CANDIDATE_ANY_CASE.finditer(text)
    next_free = 0
    for c in scan:
        pos = c.start()
        if pos < next_free:
            continue
        token = c.group()
        if token in _DATE_STARTERS:
            date = _dates.match_date(text, pos)
            if date:
                next_free = date[1]
                yield None, date
                continue
        m = CORE.match(text, pos)
        if not m:
            if len(token) == 4 and _PERIOD_PREFIX.search(text, max(0, pos - 6), pos):
                # "mid-2026", "late-1990s": a year after a prefix is a date (a number after
                # "word-" is otherwise an identifier, as in "F-16").
                date = _dates.match_date(text, pos)
                if date:
                    next_free = date[1]
                    yield None, date
            continue
        if m.lastgroup == "words" and (" " in m.group() or "-" in m.group()):
            cut = _compound_end(m.group())
            if cut < len(m.group()):
                # "three-nought-four", "one two three": a list of numbers, not one number.
                m = CORE.match(text, pos, pos + cut)
                if not m:
                    continue
        next_free = m.end()
        if m.lastgroup == "digits":
            s, e = m.span()
            if _in_url(urls, s) or _is_identifier(text, s, e):
                continue
            if _is_date_or_time(text, s, e, m.group()):
                date = _dates.match_date(text, s)
                if date:
                    next_free = max(next_free, date[1])
                    yield None, date
                continue
        yield m, None


def find_figures(text: str) -> list[Figure]:
    """All figure candidates in ``text``, sorted, none overlapping."""
    out: list[Figure] = []
    last_end = -1
    urls = [(m.start(), m.end()) for m in _URL.finditer(text)] if ("/" in text or "@" in text or "www." in text) else []
    for m, date in _cores(text, urls):
        if date is not None:
            s, e, value = date
            if e <= last_end:
                continue
            s = max(s, last_end)
            while text[s].isspace():
                s += 1
            out.append(Figure(start=s, end=e, value=value, score=0.4, kind="date"))
            last_end = e
            continue
        s, e = m.start(), m.end()
        if s < last_end:
            continue
        core = m.group()
        value, kind = _core_value(m)
        if value is None:
            continue
        if kind == "half" and _prev_word(text, s) in ("first", "second", "latter", "former"):
            continue  # "the first half of the year" is a period
        if kind == "words":
            low = core.lower()
            if low in _WORD_NUMBER_ALONE_BAD and (
                _ONE_BAD_AFTER.match(text, e) or _ONE_BAD_BEFORE.search(text[max(0, s - 12) : s])
            ):
                continue
            if _ORDINAL_AFTER.match(text, e):
                continue
            if low == "zero" and (_ZERO_IDIOM_AFTER.match(text, e) or _prev_word(text, s) == "ground"):
                continue
        if kind == "ameasure":
            unit = A_MEASURE_UNITS[core.split()[-1].lower()]
            prev = out[-1] if out else None
            if prev and not prev.kind and prev.end == s - 1 and text[prev.end] == " " and (prev.unit or not prev.noun):
                # "$4 a gallon", "£1.50 a litre": a price or amount per unit.
                prev.end = e
                prev.unit = f"{prev.unit}/{unit}" if prev.unit else f"/{unit}"
                last_end = e
                continue
            if text[max(0, s - 3) : s].lower() == "of ":
                continue  # "the price of a litre": the unit a price is quoted in
            fig = Figure(start=s, end=e, value="1", unit=unit, score=0.5)
            _extend_left(text, fig)
            out.append(fig)
            last_end = e
            continue
        if kind == "vprop":
            # "a small percentage of voters": a proportion without a number; the value is its size.
            low = core.lower().split()
            fig = Figure(start=s, end=e, value=" ".join(low[1:]), unit="%", score=0.5)
            noun_end, noun = _take_noun(text, e, min(len(text), e + 80))
            if noun:
                fig.end, fig.noun = noun_end, noun
            out.append(fig)
            last_end = fig.end
            continue
        fig = Figure(start=s, end=e, value=format_number(value))
        if kind == "vague" or kind == "several" or (kind == "ascale" and "few" in core.lower()):
            fig.score = 0.6
        _extend_left(text, fig)
        if kind == "vague":
            # "dozens", "hundreds", "tens of thousands": at least two of the unit and fewer than
            # ten of them; a range with a qualifier, never a false exact number.
            fig.value = f"{format_number(2 * value)}..{format_number(10 * value - 1)}"
            fig.qualifier = fig.qualifier or "vague"
        if kind == "aunit":
            # "almost a minute", "more than a decade", "a year earlier", "a week ago";
            # a bare "a day" is no figure.
            ago = _RELATIVE_AFTER.match(text, e)
            if not fig.qualifier and not ago:
                continue
            if ago and ago.group(1).lower() == "ago":
                fig.end = ago.end()
            fig.noun = core.split()[-1]
            fig.score = 0.6
        elif kind == "mult":
            fig.unit = "times"
            fig.score = 0.6
        else:
            _extend_right(text, fig, kind, m)
        # A lone "one"/"zero" without counted noun is too often a pronoun.
        if kind == "words" and core.lower() in _WORD_NUMBER_ALONE_BAD and not fig.noun and not fig.unit:
            continue
        if fig.qualifier == "over" and fig.noun.split()[-1:] and fig.noun.split()[-1].lower() in _TIME_NOUNS:
            # "over four years" is a period, not "more than four".
            fig.start = s
            fig.qualifier = ""
        if fig.start < last_end:
            fig.start = last_end
            while fig.start < fig.end and text[fig.start].isspace():
                fig.start += 1
        out.append(fig)
        last_end = fig.end
    return out


# Small patterns used per figure, compiled once (re's cache lookup costs more than the match).
_WORD_SPLIT = re.compile(r"[\s-]+")
_MIXED = re.compile(r"\s*([\d,.]+)\s+(\d+)\s?/\s?(\d+)\s*")
_SCI = re.compile(r"([\d.]+)(?:e([+-]?\d+)|\s?[x×]\s?10(?:\^|-|−)?([+-]?\d+))", re.IGNORECASE)
_FRAC_SPLIT = re.compile(r"([\s-])")
_NEGATIVE_END = re.compile(r"(?:-|−|minus|negative)\s*$", re.IGNORECASE)
_SIGN_IN = re.compile(r"(US\$|A\$|C\$|HK\$|R\$|\$|£|€|¥|₹|₦|₽)")
_SIGN_END = re.compile(r"\s*(?:US\$|A\$|C\$|HK\$|R\$|\$|£|€|¥|₹|₦|₽|-|−|minus|negative)\s*$", re.IGNORECASE)
_RANGE_SIGN = re.compile(r"(?:US\$|\$|£|€)?\s?")
_BETWEEN_WORD = re.compile(r"\b(?:between|from)\s+\S*$", re.IGNORECASE)
_BETWEEN = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
_HYPHEN_NOUN = re.compile(r"-(?P<w>[a-z]+(?:-[a-z]+)*)")


def _may_have_qualifier(window: str) -> bool:
    words = window[-16:].split()
    if not words:
        return False
    token = words[-1]
    low = token.lower()
    return token[-1] in "<>≤≥~=$£€¥₹₦₽-−" or low in _QUAL_LAST or low.rstrip("$") in ("us", "a", "c", "hk", "r")


def _extend_left(text: str, fig: Figure) -> None:
    s = fig.start
    # The patterns end at ``s`` ("$" at endpos) and are searched only over the few
    # characters they can span: searching a whole window costs a try at every position.
    tail = text[max(0, s - 6) : s].rstrip()[-4:]
    if not tail:
        return
    # A currency sign or code ends in a symbol, "." (Rs.) or the last letter of USD, EUR, GBP, CHF, Rs.
    m = _CURRENCY_BEFORE.search(text, max(0, s - 8), s) if tail[-1] in "$£€¥₹₦₽.dDrRpPfFsS" else None
    if m:
        sign = m.group().strip().lower()
        fig.unit = CURRENCY_SIGNS.get(sign, CURRENCY_SIGNS.get(sign.rstrip("."), sign.upper()))
        s = m.start()
    last = text[s - 1 : s]
    m = _SIGN_BEFORE.search(text, max(0, s - 12), s) if last in ("-", "−", "+") or text[max(0, s - 2) : s].rstrip()[-1:] in ("e", "y") else None
    if m:
        fig.value = fig.value if fig.value.startswith("-") else "-" + fig.value
        s = m.start()
    window = text[max(0, s - 40) : s]
    if window.rstrip(" -").lower().endswith("magnitude"):
        fig.unit = "magnitude"
        s -= len(window) - len(window.rstrip(" -")) + len("magnitude")
        window = text[max(0, s - 40) : s]
    m = _QUAL_BEFORE.search(window, max(0, len(window) - 28)) if _may_have_qualifier(window) else None
    if m and m.group().strip():
        qual = m.group().strip()
        if _NEGATIVE_END.search(qual) and not fig.value.startswith("-"):
            fig.value = "-" + fig.value
        cur = _SIGN_IN.search(qual)
        if cur and not fig.unit:
            fig.unit = CURRENCY_SIGNS.get(cur.group(1).lower(), "")
        fig.qualifier = _SIGN_END.sub("", qual).strip().lower()
        # Quantifier words that are also determiners only count right before the number.
        s -= len(m.group())
    fig.start = s


def _extend_right(text: str, fig: Figure, kind: str, core: re.Match[str]) -> None:
    e = fig.end
    limit = min(len(text), e + 80)
    try:
        base: float | None = float(fig.value)
    except ValueError:
        base = None
    # A peek at what follows spares most of the patterns below.
    peek = text[e : e + 12].lstrip().lower()
    m = _SCALE_AFTER.match(text, e, limit) if peek[:1] in ("h", "t", "m", "b", "k", "-") else None
    if m and kind in ("digits", "words", "ascale", "several", "afrac") and not (
        m.group("abbr") and m.group("abbr").lower() in ("m", "b") and not fig.unit
    ):
        factor = SCALES.get((m.group("scale") or "").lower()) or SCALE_ABBREV.get((m.group("abbr") or "").lower(), 1)
        if base is not None:
            fig.value = format_number(base * factor * (1.5 if "half" in m.group().lower() else 1))
        e = m.end()
    # Ranges: "10-20", "10 to 15 percent", "between 5 and 10"
    peek = text[e : e + 12].lstrip().lower()
    m = (
        _RANGE_AFTER.match(text, e, limit)
        if peek[:1] in ("-", "–", "—", "~") or peek.startswith(("to ", "and ", "or ", "through "))
        else None
    )
    if m:
        pos = m.end()
        sign = _RANGE_SIGN.match(text[pos:limit])
        rest = _RANGE_END.match(text, pos + (sign.end() if sign else 0), limit)
        joiner = m.group().strip().lower()
        between = _BETWEEN_WORD.search(text[max(0, fig.start - 12) : fig.start])
        is_range = joiner in ("-", "–", "—", "~", "to", "through") or (joiner in ("and", "or") and between)
        if rest and rest.lastgroup == "words" and (
            _compound_end(rest.group()) < len(rest.group()) or (joiner == "-" and kind == "words" and base == 0)
        ):
            rest = None  # "three-nought-four" lists numbers
        if rest and is_range and not _is_date_or_time(text, rest.start(), rest.end(), rest.group().replace(",", "")):
            hi = _mixed_value(rest.group()) if rest.lastgroup == "digits" else words_to_number(rest.group())
            if hi is not None:
                e = rest.end()
                sm = _SCALE_AFTER.match(text, e, limit)
                factor = 1
                if sm and not (sm.group("abbr") and sm.group("abbr").lower() in ("m", "b") and not fig.unit):
                    factor = SCALES.get((sm.group("scale") or "").lower()) or SCALE_ABBREV.get((sm.group("abbr") or "").lower(), 1)
                    e = sm.end()
                fig.value = f"{fig.value}..{format_number(hi * factor)}"
    # Include a preceding "between"/"from" when we formed a range.
    if ".." in fig.value:
        b = _BETWEEN.search(text[max(0, fig.start - 10) : fig.start])
        if b:
            fig.start -= len(b.group())
    peek = text[e : e + 3].lstrip()[:1].lower()
    m = _PERCENT_AFTER.match(text, e, limit) if peek in ("%", "p") else None
    if m:
        fig.unit = "%"
        fig.value = fig.value + "%"
        fig.end = m.end()
        fig.score = max(fig.score, 0.9)
        return
    m = _CURRENCY_WORD_AFTER.match(text, e, limit)
    if m and not fig.unit:
        between = m.group()[: m.start("cur") - m.start()].strip().lower()
        if not between or between not in STOP_WORDS:
            fig.unit = CURRENCY_WORDS[m.group("cur").lower()]
            e = m.end()
            fig.end = e
            fig.score = 0.9
            return
    if fig.unit:  # currency sign before the number
        fig.end = e
        fig.score = 0.9
        return
    m = _UNIT_WORD_AFTER.match(text, e, limit)
    if m:
        fig.unit = UNIT_WORDS[m.group("unit").lower()]
        fig.end = m.end()
        fig.score = 0.85
        return
    m = _UNIT_ABBREV_AFTER.match(text, e, limit) if kind in ("digits", "fracdigits", "ufrac", "sci") else None
    if m and _abbrev_ok(text, m):
        fig.unit = m.group("unit")
        fig.end = m.end()
        fig.score = 0.8
        return
    m = _AGE.match(text, e, limit) if "old" in text[e:limit] else None
    if m:
        fig.unit = "years"
        fig.noun = "age"
        fig.end = m.end()
        return
    # Counted noun ("11 soldiers", "5,000 alleged members", "two weeks ago").
    hyphen = _HYPHEN_NOUN.match(text[e:limit])
    if hyphen and hyphen.group("w").partition("-")[0].lower() not in _NUMBER_WORDS:
        fig.noun = hyphen.group("w")
        fig.end = e + hyphen.end()
        return
    noun_end, noun = _take_noun(text, e, limit)
    if noun:
        fig.noun = noun
        e = noun_end
        last = noun.split()[-1].lower()
        if last in _TIME_NOUNS:
            ago = _TIME_NOUN_AGO.match(text, e, limit)
            if ago:
                e = ago.end()
    fig.end = e


def _abbrev_ok(text: str, m: re.Match[str]) -> bool:
    unit = m.group("unit").lower()
    spaced = m.group().startswith(" ")
    # One-letter units and "in"/"pm" are only units when written against the number.
    if unit in ("m", "t", "g", "l", "in", "pm", "mi", "°", "\"", "′", "″", "b") and spaced:
        return unit in ('"',)
    return True
