"""Agreement over a corpus annotated by several analysts (target: 1,000 articles x 3
analysts under 2 s), without a server: the corpus of bench_team.py (30 spans per
analyst and article of ~5,000 characters), built once, then the report computed
``--runs`` times (median and worst; the first run reads the file cold).

    python benchmarks/bench_team_agreement.py [--articles 1000] [--analysts 3] [--runs 5] [--profile]

Prints one JSON object (``--profile``: cProfile's top functions on standard error).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_team import build_corpus

from annotator.services.agreement import compute_agreement
from annotator.services.workspace import open_workspace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--analysts", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    names = ["ana", "ben", "cy", "dee", "eli", "fay"][: args.analysts]
    folder = Path(tempfile.mkdtemp(prefix="bench-agreement-"))
    store = open_workspace(folder / "team.db")
    build_corpus(store, random.Random(5), args.articles, args.analysts * args.articles * 30, names)
    times = []
    report = None
    for _ in range(args.runs):
        start = time.perf_counter()
        report = compute_agreement(store)
        times.append(time.perf_counter() - start)
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(compute_agreement, store)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    store.close()
    print(json.dumps({
        "articles": args.articles, "analysts": args.analysts,
        "annotations": args.analysts * args.articles * 30,
        "scores": len(report.scores), "disagreements": len(report.disagreements),
        "agreement_s_median": round(statistics.median(times), 3), "agreement_s_max": round(max(times), 3),
        "agreement_s_runs": [round(t, 3) for t in times],
    }, indent=1))


if __name__ == "__main__":
    main()
