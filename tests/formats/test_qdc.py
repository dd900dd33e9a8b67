"""The REFI-QDA codebook (.qdc): nested codes with memos out and back in."""

from __future__ import annotations

import pytest

from annotator.domain import Tag, codebook_order
from annotator.formats.qdc import CodeRecord, read_qdc, write_qdc
from annotator.formats.records import ImportFormatError


def test_categories_nest_and_come_back_with_their_memos():
    tags = [Tag(1, "actors", "#112233", description="Who acts <in> the story & why"),
            Tag(2, "victim", "#445566", "4", parent_id=1), Tag(3, "child", "#000000", parent_id=2),
            Tag(4, "claim", "#3B82F6")]
    assert read_qdc(write_qdc(tags).encode("utf-8"), "book.qdc") == [
        CodeRecord("actors", "#112233", "Who acts <in> the story & why", ""),
        CodeRecord("victim", "#445566", "", "actors"),
        CodeRecord("child", "#000000", "", "victim"),
        CodeRecord("claim", "#3B82F6", "", ""),
    ]


def test_a_loop_of_categories_still_lists_every_tag_once():
    tags = [Tag(1, "a", "#000000", parent_id=2), Tag(2, "b", "#000000", parent_id=1), Tag(3, "c", "#000000")]
    assert sorted(t.name for t, _depth in codebook_order(tags)) == ["a", "b", "c"]


@pytest.mark.parametrize("data, problem", [
    (b"<CodeBook><Sets/></CodeBook>", "has no <Codes>"),
    (b"<CodeBook><Codes><Code/></Codes></CodeBook>", "a <Code> has no name"),
    (b"<!DOCTYPE x [<!ENTITY e 'boom'>]><CodeBook/>", "declares a DTD"),
    (b"not xml", "not well-formed XML"),
])
def test_bad_codebooks_are_refused_with_the_file_named(data, problem):
    with pytest.raises(ImportFormatError, match=problem) as error:
        read_qdc(data, "team.qdc")
    assert "team.qdc" in str(error.value)
