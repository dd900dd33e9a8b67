"""Helpers for building fast regular expressions from word lists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


def word_alternation(words: Iterable[str], after: Mapping[str, str] | None = None) -> str:
    """A regex (no groups) matching exactly the given words, factored as a trie.

    Python's ``re`` tries the branches of ``a|b|c`` one by one at every position;
    sharing prefixes ("officer|officers|official" → "offic(?:er|ers|ial)") makes
    a long list of words many times cheaper to match. Longer words come first at
    each branch point, so the longest word wins as in a sorted alternation.

    ``after`` maps some words to a pattern that must follow them (usually a
    lookahead): "next" only before a period of time; a word there is matched only
    with its pattern, even if ``words`` holds it too. Keeping such words in the
    same trie costs far less than a second alternation tried at every position.
    """
    after = after or {}
    trie: dict = {}
    for word in set(words) | set(after):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = after.get(word, "")
    return _render(trie)


def _render(node: dict) -> str:
    branches = []
    end = node.get("")
    for ch in sorted((k for k in node if k), key=lambda k: -_depth(node[k])):
        branches.append(re.escape(ch) + _render(node[ch]))
    if end is None:
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if not branches:
        return end
    if end:
        return f"(?:{'|'.join(branches + [end])})"
    body = "|".join(branches)
    return f"(?:{body})?"


def _depth(node: dict) -> int:
    return 1 + max((_depth(v) for k, v in node.items() if k), default=0)
