"""Team work at corpus scale against a real PostgreSQL (pgserver, started here):

- first sync of 1,000 articles with 100,000 annotations (and a third of them marked
  done) into an empty local database (target < 30 s), after the analyst who made them
  sent them (reported too);
- a sync with nothing to do (target < 100 ms; median and worst of 20);
- agreement over 1,000 articles annotated by 3 analysts (target < 2 s);
- the server stopped and started again while an analyst tags and
  syncs every 0.2 s: what the syncs said while it was down, annotations lost or doubled;
- N analysts (default 20) in separate processes, each tagging one annotation a second
  and syncing every 2 s for D seconds (default 120): annotations lost, doubled, and
  seconds until every local database equals the server after the last edit.

    python benchmarks/bench_team.py [--articles 1000] [--annotations 100000]
                                    [--analysts 20] [--seconds 120]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg

from annotator.domain import Annotation, NewArticle
from annotator.services import team
from annotator.services.agreement import compute_agreement
from annotator.services.annotations import add_annotation
from annotator.services.workspace import open_workspace

WORDS = ["the", "minister", "said", "that", "at", "least", "eleven", "soldiers", "were", "killed", "near", "the", "border", "on", "monday", "while", "officials", "disputed", "reports", "of", "shelling", "in", "the", "northern", "province"]


def article_text(rng: random.Random, n: int, length: int = 5000) -> str:
    words, size = [f"Report {n}."], 0
    while size < length:
        word = rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return " ".join(words) + "\n"


def spans_in(rng: random.Random, text: str, count: int) -> list[tuple[int, int]]:
    spans = []
    for _ in range(count):
        start = rng.randrange(0, len(text) - 60)
        while start > 0 and text[start - 1] != " ":
            start -= 1
        end = start + rng.randrange(5, 50)
        while end < len(text) and text[end - 1] == " ":
            end += 1
        spans.append((start, end))
    return spans


def build_corpus(store, rng, articles: int, annotations: int, analysts: list[str]) -> None:
    tags = [t.id for t in store.list_tags()]
    per = annotations // (articles * len(analysts))
    stamp = "2026-12-04T00:00:00+00:00"
    for n in range(articles):
        text = article_text(rng, n)
        article_id, _ = store.insert_article(NewArticle(title=f"Report {n}", text=text, source_format="txt"))
        rows = [
            Annotation(0, article_id, rng.choice(tags), s, e, text[s:e], annotator=analyst, created=stamp)
            for analyst in analysts for s, e in spans_in(rng, text, per)
        ]
        store.insert_annotations(rows)


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def analyst_process(url: str, path: str, seconds: float, edits: int, results) -> None:
    """One simulated analyst: tags one annotation a second, syncs every 2 s."""
    store = open_workspace(path)
    rng = random.Random(path)
    made = 0
    errors = 0
    started = time.monotonic()
    next_sync = started
    while time.monotonic() - started < seconds:
        ids = [i for i in store.article_ids() if store.get_article(i).title.startswith("Shared")]
        tagging = made < edits and time.monotonic() - started < seconds - 10
        if ids and tagging:
            article = store.get_article(rng.choice(ids))
            start, end = spans_in(rng, article.text, 1)[0]
            add_annotation(store, article=article, tag_id=store.list_tags()[0].id, start=start, end=end,
                           annotator=store.get_setting("annotator_name"))
            made += 1
        if time.monotonic() >= next_sync:
            try:
                team.sync(store, url)
            except team.TeamError:
                errors += 1
            next_sync += 2
        time.sleep(max(0.0, started + made + 1 - time.monotonic()) if tagging else 0.2)
    results.put((path, made, errors, time.monotonic() - started))
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--analysts", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    import pgserver

    folder = Path(tempfile.mkdtemp(prefix="bench-team-"))
    server = pgserver.get_server(folder / "pg", cleanup_mode="stop")
    admin = server.get_uri()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("CREATE DATABASE bench")
    url = admin.replace("/postgres?", "/bench?")
    team.init_server(url)
    names = ["ana", "ben", "cy"]
    for name in names:
        team.add_analyst(url, name)

    def as_(name: str) -> str:
        return url.replace("postgres:@", f"{name}@", 1)

    result: dict = {"articles": args.articles, "annotations": args.annotations}
    rng = random.Random(4)
    ana = open_workspace(folder / "ana.db")
    build_corpus(ana, rng, args.articles, args.annotations, ["ana"])
    for article_id in ana.article_ids()[: args.articles // 3]:  # statuses travel too
        ana.set_article_status(article_id, "done")
    report, seconds = timed(lambda: team.sync(ana, as_("ana")))
    result["first_push_s"] = round(seconds, 2)
    result["first_push_annotations"] = report.sent_annotations
    result["first_push_statuses"] = report.sent_statuses
    ben = open_workspace(folder / "ben.db")
    report, seconds = timed(lambda: team.sync(ben, as_("ben")))
    result["first_sync_into_empty_s"] = round(seconds, 2)
    result["first_sync_received_annotations"] = report.received_annotations
    result["first_sync_received_statuses"] = report.received_statuses
    noop = [timed(lambda: team.sync(ben, as_("ben")))[1] for _ in range(20)]
    result["noop_sync_ms_median"] = round(statistics.median(noop) * 1000, 1)
    result["noop_sync_ms_max"] = round(max(noop) * 1000, 1)
    ben.close()
    ana.close()

    three = open_workspace(folder / "three.db")
    build_corpus(three, random.Random(5), args.articles, 3 * args.articles * 30, names)
    agreement, seconds = timed(lambda: compute_agreement(three))
    result["agreement_3_analysts_s"] = round(seconds, 2)
    result["agreement_scores"] = len(agreement.scores)
    three.close()

    restarted = [server]
    result.update(restart(restarted, url, folder))
    server = restarted[0]
    if args.analysts:
        result.update(load(url, folder, args.analysts, args.seconds))
    server.cleanup()
    print(json.dumps(result, indent=1))


def restart(restarted: list, url: str, folder: Path) -> dict:
    """Tag and sync while the server is stopped (immediate shutdown: connections are
    cut, as in a crash) and started again."""
    import pgserver

    server = restarted[0]
    team.add_analyst(url, "restarter")
    own = url.replace("postgres:@", "restarter@", 1)
    store = open_workspace(folder / "restarter.db")
    article_id, _ = store.insert_article(NewArticle(title="Restart", text=article_text(random.Random(1), 1),
                                                    source_format="txt"))
    text = store.get_article(article_id).text
    team.sync(store, own)  # the corpus comes in first: the loop below times only the restart
    rng = random.Random(2)
    offline_messages: set[str] = set()
    made = 0
    started = time.monotonic()
    killed = revived = None
    while time.monotonic() - started < 8:
        start, end = spans_in(rng, text, 1)[0]
        add_annotation(store, article=article_id, tag_id=store.list_tags()[0].id, start=start, end=end,
                       annotator="restarter")
        made += 1
        try:
            team.sync(store, own, timeout=2)
        except team.TeamError as error:
            offline_messages.add(str(error).split(":")[0])
        elapsed = time.monotonic() - started
        if killed is None and elapsed > 2:
            server.cleanup()
            killed = elapsed
        elif killed is not None and revived is None and elapsed > 4:
            server = pgserver.get_server(server.pgdata, cleanup_mode="stop")
            revived = elapsed
        time.sleep(0.2)
    if revived is None:  # a loaded machine: the loop ran out before the restart
        server = pgserver.get_server(server.pgdata, cleanup_mode="stop")
    team.sync(store, own)
    restarted[0] = server
    with psycopg.connect(url) as conn:
        on_server, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT (start, \"end\")) FROM annotator.annotations"
            " WHERE analyst = 'restarter' AND NOT deleted").fetchone()
    store.close()
    return {"restart_made": made, "restart_on_server": on_server, "restart_lost": made - on_server,
            "restart_doubled": on_server - distinct, "restart_offline_messages": sorted(offline_messages)}


def load(url: str, folder: Path, analysts: int, seconds: float) -> dict:
    names = [f"load{i:02d}" for i in range(analysts)]
    for name in names:
        team.add_analyst(url, name)
    seed = open_workspace(folder / "seed.db")
    team.add_analyst(url, "seeder")
    for n in range(10):
        seed.insert_article(NewArticle(title=f"Shared {n}", text=article_text(random.Random(n), n), source_format="txt"))
    team.sync(seed, url.replace("postgres:@", "seeder@", 1))
    seed.close()
    results = multiprocessing.Queue()
    edits = int(seconds) - 10
    processes = [
        multiprocessing.Process(
            target=analyst_process,
            args=(url.replace("postgres:@", f"{name}@", 1), str(folder / f"{name}.db"), seconds, edits, results))
        for name in names
    ]
    for p in processes:
        p.start()
    finished = [results.get() for _ in processes]
    for p in processes:
        p.join()
    made = sum(r[1] for r in finished)
    with psycopg.connect(url) as conn:
        on_server, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT uuid) FROM annotator.annotations WHERE NOT deleted AND analyst LIKE 'load%'"
        ).fetchone()
    # Each analyst stopped tagging about 10 s before the end and kept syncing every
    # 2 s: every local database should now equal the server, without another sync.
    equal = 0
    for name in names:
        store = open_workspace(folder / f"{name}.db")
        here = sum(1 for i in store.article_ids() for a in store.list_annotations(i) if a.annotator.startswith("load"))
        equal += here == on_server
        store.close()
    return {
        "load_analysts": analysts, "load_seconds": seconds, "load_made": made,
        "load_on_server": on_server, "load_lost": made - on_server, "load_doubled": on_server - distinct,
        "load_sync_errors": sum(r[2] for r in finished),
        "load_databases_equal_to_server_10s_after_last_edit": f"{equal}/{analysts}",
    }


if __name__ == "__main__":
    main()
