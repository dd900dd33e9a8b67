"""Fit the attribution tagger (annotator/suggest/attribution.crfsuite) on PolNeAR's fit part.

PolNeAR (Newell, Margolin and Ruths, LREC 2018; ``polnear_attribution_train`` in the shared
eval folder, see its SOURCE.txt) is split by date as in ``eval_suggest.py``: only articles
dated before ``POLNEAR_DEV_FROM`` are used here; the development part is never seen.
Gold source, cue and content spans become BIO labels per paragraph
(:func:`annotator.suggest.tagger.bio`); CRFsuite fits a linear-chain CRF with L-BFGS and
elastic-net regularisation. Beside the weights it writes the lexicon the features read
(``attribution.lexicon.tsv``: each frequent word's share of occurrences inside gold cues and
sources of the same articles). Prints JSON (sizes, seconds, model bytes).

    python benchmarks/train_attribution.py                      # writes the shipped weights
    python benchmarks/train_attribution.py --out /tmp/m.crfsuite --iterations 50
    python benchmarks/train_attribution.py --out /tmp/tune.crfsuite --before 2016-07-01
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pycrfsuite  # noqa: E402

from annotator.suggest import tagger  # noqa: E402
from benchmarks.eval_suggest import load, polnear_split  # noqa: E402

_LABEL = {"source": "SRC", "cue": "CUE", "content": "CON"}


# A word enters the lexicon when it occurs this often in the fit records.
LEXICON_MIN_COUNT = 3


def lexicon_rows(records: list[dict]) -> dict[str, tuple[float, float]]:
    """Each frequent word's and crude lemma's (``~`` prefixed) share of occurrences inside gold
    cue and source spans of ``records``; rows with both shares under the lowest bucket are left out."""
    total: Counter = Counter()
    inside = {"cue": Counter(), "source": Counter()}
    for rec in records:
        text = rec["text"]
        marks = {label: [(s["start"], s["end"]) for s in rec["spans"] if s["label"] == label] for label in inside}
        for s, e in tagger.tokens(text):
            low = text[s:e].lower()
            keys = (low, "~" + tagger._lemma(low))
            total.update(keys)
            for label, spans in marks.items():
                if any(gs <= s and e <= ge for gs, ge in spans):
                    inside[label].update(keys)
    rows = {}
    for key, n in total.items():
        if n >= LEXICON_MIN_COUNT:
            cue, src = inside["cue"][key] / n, inside["source"][key] / n
            if max(cue, src) >= tagger._RATE_BUCKETS[0]:
                rows[key] = (round(cue, 3), round(src, 3))
    return rows


def write_lexicon(rows: dict[str, tuple[float, float]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for key in sorted(rows):
            fh.write(f"{key}\t{rows[key][0]}\t{rows[key][1]}\n")


def sequences(records: list[dict], lexicon: tagger.Lexicon):
    """(features, labels) of every paragraph window of ``records``."""
    for rec in records:
        text = rec["text"]
        gold = [(_LABEL[s["label"]], s["start"], s["end"]) for s in rec["spans"] if s["label"] in _LABEL]
        for toks in tagger.paragraphs(text):
            ps, pe = toks[0][0], toks[-1][1]
            inside = [g for g in gold if g[1] < pe and g[2] > ps]
            yield tagger.features(text, toks, lexicon), tagger.bio(toks, inside)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--out", type=Path, default=ROOT / "annotator" / "suggest" / tagger.MODEL_FILE)
    # Chosen on the fit part's held-out month (eval_suggest.py --polnear holdout) with weights
    # fitted before it: c1 0.1/100 iterations (source F1 0.726), 0.2/150 (0.735), 0.5/200
    # (0.740), 1.0/200 (0.741); the stronger L1 also shrinks the file from 15 MB to 4 MB.
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--c1", type=float, default=1.0)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--minfreq", type=int, default=2)
    ap.add_argument("--before", default="",
                    help="fit only on articles dated before this (e.g. 2016-07-01, to choose settings on the"
                         " rest of the fit part); the shipped weights use the whole fit part")
    args = ap.parse_args(argv)

    records = load(args.shared / "polnear_attribution_train" / "records.jsonl")
    fit = [r for r in polnear_split(records)["fit"] if not args.before or r["date"] < args.before]
    t0 = time.perf_counter()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    rows = lexicon_rows(fit)
    write_lexicon(rows, tagger.lexicon_path(args.out))
    lexicon = tagger.Lexicon(rows)
    trainer = pycrfsuite.Trainer(verbose=False)
    n_seq = n_tok = 0
    for xs, ys in sequences(fit, lexicon):
        trainer.append(xs, ys)
        n_seq += 1
        n_tok += len(ys)
    t1 = time.perf_counter()
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.iterations,
            "feature.minfreq": args.minfreq,
            "feature.possible_transitions": True,
        }
    )
    trainer.train(str(args.out))
    t2 = time.perf_counter()
    print(
        json.dumps(
            {
                "articles": len(fit), "sequences": n_seq, "tokens": n_tok,
                "features_s": round(t1 - t0, 1), "train_s": round(t2 - t1, 1),
                "model_bytes": args.out.stat().st_size, "lexicon_rows": len(rows), "out": str(args.out),
                "params": {"c1": args.c1, "c2": args.c2, "iterations": args.iterations, "minfreq": args.minfreq},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
