"""`cs-console ... | head -1`: a reader that goes away stops the command quietly, status 141
(128 + SIGPIPE, as the shell reports for `yes | head -1`), nothing on stderr."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cs_console import demo
from cs_console.cli.support import EXIT_BROKEN_PIPE
from cs_console.clock import FixedClock
from cs_console.store.db import Store

COMMAND = [sys.executable, "-m", "cs_console"]


@pytest.fixture
def env(tmp_path):
    return {
        **os.environ,
        "CS_CONSOLE_CACHE_DIR": str(tmp_path / "kbcache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }


@pytest.fixture
def big_cache(tmp_path):
    """A cache whose queue listing is far larger than a pipe's 64 KiB (about 177 KB: 1,500
    tickets listed 55 KB, which the command could write whole and exit 0 before the reader
    closed the pipe, a race the test sometimes lost)."""
    path = tmp_path / "big.db"
    store = Store.open(path, FixedClock("2026-11-23T08:00:00Z"))
    demo.seed(store, tickets=5000, seed_value=2)
    store.close()
    return path


@pytest.mark.parametrize(
    "args",
    [["--help"], ["queue", "--help"], ["kb", "search", "退货"], ["kb", "check"]],
    ids=" ".join,
)
def test_a_closed_stdout_stops_quietly(args, env) -> None:
    """The reader is gone before the first byte: even output buffered until exit is quiet."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [*COMMAND, *args], stdout=write_end, stderr=subprocess.PIPE, env=env, timeout=120
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr.decode()) == (EXIT_BROKEN_PIPE, "")


def test_head_one_reads_the_first_line_and_the_command_stops(big_cache, env) -> None:
    """The reader takes one line and leaves while the command is still writing."""
    process = subprocess.Popen(
        [*COMMAND, "queue", "--db", str(big_cache), "--limit", "10000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline().decode()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == EXIT_BROKEN_PIPE
    assert stderr == "" and first.strip()


def test_through_the_shell_like_the_report(big_cache, env) -> None:
    """The issue's own command line: `cs-console queue ... | head -1` in bash."""
    line = " ".join([*COMMAND, "queue", "--db", str(big_cache), "--limit", "10000"])
    done = subprocess.run(
        ["bash", "-c", f"{line} | head -1; echo status=${{PIPESTATUS[0]}} >&2"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.stdout.decode().count("\n") == 1
    assert done.stderr.decode() == f"status={EXIT_BROKEN_PIPE}\n"
