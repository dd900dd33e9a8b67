"""import_paths: files and folders into a real store, duplicates, errors, progress, cancel."""

import zlib

import pytest

from annotator.services import intake
from annotator.services.intake import import_paths, preview_paths
from annotator.store import open_store


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "intake.db")
    yield s
    s.close()


def write_articles(folder, count, *, outlet_footer=""):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        footer = f"\n{outlet_footer}" if outlet_footer else ""
        (folder / f"story{i:02}.txt").write_text(
            f"Story number {i}\n\nThe council met on day {i} and agreed measure {i * 7}.{footer}\nAdvertisement\n",
            encoding="utf-8",
        )


def test_import_folder_then_duplicates(tmp_path, store):
    write_articles(tmp_path / "in", 3)
    (tmp_path / "in" / "empty.txt").write_text("")
    outcomes = import_paths(store, [tmp_path / "in"])
    assert [o.status for o in outcomes] == ["error", "imported", "imported", "imported"]
    assert outcomes[0].message == "empty.txt: the file is empty"
    first = outcomes[1]
    article = store.get_article(first.article_id)
    assert article.text == "Story number 0\n\nThe council met on day 0 and agreed measure 0."
    assert store.removed_lines(first.article_id) == ["Advertisement"]
    name, original = store.article_original(first.article_id)
    assert name == "story00.txt" and original.startswith(b"Story number 0")

    again = import_paths(store, [tmp_path / "in" / "story01.txt"])
    assert [(o.status, o.article_id) for o in again] == [("duplicate", outcomes[2].article_id)]
    assert again[0].message == f"already present as article {outcomes[2].article_id}"


def test_keep_boilerplate(tmp_path, store):
    write_articles(tmp_path, 1)
    [outcome] = import_paths(store, [tmp_path / "story00.txt"], keep_boilerplate=True)
    assert store.get_article(outcome.article_id).text.endswith("Advertisement")


def test_outlet_furniture_removed_across_articles(tmp_path, store, monkeypatch):
    from annotator.ingest import reader

    footer = "The Valley Courier: independent local news since 1921"
    write_articles(tmp_path / "in", 5, outlet_footer=footer)
    real = reader._article

    def with_outlet(*args, **kwargs):
        return real(*args, **{**kwargs, "outlet": "Valley Courier"})

    monkeypatch.setattr(reader, "_article", with_outlet)
    outcomes = import_paths(store, [tmp_path / "in"])
    assert all(o.status == "imported" for o in outcomes)
    texts = [store.get_article(o.article_id).text for o in outcomes]
    # From the third article of the outlet on, the recurring footer is furniture.
    assert [footer in t for t in texts] == [True, True, False, False, False]
    assert store.removed_lines(outcomes[4].article_id) == ["Advertisement", footer]


def test_progress_and_cancel_leave_nothing_partial(tmp_path, store):
    write_articles(tmp_path / "in", 4)
    seen = []
    calls = []

    def progress(done, total, current):
        calls.append((done, total))

    def cancelled():
        return len(seen) >= 2

    def recording(done, total, current):
        progress(done, total, current)
        if current:
            seen.append(current)

    outcomes = import_paths(store, [tmp_path / "in"], progress=recording, cancelled=cancelled)
    assert [o.status for o in outcomes] == ["imported", "imported"]
    assert len(store.article_ids()) == 2
    assert calls == [(0, 4), (1, 4), (2, 4)]


def test_many_files_use_worker_processes(tmp_path, store):
    count = intake.PARALLEL_FROM + 4
    write_articles(tmp_path / "many", count)
    (tmp_path / "many" / "zz_binary.txt").write_bytes(bytes(range(256)) * 10)
    outcomes = import_paths(store, [tmp_path / "many"])
    assert [o.status for o in outcomes] == ["imported"] * count + ["error"]
    assert outcomes[-1].message.startswith("zz_binary.txt: ")
    assert [store.get_article(o.article_id).title for o in outcomes[:3]] == [
        "Story number 0", "Story number 1", "Story number 2"]


def test_cancel_with_worker_processes(tmp_path, store):
    write_articles(tmp_path / "many", intake.PARALLEL_FROM + 6)
    done = []
    outcomes = import_paths(
        store, [tmp_path / "many"], progress=lambda d, t, c: done.append(d), cancelled=lambda: len(done) >= 3
    )
    assert len(outcomes) == 3
    assert len(store.article_ids()) == 3


def test_store_error_is_reported_per_file(tmp_path, store, monkeypatch):
    from annotator.store import StoreError

    write_articles(tmp_path / "in", 2)
    calls = []

    def failing_insert(new):
        calls.append(new)
        if len(calls) == 1:
            raise StoreError("The database is locked by another program.")
        return 7, True

    monkeypatch.setattr(store, "insert_article", failing_insert)
    outcomes = import_paths(store, [tmp_path / "in"])
    assert [(o.status, o.message) for o in outcomes] == [
        ("error", "story00.txt: The database is locked by another program."),
        ("imported", "imported as article 7"),
    ]


def test_preview_writes_nothing(tmp_path):
    write_articles(tmp_path, 2)
    results = list(preview_paths([tmp_path]))
    assert [p.name for p, _ in results] == ["story00.txt", "story01.txt"]
    assert results[0][1].removed_lines == ["Advertisement"]
    assert zlib.decompress(results[0][1].original_bytes).startswith(b"Story number 0")


def test_plan_removals_rules_and_outlet_furniture(tmp_path, store):
    from annotator.domain import NewArticle
    from annotator.ingest import drop_lines

    footer = "The Valley Courier: independent since 1921"
    for i in range(3):
        store.insert_article(NewArticle(title=f"S{i}", text=f"S{i}\nSentence {i} here.\n{footer}", outlet="Courier"))
    raw = NewArticle(title="New", text=f"New\nAdvertisement\nThe new sentence.\n{footer}", outlet="Courier")
    plan = intake.plan_removals(raw, store)
    assert plan == [1, 3]
    assert intake.plan_removals(raw) == [1]
    assert drop_lines(raw.text, plan) == ("New\nThe new sentence.", ["Advertisement", footer])


def test_format_report():
    outcomes = [
        intake.ImportOutcome("/a/one.txt", "imported", 4, "imported as article 4"),
        intake.ImportOutcome("/a/two.txt", "duplicate", 2, "already present as article 2"),
        intake.ImportOutcome("/a/bad.pdf", "error", None, "bad.pdf: this PDF is corrupt"),
    ]
    assert intake.format_report(outcomes) == (
        "Imported 1, already present 1, failed 1 (of 3 files)\n"
        "imported\t/a/one.txt\tarticle 4\n"
        "already present\t/a/two.txt\tarticle 2\n"
        "error\t/a/bad.pdf\tbad.pdf: this PDF is corrupt"
    )
