"""A team on one RT: simulated agent consoles, each with its own cache, RT user and faulty line,
acting on shared tickets; then the history check (every op once in RT, every message once in
every cache, every cache agreeing with RT). Used by tests/sync/test_team.py (small) and
benchmarks/team_load.py (20 consoles)."""

from __future__ import annotations

import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from engines import join_at_now
from faults import FaultTransport

from cs_console.clock import FixedClock
from cs_console.service.desk import Agent, Desk, DeskError
from cs_console.service.sync import SyncService
from cs_console.store.db import Store
from cs_console.sync.backends.base import NewTicket
from cs_console.sync.backends.rt import RTBackend
from cs_console.sync.planning import RT_TO_STATUS
from cs_console.sync.team import enrol

FAULTS = ["lost", "reset", "500", "500-after", "429", "timeout"]
MESSAGE_KINDS = ("reply", "note", "comment", "escalate")


@dataclass
class Console:
    name: str
    store: Store
    backend: RTBackend
    faults: FaultTransport
    service: SyncService
    desk: Desk
    clock: FixedClock
    local: dict[str, int] = field(default_factory=dict)  # remote id -> local id
    actions: int = 0
    round_seconds: list[float] = field(default_factory=list)

    def round(self) -> Any:
        started = time.perf_counter()
        report = self.service.round().report
        self.round_seconds.append(time.perf_counter() - started)
        self.clock.advance(seconds=400)  # past any backoff or settle time
        return report

    def learn_tickets(self, remotes: list[str]) -> None:
        for remote in remotes:
            row = self.store.one("SELECT id FROM tickets WHERE remote_id = ?", (int(remote),))
            if row:
                self.local[remote] = int(row["id"])


def make_team(
    rt_url: str, admin: RTBackend, make_token: Any, workdir: Path, consoles: int, prefix: str
) -> list[Console]:
    """Enrol ``consoles`` RT users (one supervisor, the rest agents) and open a cache for each."""
    team = []
    for i in range(consoles):
        name = f"{prefix}{i:02d}"
        enrol(admin.client, name, "supervisor" if i == 0 else "agent", real_name=name.upper())
        token = make_token(name, f"{name} console")
        faults = FaultTransport()
        clock = FixedClock(datetime.now(UTC))
        backend = RTBackend(rt_url, token=token, transport=faults, timeout=10)
        store = Store.open(workdir / f"{name}.db", clock)
        join_at_now(store, admin)
        agent = Agent(name, name.upper(), "supervisor" if i == 0 else "agent")
        desk = Desk(store, agent)
        service = SyncService(desk, backend, clock=clock, rng=random.Random(i))
        team.append(Console(name, store, backend, faults, service, desk, clock))
    return team


def shared_tickets(admin: RTBackend, count: int, prefix: str) -> list[str]:
    remotes = []
    for i in range(count):
        res = admin.create_ticket(
            NewTicket(
                op_id=str(uuid.uuid4()),
                queue="Customer Service",
                subject=f"{prefix} 共享工单 {i}",
                content="顾客:请问订单什么时候发货?",
                requestor=f"team.customer{i}@example.com",
            )
        )
        assert res.ok, res
        remotes.append(str(res.remote_ref))
    return remotes


def act(console: Console, remote: str, rng: random.Random) -> None:
    """One agent action on a shared ticket (refusals such as "ticket is closed" are fine)."""
    local = console.local.get(remote)
    if local is None:
        return
    kind = rng.choice(["reply", "reply", "note", "status", "priority", "escalate"])
    try:
        if kind == "reply":
            console.desk.reply(local, f"{console.name}:您好,正在为您处理 {rng.randrange(10**6)}")
        elif kind == "note":
            console.desk.note(local, f"{console.name} 备注 {rng.randrange(10**6)}")
        elif kind == "status":
            console.desk.set_status(local, rng.choice(["open", "pending"]))
        elif kind == "priority":
            console.desk.set_priority(local, rng.choice([1, 2, 3, 4]))
        else:
            ticket = console.store.ticket(local)
            if ticket and not ticket["escalated"] and ticket["status"] == "open":
                console.desk.escalate(local, f"{console.name}:需要主管")
        console.actions += 1
    except DeskError:
        pass


