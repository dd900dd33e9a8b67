"""Claim verdicts: a rating from the desk's scale, an explanation, evidence links,
reviewer and date, on a claim annotation."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from urllib.parse import urlparse

from annotator.domain import VERDICT_SCALE, Verdict
from annotator.services.changes import Changes, Op, operation
from annotator.services.settings import load_settings, save_setting
from annotator.store import Store, StoreError
from annotator.store import corpus


def rating_scale(store: Store) -> tuple[str, ...]:
    """The desk's rating scale, best first (Settings.verdict_scale, one rating per line)."""
    configured = [line.strip() for line in load_settings(store).verdict_scale.splitlines() if line.strip()]
    return tuple(configured) or VERDICT_SCALE


@operation
def set_rating_scale(store: Store, *, ratings: Sequence[str]) -> Op[tuple[str, ...]]:
    """Set the desk's rating scale (best first; blank lines and repeats dropped). A rating
    that verdicts still give cannot leave the scale: exports count a rating by its place."""
    scale = tuple(dict.fromkeys(r.strip() for r in ratings if r.strip()))
    if not scale:
        raise StoreError("The rating scale needs at least one rating.")
    used = {rating: n for rating, n in corpus.count_verdicts(store) if rating not in scale}
    if used:
        rating, n = next(iter(used.items()))
        raise StoreError(f"“{rating}” is the verdict on {n} claim{'s' if n != 1 else ''}: keep it on the scale, "
                         "or give those claims another verdict first.")
    save_setting(store, name="verdict_scale", value="\n".join(scale))
    return Op(scale, Changes(settings=frozenset({"verdict_scale"})))


def sort_evidence(evidence: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Evidence links as given, stripped, split into web addresses (http or https, one address:
    no spaces or line breaks inside) and the rest."""
    links, refused = [], []
    for link in filter(None, (e.strip() for e in evidence)):
        parsed = urlparse(link)
        ok = parsed.scheme in ("http", "https") and parsed.netloc and not any(c.isspace() for c in link)
        (links if ok else refused).append(link)
    return tuple(links), tuple(refused)


def check_evidence(evidence: Sequence[str]) -> tuple[str, ...]:
    """Evidence links as given, stripped; anything that is not an http(s) URL is refused."""
    links, refused = sort_evidence(evidence)
    if refused:
        raise ValueError(f"Evidence should be a web address (http:// or https://), not “{refused[0]}”.")
    return links


def check_date(text: str) -> str:
    """A review date as ISO 8601 (ClaimReview's datePublished): a day, YYYY-MM-DD, or a
    moment in it (as imports bring); empty is today."""
    text = text.strip()
    if not text:
        return _dt.date.today().isoformat()
    try:
        if len(text) >= 10:
            _dt.datetime.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise ValueError(f"The review date should be a day written YYYY-MM-DD (2024-05-31), not “{text}”.")


@operation
def set_verdict(
    store: Store,
    *,
    annotation_id: int,
    rating: str,
    explanation: str = "",
    evidence: Sequence[str] = (),
    reviewer: str = "",
    date: str = "",
) -> Op[Verdict]:
    """Give a claim a verdict (replacing any it had). ``rating`` must be on the desk's scale;
    ``date`` defaults to today."""
    scale = rating_scale(store)
    if rating not in scale:
        raise StoreError(f"“{rating}” is not on the rating scale ({', '.join(scale)}).")
    verdict = Verdict(
        annotation_id, rating, explanation.strip(), check_evidence(evidence), reviewer.strip(),
        check_date(date),
    )
    corpus.set_verdict(store, verdict)
    return Op(verdict, Changes(verdicts=frozenset({annotation_id})))


@operation
def clear_verdict(store: Store, *, annotation_id: int) -> Op[Verdict | None]:
    """Remove a claim's verdict; the value is the verdict it had (for undo)."""
    old = corpus.get_verdict(store, annotation_id)
    corpus.delete_verdict(store, annotation_id)
    return Op(old, Changes(verdicts=frozenset({annotation_id})))


def get_verdict(store: Store, annotation_id: int) -> Verdict | None:
    return corpus.get_verdict(store, annotation_id)
