"""A team deployment of RT on PostgreSQL (issue 15, "Scale past one machine";
docs/team-deployment.md): RT bootstrapped on its own PostgreSQL database, two agents enrolled with
their own RT users and tokens, and two consoles, each with its own cache, working one ticket.

Skipped with the reason unless RT 5, DBD::Pg (rt5-db-postgresql) and a PostgreSQL server we can
create databases on are here: run .ci/install-rt-postgres.sh. Nothing is installed from here.
"""

from __future__ import annotations

import os
import random
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rt_server import RTServer, postgres_unavailable

from cs_console.clock import FixedClock
from cs_console.service.desk import Agent, Desk
from cs_console.service.sync import SyncService
from cs_console.store.db import Store
from cs_console.sync.backends.base import NewTicket
from cs_console.sync.backends.rt import RTBackend
from cs_console.sync.bootstrap import bootstrap
from cs_console.sync.team import enrol

pytestmark = pytest.mark.rt

SYNC_USER = "cs-sync"
SUP, AGENT = "cs-pg-sup", "cs-pg-agent"
CUSTOMER = "lin.yue@example.com"


@dataclass
class Console:
    """One agent's console: its own cache file, RT user (token) and sync service."""

    name: str
    store: Store
    backend: RTBackend
    service: SyncService
    clock: FixedClock

    @property
    def desk(self) -> Desk:
        return self.service.desk

    def sync(self):
        report = self.service.round().report
        assert not report.errors, (self.name, report.errors)
        assert not report.offline, self.name
        self.clock.advance(seconds=400)  # past any backoff or settle time
        return report

    def local(self, remote_id: str) -> dict:
        row = self.store.one("SELECT * FROM tickets WHERE remote_id = ?", (int(remote_id),))
        assert row is not None, f"{self.name} has not pulled RT ticket {remote_id}"
        return row


@pytest.fixture(scope="module")
def pg_rt(tmp_path_factory) -> Iterator[dict]:
    """RT on a private PostgreSQL database, bootstrapped, with a supervisor and an agent."""
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    server = RTServer(tmp_path_factory.mktemp("rt-pg"), database="postgresql")
    try:
        server.start()
        t0 = time.monotonic()
        with RTBackend(server.url, user="root", password=server.root_auth[1]) as admin:
            rep = bootstrap(admin, sync_user=SYNC_USER, apply_local=True, env=server.env)
            assert not rep.problems, rep.problems
            for name, role in ((SUP, "supervisor"), (AGENT, "agent")):
                enrol(admin.client, name, role, real_name=name.upper())
        tokens = {name: server.make_token(name, f"{name} console") for name in (SUP, AGENT)}
        setup_s = time.monotonic() - t0
        yield {"server": server, "tokens": tokens, "setup_s": setup_s}
    finally:
        server.stop()


def console(pg_rt: dict, workdir: Path, name: str, role: str, seed: int) -> Console:
    clock = FixedClock(datetime.now(UTC).replace(microsecond=0))
    store = Store.open(workdir / f"{name}.db", clock)
    backend = RTBackend(pg_rt["server"].url, token=pg_rt["tokens"][name], timeout=30)
    service = SyncService(
        Desk(store, Agent(name, name.upper(), role)), backend, clock=clock, rng=random.Random(seed)
    )
    return Console(name, store, backend, service, clock)


def rt_status_changes(backend: RTBackend, remote_id: str, to: str) -> list[str]:
    """Who moved the ticket to status ``to``, once per RT transaction (RT's own new -> open on
    the first reply is RT_System's and not counted)."""
    r = backend.client.get(
        f"/ticket/{remote_id}/history",
        params={"fields": "Type,NewValue,Creator", "per_page": 100},
    )
    r.raise_for_status()
    return [
        str((t.get("Creator") or {}).get("id"))
        for t in r.json().get("items", [])
        if t.get("Type") == "Status" and t.get("NewValue") == to
    ]


