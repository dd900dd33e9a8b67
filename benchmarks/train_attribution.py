"""Fit the attribution tagger (annotator/suggest/attribution.crfsuite) on PolNeAR's fit part.

PolNeAR (Newell, Margolin and Ruths, LREC 2018; ``polnear_attribution_train`` in the shared
eval folder, see its SOURCE.txt) is split by date as in ``eval_suggest.py``: only articles
dated before ``POLNEAR_DEV_FROM`` are used here; the development part is never seen.
Gold source, cue and content spans become BIO labels per paragraph
(:func:`annotator.suggest.tagger.bio`); CRFsuite fits a linear-chain CRF with L-BFGS and
elastic-net regularisation. Prints JSON (sizes, seconds, model bytes).

    python benchmarks/train_attribution.py                      # writes the shipped weights
    python benchmarks/train_attribution.py --out /tmp/m.crfsuite --iterations 50
    python benchmarks/train_attribution.py --out /tmp/tune.crfsuite --before 2016-07-01
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pycrfsuite  # noqa: E402

from annotator.suggest import tagger  # noqa: E402
from benchmarks.eval_suggest import load, polnear_split  # noqa: E402

_LABEL = {"source": "SRC", "cue": "CUE", "content": "CON"}


def sequences(records: list[dict]):
    """(features, labels) of every paragraph window of ``records``."""
    for rec in records:
        text = rec["text"]
        gold = [(_LABEL[s["label"]], s["start"], s["end"]) for s in rec["spans"] if s["label"] in _LABEL]
        for toks in tagger.paragraphs(text):
            ps, pe = toks[0][0], toks[-1][1]
            inside = [g for g in gold if g[1] < pe and g[2] > ps]
            yield tagger.features(text, toks), tagger.bio(toks, inside)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--out", type=Path, default=ROOT / "annotator" / "suggest" / tagger.MODEL_FILE)
    ap.add_argument("--iterations", type=int, default=100)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--minfreq", type=int, default=2)
    ap.add_argument("--before", default="",
                    help="fit only on articles dated before this (e.g. 2016-07-01, to choose settings on the"
                         " rest of the fit part); the shipped weights use the whole fit part")
    args = ap.parse_args(argv)

    records = load(args.shared / "polnear_attribution_train" / "records.jsonl")
    fit = [r for r in polnear_split(records)["fit"] if not args.before or r["date"] < args.before]
    t0 = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=False)
    n_seq = n_tok = 0
    for xs, ys in sequences(fit):
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
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    t2 = time.perf_counter()
    print(
        json.dumps(
            {
                "articles": len(fit), "sequences": n_seq, "tokens": n_tok,
                "features_s": round(t1 - t0, 1), "train_s": round(t2 - t1, 1),
                "model_bytes": args.out.stat().st_size, "out": str(args.out),
                "params": {"c1": args.c1, "c2": args.c2, "iterations": args.iterations, "minfreq": args.minfreq},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
