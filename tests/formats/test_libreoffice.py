"""What a real spreadsheet does to our exports: LibreOffice opens them and saves them again.

Skipped, with the reason shown, where LibreOffice is not installed
(``apt-get install libreoffice-calc-nogui``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from annotator.domain import NewArticle
from annotator.services.exchange import apply_import, plan_import
from annotator.services.exporting import export_annotations
from annotator.store import open_store

from .test_roundtrip import annotations_of
from .test_verdicts import imported_into_new_store

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"
)
# How a person opens a CSV in Calc: comma-separated, UTF-8 (76), first line 1,
# "detect special numbers" on, which is what turns +1 into 1 and -3% into -3.00%.
OPEN_AS_PERSON = "CSV:44,34,76,1,,0,false,true,true"


def resave(path: Path, to: str, workdir: Path, infilter: str | None = None) -> Path:
    """``path`` opened in LibreOffice and saved as ``to`` (a filter name or a suffix)."""
    out = workdir / "resaved"
    out.mkdir(exist_ok=True)
    command = [
        SOFFICE, "--headless", f"-env:UserInstallation=file://{workdir / 'profile'}",
        *([f"--infilter={infilter}"] if infilter else []), "--convert-to", to, "--outdir", str(out), str(path),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    saved = out / f"{path.stem}.{to.split(':')[0]}"
    assert saved.exists(), f"LibreOffice wrote nothing for {path.name}"
    return saved


def test_a_workbook_saved_again_by_libreoffice_imports_back_exactly(hard_store, tmp_path):
    out = tmp_path / "out.xlsx"
    export_annotations(hard_store, "xlsx", out)
    target = imported_into_new_store(hard_store, resave(out, "xlsx", tmp_path), tmp_path, "xlsx")
    # Every emoji, Arabic and combining-mark quote and every formula-like cell is intact.
    assert annotations_of(target, extras=False) == annotations_of(hard_store, extras=False)


def test_a_csv_saved_again_by_libreoffice_imports_with_warnings(tmp_path):
    text = "Turnout rose +1 point to 1e5 voters, -3% fewer than the 0012 target; 1,200 said =SUM(A1)."
    store = open_store(tmp_path / "a.db")
    tag = store.insert_tag("figure", "#E11D48")
    article_id, _ = store.insert_article(NewArticle(title="Turnout", text=text))
    for quote in ("+1", "1e5", "-3%", "0012", "1,200", "=SUM(A1)"):
        start = text.index(quote)
        store.insert_annotation(article_id, tag.id, start, start + len(quote), quote)
    out = tmp_path / "out.csv"
    export_annotations(store, "csv", out)
    saved = resave(out, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path, OPEN_AS_PERSON)
    rewritten = saved.read_text(encoding="utf-8-sig")
    assert ",-3.00%," in rewritten or ",-0.03," in rewritten, "LibreOffice no longer rewrites numbers"

    target = open_store(tmp_path / "b.db")
    target.insert_article(NewArticle(title="Turnout", text=text))
    plan = plan_import(target, [saved])
    assert plan.errors == []
    assert len(plan.warnings) >= 4 and all("spreadsheet rewrites numbers" in w for w in plan.warnings)
    apply_import(target, plan)
    assert annotations_of(target, extras=False) == annotations_of(store, extras=False)


def test_long_cells_and_verdicts_survive_a_workbook_saved_again_by_libreoffice(tmp_path):
    from annotator.services.verdicts import get_verdict

    from .test_xlsx import long_store

    store, text = long_store(tmp_path / "a.db")
    out = tmp_path / "long.xlsx"
    export_annotations(store, "xlsx", out)
    target = imported_into_new_store(store, resave(out, "xlsx", tmp_path), tmp_path, "xlsx")
    assert annotations_of(target, extras=False) == annotations_of(store, extras=False)
    (claim,) = [n for n in target.list_annotations(target.article_ids()[0]) if n.end == 71_000]
    (original,) = [n for n in store.list_annotations(store.article_ids()[0]) if n.end == 71_000]
    assert claim.quote == text[1_000:71_000]
    got, want = get_verdict(target, claim.id), get_verdict(store, original.id)
    assert (got.rating, got.explanation, got.evidence, got.reviewer, got.date) == (
        want.rating, want.explanation, want.evidence, want.reviewer, want.date
    )


def test_a_verdict_in_a_csv_saved_again_by_libreoffice_comes_back(tmp_path):
    from annotator.services.verdicts import get_verdict, set_verdict

    text = "Officials said turnout rose by a third, the highest since 1990."
    store = open_store(tmp_path / "a.db")
    tag = store.insert_tag("claim", "#3B82F6")
    article_id, _ = store.insert_article(NewArticle(title="Turnout", text=text))
    claim = store.insert_annotation(article_id, tag.id, 15, 38, text[15:38])
    verdict = set_verdict(store, annotation_id=claim.id, rating="mostly true", explanation="=1+1, -3% «and» 👍🏽",
                          evidence=["https://a.example/x?y=1", "https://b.example/z"], reviewer="+Ana",
                          date="2026-03-01").value
    export_annotations(store, "csv", tmp_path / "out.csv")
    saved = resave(tmp_path / "out.csv", "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path, OPEN_AS_PERSON)
    target = open_store(tmp_path / "b.db")
    target.insert_article(NewArticle(title="Turnout", text=text))
    plan = plan_import(target, [saved])
    assert plan.errors == [] and plan.warnings == []
    apply_import(target, plan)
    (imported,) = target.list_annotations(target.article_ids()[0])
    got = get_verdict(target, imported.id)
    assert (got.rating, got.explanation, got.evidence, got.reviewer, got.date) == (
        verdict.rating, verdict.explanation, verdict.evidence, verdict.reviewer, verdict.date
    )
