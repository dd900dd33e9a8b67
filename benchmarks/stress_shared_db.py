"""Many rounds of the shared-database scenario with random timing: windows
tagging while their background jobs run, the command line and plain sqlite3
clients on the same file, then SIGKILL of every window.

    python benchmarks/stress_shared_db.py [--rounds 20] [--windows 1]

Prints one JSON object: rounds run, annotations reported saved by the windows,
and how many of those (and of the other programs' writes) were lost, plus any
round whose database failed PRAGMA integrity_check.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("shared_db", ROOT / "tests" / "store" / "shared_db.py")
shared_db = importlib.util.module_from_spec(_spec)
sys.modules["shared_db"] = shared_db
_spec.loader.exec_module(shared_db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--windows", type=int, default=1)
    args = parser.parse_args()
    seeds = random.Random().sample(range(1_000_000), args.rounds)
    totals = {"rounds": 0, "window_saved": 0, "window_lost": 0, "external_saved": 0, "external_lost": 0,
              "cli_imported": 0, "cli_lost": 0, "jobs": 0, "failed_integrity": [], "errors": []}
    started = time.monotonic()
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            outcome = shared_db.run_scenario(Path(tmp), seed, windows=args.windows)
        totals["rounds"] += 1
        totals["window_saved"] += len(outcome.window_saved)
        totals["window_lost"] += len(outcome.lost)
        totals["external_saved"] += len(outcome.external_saved)
        totals["external_lost"] += len(outcome.lost_external)
        totals["cli_imported"] += len(outcome.imported_articles)
        totals["cli_lost"] += len(outcome.lost_articles)
        totals["jobs"] += len(outcome.jobs)
        if outcome.integrity != "ok":
            totals["failed_integrity"].append(seed)
        totals["errors"] += [f"seed {seed}: {e[-300:]}" for e in outcome.errors]
    totals["windows"] = args.windows
    totals["seconds"] = round(time.monotonic() - started, 1)
    print(json.dumps(totals, indent=2))


if __name__ == "__main__":
    main()
