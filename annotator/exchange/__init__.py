"""Reading annotation files written by annotator and by other tools (no Qt, no SQL).

Each reader turns one file into a :class:`~annotator.exchange.records.ParsedFile`:
articles (with their text when the file carries it), tags and spans, exactly as
the file states them. Matching them to the database, checking every span and
writing happen in :mod:`annotator.services.exchange`.
"""

from annotator.exchange.records import ArticleRecord, ImportFormatError, ParsedFile, SpanRecord, TagRecord
from annotator.exchange.readers import FORMATS, detect_format, read_file

__all__ = [
    "FORMATS", "ArticleRecord", "ImportFormatError", "ParsedFile", "SpanRecord", "TagRecord",
    "detect_format", "read_file",
]
