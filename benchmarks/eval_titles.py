"""Titles of plain-text imports whose first line is a lede, not a headline.

    python benchmarks/eval_titles.py [--eval ../shared/eval]

Every paragraph of PolNeAR's training articles longer than 120 characters is
taken as the first line of a pasted article; prints JSON: how many titles are
cut in the middle of a word, how many are the whole first sentence.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from annotator.domain import title_from_text


def cut_mid_word(title: str, text: str) -> bool:
    stem = title[:-1] if title.endswith("…") else None
    return stem is not None and text.startswith(stem) and len(text) > len(stem) and text[len(stem)].isalnum()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "eval")
    args = parser.parse_args()
    records = args.eval / "polnear_attribution_train" / "records.jsonl"
    with records.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    ledes = [p.strip() for t in texts for p in t.split("\n") if len(p.strip()) > 120]
    titles = [title_from_text(p) for p in ledes]
    print(json.dumps({
        "benchmark": "titles", "source": str(records), "ledes": len(ledes),
        "cut_mid_word": sum(cut_mid_word(t, p) for t, p in zip(titles, ledes)),
        "whole_first_sentence": sum(not t.endswith("…") for t in titles),
        "longest_title": max(map(len, titles)),
    }))


if __name__ == "__main__":
    main()
