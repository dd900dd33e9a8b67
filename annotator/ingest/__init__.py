"""Article intake: files, folders, clipboard and text in; clean article text and metadata out.

No Qt here. Every problem with the input is an :class:`IngestError` whose
message names the file and the problem.
"""

from .boilerplate import (
    FurnitureIndex,
    drop_lines,
    find_boilerplate,
    furniture_lines,
    is_furniture,
    remove_furniture,
    strip_boilerplate,
)
from .errors import IngestError
from .reader import (
    MAX_FILE_BYTES,
    clean_article,
    iter_paths,
    read_clipboard,
    read_path,
    read_text,
)

__all__ = [
    "FurnitureIndex",
    "IngestError",
    "MAX_FILE_BYTES",
    "clean_article",
    "drop_lines",
    "find_boilerplate",
    "furniture_lines",
    "is_furniture",
    "iter_paths",
    "read_clipboard",
    "read_path",
    "read_text",
    "remove_furniture",
    "strip_boilerplate",
]
