"""Fit the attribution tagger (annotator/suggest/attribution.npz) on PolNeAR's fit part.

PolNeAR (Newell, Margolin and Ruths, LREC 2018; ``polnear_attribution_train`` in the shared
eval folder, see its SOURCE.txt) is split by date as in ``eval_suggest.py``: only articles
dated before ``POLNEAR_DEV_FROM`` are used here; the development part is never seen.
Gold source, cue and content spans become BIO labels per paragraph
(:func:`annotator.suggest.tagger.bio`); CRFsuite fits a linear-chain CRF with L-BFGS and
elastic-net regularisation, and PyTorch fits a bidirectional LSTM over the same feature strings
(hashed) with token cross-entropy (Adam, dropout, some feature strings dropped at random). Both
are written as numpy arrays to one ``.npz`` file, which the tagger reads without either library.
Beside the weights it writes the lexicon the features read (``attribution.lexicon.tsv``: each
frequent word's share of occurrences inside gold cues and sources of the same articles). Prints
JSON (sizes, seconds, model bytes). PyTorch is needed only here: ``pip install -e '.[train]'``.

    python benchmarks/train_attribution.py                      # writes the shipped weights
    python benchmarks/train_attribution.py --out /tmp/m.npz --iterations 50 --network-epochs 0
    python benchmarks/train_attribution.py --out /tmp/tune.npz --before 2016-07-01
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
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


def crf_arrays(path: Path) -> dict:
    """The CRF at ``path`` (CRFsuite's file) as the arrays :class:`tagger.Model` reads: the
    feature strings (newline-separated UTF-8), a score per string and label, a score per pair."""
    info = pycrfsuite.Tagger()
    info.open(str(path))
    model = info.info()
    attrs = sorted({a for a, _ in model.state_features})
    row = {a: i for i, a in enumerate(attrs)}
    state = np.zeros((len(attrs), len(tagger.BIO)), np.float32)
    for (attr, label), w in model.state_features.items():
        state[row[attr], tagger.BIO.index(label)] = w
    trans = np.zeros((len(tagger.BIO), len(tagger.BIO)), np.float32)
    for (a, b), w in model.transitions.items():
        trans[tagger.BIO.index(a), tagger.BIO.index(b)] = w
    blob = "\n".join(attrs).encode("utf-8")
    return {"crf_attrs": np.frombuffer(blob, np.uint8), "crf_state": state, "crf_trans": trans}


def fit_network(data: list[tuple[list[list[str]], list[str]]], args) -> dict:
    """Fit the bidirectional LSTM on ``data`` ((feature strings, BIO labels) per window); its
    weights as the arrays :class:`tagger.Network` reads (the embedding table in float16)."""
    try:
        import torch
        from torch import nn
    except ImportError:
        sys.exit("the network needs PyTorch: pip install -e '.[train]' (or --network-epochs 0)")
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    torch.set_num_threads(args.threads)
    buckets, n_labels = args.buckets, len(tagger.BIO)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(buckets, args.emb, padding_idx=0)
            self.lstm = nn.LSTM(args.emb, args.hidden, batch_first=True, bidirectional=True)
            self.drop = nn.Dropout(args.dropout)
            self.out = nn.Linear(2 * args.hidden, n_labels)

        def forward(self, ids, lengths):
            x = self.drop(self.emb(ids).sum(2))
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            h, _ = nn.utils.rnn.pad_packed_sequence(self.lstm(packed)[0], batch_first=True)
            return self.out(self.drop(h))

    # Windows of similar length batched together, padded once (id 0 is the empty row).
    data = sorted(((tagger.hash_features(xs, buckets), [tagger.BIO.index(y) for y in ys]) for xs, ys in data),
                  key=lambda d: len(d[1]))
    batches = []
    for i in range(0, len(data), args.batch):
        part = data[i : i + args.batch]
        ids = np.zeros((len(part), len(part[-1][1]), max(len(f) for d in part for f in d[0])), np.int64)
        ys = np.full(ids.shape[:2], -1, np.int64)
        for k, (xs, labels) in enumerate(part):
            for t, f in enumerate(xs):
                ids[k, t, : len(f)] = f
            ys[k, : len(labels)] = labels
        batches.append((torch.from_numpy(ids), torch.from_numpy(ys), torch.tensor([len(d[1]) for d in part])))
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    loss_of = nn.CrossEntropyLoss(ignore_index=-1)
    for epoch in range(args.network_epochs):
        net.train()
        rng.shuffle(batches)
        total = 0.0
        for ids, ys, lengths in batches:
            ids = ids.masked_fill(torch.rand(ids.shape) < args.feature_dropout, 0)
            logits = net(ids, lengths)
            loss = loss_of(logits.reshape(-1, n_labels), ys[:, : logits.shape[1]].reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += loss.item()
        print(f"epoch {epoch + 1}: loss {total / len(batches):.4f}", file=sys.stderr, flush=True)
    w = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    out = {"net_emb": w["emb.weight"].astype(np.float16), "net_out_w": w["out.weight"].T, "net_out_b": w["out.bias"]}
    for d, sfx in (("fw", ""), ("bw", "_reverse")):
        out[f"net_{d}_ih"] = w["lstm.weight_ih_l0" + sfx].T
        out[f"net_{d}_hh"] = w["lstm.weight_hh_l0" + sfx].T
        out[f"net_{d}_bias"] = w["lstm.bias_ih_l0" + sfx] + w["lstm.bias_hh_l0" + sfx]
    return {k: np.ascontiguousarray(v) if v.dtype == np.float16 else np.ascontiguousarray(v, np.float32) for k, v in out.items()}


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
    ap.add_argument("--crf", type=Path, default=None,
                    help="a CRF already fitted (CRFsuite file) on the same articles: converted, not fitted again")
    # The network (chosen on the held-out month too; see the README).
    ap.add_argument("--network-epochs", type=int, default=16, help="0: the CRF alone")
    ap.add_argument("--buckets", type=int, default=1 << 17)
    ap.add_argument("--emb", type=int, default=48)
    ap.add_argument("--hidden", type=int, default=96)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--feature-dropout", type=float, default=0.1)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1)
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
    data = list(sequences(fit, tagger.Lexicon(rows)))
    n_tok = sum(len(ys) for _, ys in data)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        crf = args.crf or Path(tmp) / "crf.crfsuite"
        if args.crf is None:
            trainer = pycrfsuite.Trainer(verbose=False)
            for xs, ys in data:
                trainer.append(xs, ys)
            trainer.set_params(
                {
                    "c1": args.c1,
                    "c2": args.c2,
                    "max_iterations": args.iterations,
                    "feature.minfreq": args.minfreq,
                    "feature.possible_transitions": True,
                }
            )
            trainer.train(str(crf))
        arrays = crf_arrays(crf)
    t2 = time.perf_counter()
    if args.network_epochs:
        arrays |= fit_network(data, args)
    t3 = time.perf_counter()
    np.savez(args.out, **arrays)  # not compressed: read in 20 ms instead of 180 (the wheel compresses it)
    print(
        json.dumps(
            {
                "articles": len(fit), "sequences": len(data), "tokens": n_tok,
                "features_s": round(t1 - t0, 1), "crf_s": round(t2 - t1, 1), "network_s": round(t3 - t2, 1),
                "model_bytes": args.out.stat().st_size, "lexicon_rows": len(rows), "out": str(args.out),
                "params": {k: v for k, v in vars(args).items() if k not in ("shared", "out", "crf")},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
