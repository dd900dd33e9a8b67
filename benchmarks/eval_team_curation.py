"""Agreement and curation on real news with real disagreements: PolNeAR's trained
annotators against annotator's own suggesters, as three "analysts" of one corpus.

- ``polnear``: PolNeAR's attributions (source spans as sources, content spans as claims);
- ``rules``: the suggestion rules alone; ``model``: the rules with the attribution tagger.

Measured: agreement between them (corpus kappa, alpha, span F1 per pair) and its time;
how the curation groups come out on real text (how many, how many spans and analysts
per group, the largest, how many agreed) and their time; then a lead's pass through
the services (accept the agreed groups and PolNeAR's spans, reject the rest) until every
article is curated, with the time per action.

    python benchmarks/eval_team_curation.py [--articles 100] [--data ../shared/eval/polnear_attribution_train]

Reads the last ``--articles`` records (not the ones the tagger is fitted on first).
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.domain import Annotation, NewArticle
from annotator.services.agreement import compute_agreement
from annotator.services.curation import (
    accept_span,
    curation_groups,
    curation_overview,
    reject_group,
)
from annotator.services.workspace import open_workspace
from annotator.suggest import suggest

GOLD = {"source": "source", "content": "claim"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--data", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear_attribution_train")
    args = parser.parse_args()
    records = [json.loads(line) for line in (args.data / "records.jsonl").read_text(encoding="utf-8").splitlines()]
    records = records[-args.articles:]
    store = open_workspace(Path(tempfile.mkdtemp(prefix="eval-curation-")) / "team.db")
    tags = {name: store.tag_by_name(name).id for name in ("source", "claim")}
    stamp = "2026-12-04T00:00:00+00:00"
    for record in records:
        text = record["text"]
        article_id, _ = store.insert_article(NewArticle(title=record["id"], text=text, source_format="txt"))
        rows = [Annotation(0, article_id, tags[GOLD[s["label"]]], s["start"], s["end"], s["text"],
                           annotator="polnear", created=stamp)
                for s in record["spans"] if s["label"] in GOLD and text[s["start"]:s["end"]] == s["text"]]
        for analyst, model in (("rules", False), ("model", True)):
            rows += [Annotation(0, article_id, tags[s.tag], s.start, s.end, text[s.start:s.end], annotator=analyst,
                                created=stamp)
                     for s in suggest(text, ("source", "claim"), model=model)]
        store.insert_annotations(rows)

    started = time.perf_counter()
    report = compute_agreement(store)
    agreement_s = time.perf_counter() - started
    pairs = {s.pair: {"kappa": round(s.kappa, 3), "alpha": round(s.alpha, 3), "f1_exact": round(s.f1_exact, 3),
                      "f1_overlap": round(s.f1_overlap, 3)}
             for s in report.scores if s.article_id is None and s.tag == "*" and s.kappa is not None}

    ids = [i for i in store.article_ids() if store.get_article(i).title in {r["id"] for r in records}]
    started = time.perf_counter()
    groups = {i: curation_groups(store, i) for i in ids}
    groups_s = time.perf_counter() - started
    every = [g for found in groups.values() for g in found]
    spans = Counter(len(g.candidates) for g in every)
    analysts = Counter(len(g.analysts) for g in every)
    largest = max(every, key=lambda g: len(g.candidates))

    actions = []
    for article_id in ids:
        for _ in range(10_000):  # one action at a time, as the lead works, until the article is settled
            open_groups = [g for g in curation_groups(store, article_id) if not g.settled]
            if not open_groups:
                break
            group = open_groups[0]
            gold = [s for s in group.candidates if s.analyst == "polnear"]
            started = time.perf_counter()
            if gold:
                accept_span(store, annotation_id=gold[0].annotation_id)
            else:
                reject_group(store, annotation_id=group.candidates[0].annotation_id)
            actions.append(time.perf_counter() - started)
    states = Counter(s.state for s in curation_overview(store, ids))
    store.close()
    print(json.dumps({
        "articles": len(ids), "annotations": {a: n for a, n in Counter(
            s.analyst for g in every for s in g.candidates).items()},
        "agreement_s": round(agreement_s, 3), "corpus_scores": pairs,
        "groups": len(every), "groups_s": round(groups_s, 3),
        "groups_agreed": sum(g.agreed and len(g.analysts) > 1 for g in every),
        "spans_per_group": dict(sorted(spans.items())), "analysts_per_group": dict(sorted(analysts.items())),
        "largest_group": {"spans": len(largest.candidates), "characters": largest.end - largest.start},
        "curation_actions": len(actions), "action_ms_median": round(statistics.median(actions) * 1000, 2),
        "action_ms_max": round(max(actions) * 1000, 2), "article_states_after": dict(states),
    }, indent=1))


if __name__ == "__main__":
    main()
