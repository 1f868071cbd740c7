"""First run (issue 11, item 8): no cache yet -> a welcome naming the two ways to start, and
nothing written; the global options may follow the command (`cs-console demo --lang en`)."""

from __future__ import annotations

from click.testing import CliRunner

from cs_console import i18n
from cs_console.cli.root import main


def test_no_cache_yet_says_how_to_start_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    missing = tmp_path / "data" / "cache.db"
    result = CliRunner().invoke(main, ["--db", str(missing), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Welcome to cs-console. There is no cache on this machine")
    assert "cs-console demo " in result.output and "cs-console rt bootstrap" in result.output
    assert not missing.exists() and not missing.parent.exists()
    said = CliRunner().invoke(main, ["--db", str(missing)]).output  # the default language
    assert said.startswith("欢迎使用 cs-console。") and "cs-console demo " in said


def test_global_options_after_the_command_reach_the_console(tmp_path, monkeypatch):
    """`demo --lang en --db PATH` seeds the demo cache and opens the console in English."""
    import cs_console.tui.app as console

    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    opened = []
    monkeypatch.setattr(
        console,
        "run_console",
        lambda config, kb_dir=None, demo=False: opened.append((config, demo)),
    )
    db = tmp_path / "demo.db"
    argv = ["demo", "--tickets", "5", "--lang", "en", "--db", str(db), "--kb", str(tmp_path)]
    result = CliRunner().invoke(main, argv)
    assert result.exit_code == 0, result.output
    ((config, demo),) = opened
    assert demo and config.lang == "en" and config.db == db and db.exists()
    assert i18n.language() == "en"