def test_rt_on_postgresql_is_its_own_database(pg_rt):
    server: RTServer = pg_rt["server"]
    config = (server.workdir / "RT_SiteConfig.pm").read_text()
    assert "Set($DatabaseType, 'Pg');" in config and server.pg_name in config
    assert not (server.workdir / "rt.sqlite").exists()
    assert server.timings["total_s"] < 60
    # RT's data is in that PostgreSQL database, reached as its own role over TCP
    out = subprocess.run(
        ["psql", "-X", "-A", "-t", "-h", server.pg_host, "-p", str(server.pg_port)]
        + ["-U", server.pg_name, "-d", server.pg_name, "-c", "SELECT Name FROM Queues"],
        env={**os.environ, "PGPASSWORD": server.pg_password},
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 0, out.stderr
    assert {"Customer Service", "Returns"} <= set(out.stdout.split("\n"))


def test_two_consoles_on_rt_postgresql_see_each_other_exactly_once(pg_rt, tmp_path, capsys):
    t0 = time.monotonic()
    server: RTServer = pg_rt["server"]
    with RTBackend(server.url, user="root", password=server.root_auth[1]) as admin:
        made = admin.create_ticket(
            NewTicket(
                op_id=str(uuid.uuid4()),
                queue="Customer Service",
                subject="面霜过敏，想咨询",
                content="用了三天脸上发红，怎么办？",
                requestor=CUSTOMER,
            )
        )
        assert made.ok, made
        rid = made.remote_ref

        consoles: list[Console] = []
        try:
            consoles.append(console(pg_rt, tmp_path, AGENT, "agent", 1))
            consoles.append(console(pg_rt, tmp_path, SUP, "supervisor", 2))
            a, b = consoles
            a.sync()
            b.sync()
            # the team came from RT's groups into each cache
            for c in (a, b):
                roles = {k: v[1] for k, v in c.store.agents_roles().items()}
                assert roles[SUP] == "supervisor" and roles[AGENT] == "agent", (c.name, roles)

            # console A replies; it goes to RT once, as A's RT user
            text = "您好，请先停用，我们为您登记过敏反馈。"
            a.desk.reply(a.local(rid)["id"], text)
            reply_op = a.store.outbox(["pending"])[0]
            assert a.sync().pushed == 1
            assert a.store.op(reply_op["seq"])["state"] == "done"
            found = admin.find_by_op_id(reply_op["op_id"])
            assert [m.kind for m in found] == ["transaction"] and found[0].ticket_id == rid

            # console B pulls and sees A's reply exactly once
            b.sync()
            tb = b.local(rid)
            seen = [m for m in b.store.messages(tb["id"]) if m["body"] == text]
            assert len(seen) == 1, seen
            assert seen[0]["direction"] == "out" and seen[0]["remote_id"] is not None
            assert seen[0]["author"] == AGENT  # A's own RT user, not a shared sync user

            # console B (the supervisor) sets the ticket waiting on the customer
            b.desk.set_status(tb["id"], "pending")
            status_op = b.store.outbox(["pending"])[0]
            assert b.sync().pushed == 1
            assert b.store.op(status_op["seq"])["state"] == "done"
            data, _ = admin.get_ticket(rid)
            assert data["Status"] == "stalled"
            assert rt_status_changes(admin, rid, "stalled") == [SUP]  # once, as B's RT user

            # console A pulls and sees it; its own reply is still there once
            a.sync()
            ta = a.local(rid)
            assert ta["status"] == "pending"
            mine = [m for m in a.store.messages(ta["id"]) if m["body"] == text]
            assert len(mine) == 1, mine

            # another round on each changes nothing: every op once in RT, nothing pulled twice
            for c in (a, b):
                rep = c.sync()
                assert rep.pushed == 0
            assert len(admin.find_by_op_id(reply_op["op_id"])) == 1
            assert rt_status_changes(admin, rid, "stalled") == [SUP]
            assert admin.duplicate_op_ids() == {}
            for c in (a, b):
                assert c.store.outbox(["pending", "in_flight", "uncertain", "conflict"]) == []
                t = c.local(rid)
                bodies = [m["body"] for m in c.store.messages(t["id"])]
                assert bodies.count(text) == 1 and t["status"] == "pending"
        finally:
            for c in consoles:
                c.backend.close()
                c.store.close()
    elapsed = time.monotonic() - t0
    with capsys.disabled():
        print(
            f"\nRT on PostgreSQL: bootstrap + 2 agents enrolled + 2 tokens "
            f"{pg_rt['setup_s']:.1f}s; two-console exchange {elapsed:.1f}s"
        )


def test_startup_time_postgresql_vs_sqlite(pg_rt, rt_server, capsys):
    """Printed for docs/team-deployment.md: the SQLite instance is the session's own."""
    pg, lite = pg_rt["server"].timings, rt_server.timings
    with capsys.disabled():
        print(
            "\nRT startup (init db + rt-server to first REST2 200): "
            f"PostgreSQL {pg['total_s']:.1f}s (create db+role {pg.get('create_pg_s', 0):.2f}s, "
            f"init {pg['init_db_s']:.1f}s, server {pg['server_ready_s']:.1f}s); "
            f"SQLite {lite['total_s']:.1f}s (init {lite['init_db_s']:.1f}s, "
            f"server {lite['server_ready_s']:.1f}s)"
        )
    assert pg["total_s"] < 60 and lite["total_s"] < 60
