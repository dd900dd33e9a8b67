"""Intake quality, printed as JSON.

1. The trafilatura evaluation pages: our stored text vs trafilatura's default
   extraction. For every page the share of must-contain snippets present and
   of must-not-contain snippets present is counted, after collapsing
   whitespace (as upstream's eval_common.norm does).
2. Pasted-text fixtures with typical furniture (benchmarks/fixtures/furniture.jsonl,
   each line marked "A" for article or "F" for furniture): the share of
   furniture lines removed and of article lines kept.

    python benchmarks/eval_intake.py [EVAL_DIR] [--details]
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.ingest import IngestError, read_path, read_text  # noqa: E402

DEFAULT_DIR = ROOT.parent / "shared" / "eval" / "trafilatura_eval"
FURNITURE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "furniture.jsonl"


def furniture_fixtures(path: Path = FURNITURE_FIXTURES) -> dict:
    """Furniture removed and article lines kept on the pasted-text fixtures."""
    furniture = removed = article = kept = 0
    failures = []
    for fixture in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        raw = "\n".join(text for _, text in fixture["lines"])
        result = read_text(raw)
        lines = set(result.text.split("\n"))
        for kind, text in fixture["lines"]:
            if not text:
                continue
            if kind == "F":
                furniture += 1
                removed += text not in lines
                if text in lines:
                    failures.append({"fixture": fixture["name"], "furniture_kept": text})
            else:
                article += 1
                kept += text in lines
                if text not in lines:
                    failures.append({"fixture": fixture["name"], "article_line_lost": text})
    return {
        "furniture_removed": f"{removed}/{furniture}",
        "article_lines_kept": f"{kept}/{article}",
        "failures": failures,
    }


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def score(texts: dict[str, str], records: list[dict]) -> dict:
    wanted = found = unwanted = leaked = 0
    for record in records:
        text = norm(texts.get(record["id"], ""))
        for snippet in record["must_contain"]:
            wanted += 1
            found += norm(snippet) in text
        for snippet in record["must_not_contain"]:
            unwanted += 1
            leaked += norm(snippet) in text
    return {
        "must_contain_present": round(found / wanted, 4),
        "must_not_contain_present": round(leaked / unwanted, 4),
        "must_contain": f"{found}/{wanted}",
        "must_not_contain": f"{leaked}/{unwanted}",
    }


def misses(texts: dict[str, str], records: list[dict]) -> list[dict]:
    out = []
    for record in records:
        text = norm(texts.get(record["id"], ""))
        missing = [s for s in record["must_contain"] if norm(s) not in text]
        leaked = [s for s in record["must_not_contain"] if norm(s) in text]
        if missing or leaked:
            out.append({"id": record["id"], "missing": missing, "leaked": leaked})
    return out


def main(argv: list[str]) -> None:
    import trafilatura

    details = "--details" in argv
    args = [a for a in argv if not a.startswith("--")]
    folder = Path(args[0]) if args else DEFAULT_DIR
    records = [json.loads(line) for line in (folder / "records.jsonl").read_text(encoding="utf-8").splitlines() if line]

    ours: dict[str, str] = {}
    errors: dict[str, str] = {}
    start = time.perf_counter()
    for record in records:
        try:
            ours[record["id"]] = read_path(folder / record["html_file"]).text
        except IngestError as error:
            errors[record["id"]] = str(error)
    ours_seconds = time.perf_counter() - start

    baseline: dict[str, str] = {}
    start = time.perf_counter()
    for record in records:
        html = gzip.decompress((folder / record["html_file"]).read_bytes())
        baseline[record["id"]] = trafilatura.extract(html) or ""
    baseline_seconds = time.perf_counter() - start

    result = {
        "pages": len(records),
        "annotator": {**score(ours, records), "errors": errors, "seconds": round(ours_seconds, 2)},
        "trafilatura_default": {**score(baseline, records), "seconds": round(baseline_seconds, 2)},
        "targets": {"must_contain_present": ">= 0.95", "must_not_contain_present": "<= 0.05"},
        "furniture_fixtures": furniture_fixtures(),
    }
    if details:
        result["annotator"]["misses"] = misses(ours, records)
        result["trafilatura_default"]["misses"] = misses(baseline, records)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
