"""The shipped knowledge base: complete, valid, and good enough on the public eval queries.

The shared folder (``../shared`` beside the repository, or ``$CS_CONSOLE_SHARED``) holds the
topic list and the eval queries; without it these tests are skipped with a reason.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cs_console.cli.kb import kb
from cs_console.kb.evaluation import read_cases, run_eval
from cs_console.kb.paths import default_kb_dir
from cs_console.kb.search import SearchEngine


def shared_dir() -> Path:
    env = os.environ.get("CS_CONSOLE_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared"


def need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} not found (set CS_CONSOLE_SHARED to the shared folder)")
    return path


def topic_slugs(markdown: str) -> list[str]:
    """Slugs from the first column of kb-topics.md's tables."""
    slugs = []
    for line in markdown.splitlines():
        m = re.match(r"^\|\s*([a-z0-9][a-z0-9-]+)\s*\|", line)
        if m and m.group(1) != "slug":
            slugs.append(m.group(1))
    return slugs


def test_shipped_kb_passes_check_with_every_topic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CS_CONSOLE_CACHE_DIR", str(tmp_path))
    res = CliRunner().invoke(kb, ["check", str(default_kb_dir())])
    assert res.exit_code == 0, res.output
    slugs = topic_slugs(need(shared_dir() / "kb-topics.md").read_text(encoding="utf-8"))
    assert len(slugs) >= 60
    engine = SearchEngine.load(default_kb_dir(), cache_dir=tmp_path)
    missing = [s for s in slugs if engine.get(s) is None]
    assert missing == []
    scripts = {s for s in slugs if s.startswith("script-")}
    assert all(engine.get(s).kind == "script" for s in scripts)


def test_public_eval_recall(tmp_path: Path) -> None:
    cases = read_cases(need(shared_dir() / "kb-eval" / "public.tsv"))
    engine = SearchEngine.load(default_kb_dir(), cache_dir=tmp_path)
    report = run_eval(engine, cases)
    misses = [(m.case.query, m.case.expected, m.got[:3]) for m in report.misses]
    assert report.recall1 >= 0.85, misses
    assert report.recall5 >= 0.97, misses
