"""Helper process for the crash and concurrency tests (not a test module).

    python annotating_process.py DB ARTICLE_ID TAG_ID [COUNT]

Waits for a line on standard input (so that several processes start together),
then tags spans of the article through the service layer, printing each
annotation's id on standard output only after ``add_annotation`` has returned,
that is after the commit: a printed id is an annotation reported as saved.
Runs until killed when COUNT is not given.
"""

from __future__ import annotations

import os
import random
import sys

from annotator.services.annotations import add_annotation
from annotator.store import StoreError, open_store


def main() -> int:
    db, article_id, tag_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    count = int(sys.argv[4]) if len(sys.argv) > 4 else None
    store = open_store(db)
    article = store.get_article(article_id)
    rng = random.Random()
    sys.stdin.readline()
    done = 0
    while count is None or done < count:
        start = rng.randrange(len(article.text) - 40)
        end = start + rng.randrange(1, 40)
        if not article.text[start:end].strip():
            continue
        try:
            annotation = add_annotation(
                store, article=article, tag_id=tag_id, start=start, end=end,
                annotator=f"pid{os.getpid()}", note="n" * rng.randrange(0, 300),
            ).value
        except StoreError as error:
            # Readable, never raw; the tests fail on any such line.
            print(f"STOREERROR {error}", flush=True)
            return 2
        if done % 7 == 0:
            store.update_annotation(annotation.id, note="edited")
        print(annotation.id, flush=True)
        done += 1
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
