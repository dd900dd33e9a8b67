"""REFI-QDA codebook (``.qdc``): the tags alone, nested as categories and codes,
with their descriptions (memos) and colours, for QualCoder, MAXQDA, ATLAS.ti and
NVivo. Writer and reader side by side; the XML is parsed with entities forbidden."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from annotator.domain import Tag
from annotator.formats.document import stable_guid
from annotator.formats.qdpx import code_lines
from annotator.formats.records import ImportFormatError
from annotator.formats.safety import parse_xml

NAMESPACE = "urn:QDA-XML:codebook:1.0"
MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class CodeRecord:
    """One code of a codebook; ``parent`` is the name of the code it is nested in."""

    name: str
    colour: str = ""
    description: str = ""
    parent: str = ""


def write_qdc(tags: list[Tag]) -> str:
    """The codebook of ``tags`` as REFI-QDA XML (sub-tags nested in their category)."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<CodeBook xmlns="{NAMESPACE}">', "  <Codes>"]
    lines += code_lines(tags, lambda tag: stable_guid("tag", tag.name), 4)
    lines += ["  </Codes>", "</CodeBook>", ""]
    return "\n".join(lines)


def read_qdc(data: bytes, where: str) -> list[CodeRecord]:
    """The codes of a REFI-QDA codebook (``.qdc``, or the codebook of a ``project.qde``),
    parents before their children. Raises ImportFormatError naming ``where``."""
    if len(data) > MAX_BYTES:
        raise ImportFormatError(f"{where} is larger than {MAX_BYTES // 1_000_000} MB; it is not a codebook.")
    root = parse_xml(data, where)
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    q = (lambda name: f"{{{namespace}}}{name}") if namespace else (lambda name: name)
    codes = root.find(q("Codes")) if root.tag == q("CodeBook") else root.find(f"{q('CodeBook')}/{q('Codes')}")
    if codes is None:
        raise ImportFormatError(f"{where} has no <Codes>: it is not a REFI-QDA codebook.")
    records: list[CodeRecord] = []

    def walk(element, parent: str) -> None:
        for child in element.findall(q("Code")):
            name = " ".join((child.get("name") or "").split())
            if not name:
                raise ImportFormatError(f"{where}: a <Code> has no name.")
            description = child.find(q("Description"))
            records.append(CodeRecord(name, child.get("color") or "",
                                      (description.text or "").strip() if description is not None else "", parent))
            walk(child, name)

    walk(codes, "")
    return records


def read_qdc_file(path: str | Path) -> list[CodeRecord]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFormatError(f"{path}: cannot be read ({error.strerror or error}).") from error
    return read_qdc(data, str(path))