def run_team(
    team: list[Console],
    remotes: list[str],
    actions_each: int,
    seed: int,
    fault_rate: float,
    threads: bool = False,
) -> dict[str, float]:
    """Every console pulls, then acts ``actions_each`` times with rounds in between, under
    random faults; then faults stop, conflicts are decided and everyone settles."""
    for console in team:
        console.round()
        console.learn_tickets(remotes)

    def work(console: Console, rng: random.Random) -> None:
        console.faults.random_faults(rng, fault_rate, FAULTS, reads=fault_rate / 3)
        for step in range(actions_each):
            act(console, rng.choice(remotes), rng)
            if step % 4 == 3:
                console.round()
                console.learn_tickets(remotes)

    started = time.perf_counter()
    rngs = [random.Random(seed * 1000 + i) for i in range(len(team))]
    if threads:
        workers = [
            threading.Thread(target=work, args=(c, r)) for c, r in zip(team, rngs, strict=True)
        ]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    else:
        for step in range(actions_each):
            for console, rng in zip(team, rngs, strict=True):
                if step == 0:
                    console.faults.random_faults(rng, fault_rate, FAULTS, reads=fault_rate / 3)
                act(console, rng.choice(remotes), rng)
                if step % 4 == 3:
                    console.round()
    acted = time.perf_counter() - started
    settle_started = time.perf_counter()
    settle(team)
    settled = time.perf_counter() - settle_started
    lag = max(max(c.round_seconds[-2:]) for c in team)
    pushed = sum(len(c.store.outbox(["done"])) for c in team)
    return {
        "consoles": len(team),
        "actions": sum(c.actions for c in team),
        "ops_done": pushed,
        "act_seconds": acted,
        "settle_seconds": settled,
        "ops_per_second": pushed / (acted + settled) if acted + settled else 0.0,
        "pull_lag_seconds": lag,
    }


def settle(team: list[Console], rounds: int = 12) -> None:
    """Faults off; each console syncs until nothing is left, deciding its conflicts (the
    supervisor's console keeps its own change, the others take RT's)."""
    for console in team:
        console.faults.rng = None
        console.faults.script.clear()
    for _ in range(rounds):
        busy = False
        for i, console in enumerate(team):
            for op in console.store.outbox(["conflict"]):
                console.service.decide_conflict(int(op["seq"]), keep_mine=(i == 0))
            report = console.round()
            if report.pending or report.uncertain or report.conflicts:
                busy = True
        if not busy:
            break
    for console in team:  # one more pull each, so everyone has everyone's last change
        console.round()


def history_check(team: list[Console], admin: RTBackend, remotes: list[str]) -> dict[str, int]:
    """0 lost, 0 duplicated, 0 left over; every cache agrees with RT and with the others."""
    left = [
        (c.name, o["kind"], o["state"], o["last_error"])
        for c in team
        for o in c.store.outbox(None)
        if o["state"] not in ("done", "rejected")
    ]
    assert not left, left
    dropped_by_agents = 0
    lost = []
    for console in team:
        for op in console.store.outbox(["rejected"]):
            if "dropped by the agent" in (op["last_error"] or ""):
                dropped_by_agents += 1
            else:
                lost.append((console.name, op["kind"], op["last_error"]))
    assert not lost, lost  # a rejection nobody decided is a lost action
    checked = 0
    for console in team:
        for op in console.store.outbox(["done"]):
            if op["kind"] in MESSAGE_KINDS:
                found = [m for m in admin.find_by_op_id(op["op_id"]) if m.kind == "transaction"]
                assert len(found) == 1, (console.name, op["kind"], op["op_id"], found)
                checked += 1
    assert admin.duplicate_op_ids() == {}
    messages = 0
    for remote in remotes:
        rt_ids = {
            int(t["id"])
            for t in admin.client.get(
                "/transactions",
                params={
                    "query": f"ObjectType = 'RT::Ticket' AND ObjectId = {int(remote)} AND "
                    "(Type = 'Correspond' OR Type = 'Comment' OR Type = 'Create')",
                    "per_page": 100,
                },
            ).json()["items"]
        }
        status = RT_TO_STATUS.get(admin.get_ticket(remote)[0]["Status"], "open")
        for console in team:
            local = console.store.one("SELECT * FROM tickets WHERE remote_id = ?", (int(remote),))
            assert local is not None, (console.name, remote)
            rows = console.store.all(
                "SELECT remote_id FROM messages WHERE ticket_id = ? AND remote_id IS NOT NULL",
                (local["id"],),
            )
            ids = [int(r["remote_id"]) for r in rows]
            assert len(ids) == len(set(ids)), (console.name, remote, "a message twice")
            missing = rt_ids - set(ids)
            assert not missing, (console.name, remote, "messages missing", sorted(missing))
            assert local["status"] == status, (console.name, remote, local["status"], status)
            messages += len(ids)
    return {
        "message_ops_checked": checked,
        "dropped_by_agents": dropped_by_agents,
        "messages": messages,
    }


def close(team: list[Console]) -> None:
    for console in team:
        console.backend.close()
        console.store.close()


__all__ = [
    "Console",
    "close",
    "history_check",
    "make_team",
    "run_team",
    "settle",
    "shared_tickets",
]
