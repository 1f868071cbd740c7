"""Crash safety: a process filing a return is killed (SIGKILL) at the worst moments.

The child pauses at an exact point using SQLite's trace callback (no hook in the product code):
just before COMMIT ("between confirm and commit"), right after the return row is inserted but
before its outbox op, or after the commit returned. The parent kills it there. On restart there
is exactly one return or none, never two, and filing the same request again yields exactly one.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from returns_fixture import build

from cs_console.store.db import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

CHILD = r"""
import json, sys, time
from cs_console.service.desk import Agent, Desk
from cs_console.service.returns import Returns
from cs_console.store.db import Store

path, ticket, mode, ready = sys.argv[1:5]
store = Store.open(path)

def pause(note):
    with open(ready, "w") as handle:
        handle.write(note)
    time.sleep(1.0 if mode == "slow_commit" else 120)

def trace(sql):
    text = " ".join(sql.split()).upper()
    if mode in ("before_commit", "slow_commit") and text == "COMMIT":
        pause("before commit")
    if mode == "after_insert" and text.startswith("INSERT INTO OUTBOX"):
        pause("return row inserted, outbox op not yet")

store.conn.set_trace_callback(trace)
result = Returns(Desk(store, Agent("agent01", "小林", "agent"))).request(
    int(ticket), [("SR-003", 1)], "unopened"
)
store.conn.set_trace_callback(None)
print(json.dumps({"return_id": result.return_id, "created": result.created, "op_id": result.op_id}))
sys.stdout.flush()
if mode == "after_commit":
    pause(result.return_id)
"""


@pytest.fixture
def cache(tmp_path) -> tuple[Path, int]:
    path = tmp_path / "cache.db"
    with Store.open(path) as store:
        tickets = build(store)
    return path, tickets["cosmetics"]


def start(path: Path, ticket: int, mode: str, ready: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(ticket), mode, str(ready)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(ready: Path, child: subprocess.Popen, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready.exists() and ready.read_text():
            return ready.read_text()
        if child.poll() is not None:
            raise AssertionError(f"child ended early: {child.communicate()}")
        time.sleep(0.02)
    child.kill()
    raise AssertionError("child never reached the pause point")


def kill(child: subprocess.Popen) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL


def file_again(path: Path, ticket: int, tmp: Path) -> dict:
    child = start(path, ticket, "none", tmp / "unused")
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    return json.loads(out)


def state(path: Path) -> tuple[int, int, int]:
    with Store.open(path) as store:
        return (
            store.scalar("SELECT count(*) FROM returns"),
            store.scalar("SELECT count(*) FROM outbox WHERE kind = 'create_return'"),
            store.scalar("SELECT count(*) FROM audit_log WHERE action = 'create_return'"),
        )


@pytest.mark.parametrize("mode", ["before_commit", "after_insert"])
def test_killed_before_commit_leaves_nothing_and_a_retry_files_once(cache, tmp_path, mode):
    path, ticket = cache
    ready = tmp_path / "ready"
    child = start(path, ticket, mode, ready)
    wait_for(ready, child)
    kill(child)
    assert state(path) == (0, 0, 0)
    first = file_again(path, ticket, tmp_path)
    assert first["created"] is True
    second = file_again(path, ticket, tmp_path)
    assert second == {**first, "created": False}
    assert state(path) == (1, 1, 1)


def test_killed_after_commit_keeps_exactly_one(cache, tmp_path):
    path, ticket = cache
    ready = tmp_path / "ready"
    child = start(path, ticket, "after_commit", ready)
    return_id = wait_for(ready, child)
    kill(child)
    assert state(path) == (1, 1, 1)
    again = file_again(path, ticket, tmp_path)
    assert again["return_id"] == return_id and again["created"] is False
    assert state(path) == (1, 1, 1)


def test_a_second_process_waiting_on_a_killed_one_files_once(cache, tmp_path):
    path, ticket = cache
    holder = start(path, ticket, "before_commit", tmp_path / "ready-a")
    wait_for(tmp_path / "ready-a", holder)
    waiter = start(path, ticket, "none", tmp_path / "ready-b")
    time.sleep(0.3)  # the waiter is now blocked on the holder's write lock
    kill(holder)
    out, err = waiter.communicate(timeout=60)
    assert waiter.returncode == 0, err
    assert json.loads(out)["created"] is True
    assert state(path) == (1, 1, 1)


def test_two_processes_filing_the_same_request_at_once_file_once(cache, tmp_path):
    path, ticket = cache
    first = start(path, ticket, "slow_commit", tmp_path / "ready-a")
    wait_for(tmp_path / "ready-a", first)
    second = start(path, ticket, "none", tmp_path / "ready-b")
    results = []
    for child in (first, second):
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        results.append(json.loads(out))
    assert results[0]["return_id"] == results[1]["return_id"]
    assert sorted(r["created"] for r in results) == [False, True]
    assert state(path) == (1, 1, 1)
