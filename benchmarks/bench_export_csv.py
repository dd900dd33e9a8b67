"""CSV export of 1,000,000 annotations vs the sqlite3 shell's own ``.mode csv``
output of the same SELECT, measured in the same run.

    python benchmarks/bench_export_csv.py [--annotations N] [--articles N] [--workdir DIR]

Prints one JSON object. Needs the ``sqlite3`` command-line shell (Debian package
``sqlite3``) for the comparison. The database is built once in the work folder
and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_data import build  # noqa: E402

from annotator.services.exporting import export_csv  # noqa: E402
from annotator.store import open_store  # noqa: E402


def export_select(store) -> str:
    """The exact SELECT the export runs, with its parameters bound (SQLite's own
    expansion of the statement), so that the shell runs the same query."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    rows = store.iter_export_rows()
    next(rows)
    rows.close()
    store.conn.set_trace_callback(None)
    return next(s for s in seen if s.lstrip().upper().startswith("SELECT"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotations", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "annotator-bench")
    args = parser.parse_args()
    shell = shutil.which("sqlite3")
    if shell is None:
        sys.exit("the sqlite3 shell is needed for the comparison: apt-get install sqlite3")

    args.workdir.mkdir(parents=True, exist_ok=True)
    per_article = args.annotations // args.articles
    t0 = time.perf_counter()
    db = build(args.workdir / f"export-{args.articles}x{per_article}.db", articles=args.articles, chars=6_000,
               annotations_per_article=per_article)
    setup_s = time.perf_counter() - t0

    store = open_store(db)
    count = store.count_annotations()
    sql = export_select(store)
    ours_out = args.workdir / "ours.csv"
    shell_out = args.workdir / "shell.csv"
    ours, theirs = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        written = export_csv(store, ours_out)
        ours.append(time.perf_counter() - t)
        assert written == count
        t = time.perf_counter()
        with open(shell_out, "wb") as fh:
            subprocess.run([shell, "-readonly", "-csv", "-header", str(db), sql], stdout=fh, check=True)
        theirs.append(time.perf_counter() - t)
    store.close()
    shell_version = subprocess.run([shell, "-version"], capture_output=True, text=True).stdout.split()[0]
    ours_s, shell_s = statistics.median(ours), statistics.median(theirs)
    print(json.dumps({
        "benchmark": "export_csv",
        "annotations": count,
        "articles": args.articles,
        "ours_s": round(ours_s, 3),
        "sqlite3_shell_s": round(shell_s, 3),
        "ratio": round(ours_s / shell_s, 2),
        "target_ratio": 3.0,
        "ok": ours_s / shell_s <= 3.0,
        "ours_mb": round(ours_out.stat().st_size / 1e6, 1),
        "shell_mb": round(shell_out.stat().st_size / 1e6, 1),
        "runs_ours_s": [round(x, 3) for x in ours],
        "runs_shell_s": [round(x, 3) for x in theirs],
        "setup_s": round(setup_s, 1),
        "sqlite3_shell": shell_version,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }))


if __name__ == "__main__":
    main()
