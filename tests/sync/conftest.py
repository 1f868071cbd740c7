"""Fixtures for the RT integration tests: one fresh RT 5 per test session, on loopback.

When RT is not installed every test that asks for it is *skipped* with the reason
"RT 5 not installed: run .ci/install-rt.sh" (never silently passed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from rt_server import NOT_INSTALLED, RTServer, rt_installed  # noqa: E402

from cs_console.store.db import Store  # noqa: E402
from cs_console.sync.backends.rt import RTBackend  # noqa: E402


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here) and "rt_server" in getattr(
            item, "fixturenames", ()
        ):
            item.add_marker(pytest.mark.rt)


@pytest.fixture(scope="session")
def rt_server(tmp_path_factory) -> RTServer:
    """A private RT instance with its own SQLite database, started once per session."""
    if not rt_installed():
        pytest.skip(NOT_INSTALLED)
    workdir = tmp_path_factory.mktemp("rt")
    server = RTServer(workdir)
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    sys.stderr.write(f"\nRT started on {server.url} in {server.timings['total_s']:.1f}s\n")
    yield server
    server.stop()
    if os.environ.get("CS_CONSOLE_KEEP_RT_LOG"):
        sys.stderr.write(server.log_tail(20000))


@pytest.fixture(scope="session")
def root_token(rt_server: RTServer) -> str:
    return rt_server.make_token("root", "cs-console tests (root)")


SYNC_USER = "cs-sync"


@pytest.fixture(scope="session")
def rt_ready(rt_server: RTServer) -> dict:
    """The instance after `rt bootstrap` with a sync user; returns its connection settings."""
    from cs_console.sync.backends.rt import RTBackend
    from cs_console.sync.bootstrap import bootstrap

    with RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as admin:
        rep = bootstrap(admin, sync_user=SYNC_USER, apply_local=True, env=rt_server.env)
    assert not rep.problems, rep.problems
    token = rt_server.make_token(SYNC_USER, "cs-console sync (tests)")
    return {"url": rt_server.url, "token": token, "user": SYNC_USER, "first_report": rep}


@pytest.fixture
def backend(rt_ready):
    from cs_console.sync.backends.rt import RTBackend

    with RTBackend(rt_ready["url"], token=rt_ready["token"]) as b:
        yield b


@pytest.fixture
def admin(rt_server, rt_ready):
    """Someone else working in RT (another agent, or mail from a customer)."""
    with RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as b:
        yield b


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "cache.db") as s:
        yield s
