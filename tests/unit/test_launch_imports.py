"""Opening the console imports only what the console needs: the command groups beside their code
(report, training, sync, kb, ...) are imported when the arguments name a command or ask for help."""

import subprocess
import sys

from click.testing import CliRunner

from cs_console.cli.root import _only_root_options, main

LATER = ("cs_console.cli.report", "cs_console.cli.training", "cs_console.cli.sync")


def test_importing_the_cli_leaves_the_command_groups_unimported() -> None:
    probe = (
        "import sys, cs_console.cli.root as root; "
        f"print(sorted(m for m in {LATER!r} if m in sys.modules)); "
        "root.main.register(); "
        f"print(sorted(m for m in {LATER!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["[]", str(sorted(LATER))]


def test_only_the_roots_own_options_skip_the_command_groups() -> None:
    assert _only_root_options(main, [])
    assert _only_root_options(main, ["--db", "x.db", "--lang", "en", "--kb=kb"])
    assert not _only_root_options(main, ["--db", "x.db", "report"])
    assert not _only_root_options(main, ["--help"])
    assert not _only_root_options(main, ["--version"])


def test_a_command_group_named_after_root_options_still_runs() -> None:
    result = CliRunner().invoke(main, ["report", "--help", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: main report [OPTIONS]")
    listed = CliRunner().invoke(main, ["--help"])
    assert "  training " in listed.output and "  report " in listed.output
