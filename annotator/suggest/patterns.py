"""Helpers for building fast regular expressions from word lists."""

from __future__ import annotations

import re
from collections.abc import Iterable


def word_alternation(words: Iterable[str]) -> str:
    """A regex (no groups) matching exactly the given words, factored as a trie.

    Python's ``re`` tries the branches of ``a|b|c`` one by one at every position;
    sharing prefixes ("officer|officers|official" → "offic(?:er|ers|ial)") makes
    a long list of words many times cheaper to match. Longer words come first at
    each branch point, so the longest word wins as in a sorted alternation.
    """
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _render(trie)


def _render(node: dict) -> str:
    branches = []
    optional = "" in node
    for ch in sorted((k for k in node if k), key=lambda k: -_depth(node[k])):
        branches.append(re.escape(ch) + _render(node[ch]))
    if not branches:
        return ""
    if len(branches) == 1 and not optional:
        return branches[0]
    body = "|".join(branches)
    return f"(?:{body})?" if optional else f"(?:{body})"


def _depth(node: dict) -> int:
    return 1 + max((_depth(v) for k, v in node.items() if k), default=0)
