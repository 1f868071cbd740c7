"""Seeded fault runs against a real RT: many ops through random faults, the client killed with
requests on their way (they land while the next process runs), customers writing all along,
other agents changing fields, and the agent deciding conflicts. Then the history check.

    uv run python benchmarks/fault_run.py [--ops 160] [--seeds 3] [--faults 0.5] [--kills 0.08]

Printed per seed: ops, faults injected, kills, inbound customer messages, and the verdicts:
lost (an op neither done nor decided, or a customer message missing from the cache),
duplicated (an op id twice in RT, a message twice in the cache) and false conflicts (a
conflict where nobody else had changed the field). All three must be 0.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sync"))

from engines import SYNC_AGENT, sync_engine  # noqa: E402
from faults import DyingBackend, FaultTransport, Killed  # noqa: E402

from cs_console.clock import FixedClock  # noqa: E402
from cs_console.service.desk import Desk, DeskError  # noqa: E402
from cs_console.store.db import Store  # noqa: E402
from cs_console.sync.backends.base import FieldChange, NewTicket  # noqa: E402
from cs_console.sync.backends.rt import RTBackend  # noqa: E402

FAULTS = ["lost", "reset", "500", "500-after", "429", "429-bare", "timeout", "garbage"]
MESSAGE_KINDS = ("reply", "note", "comment", "escalate")


def one_run(server, token: str, seed: int, n_ops: int, fault_rate: float, kill_rate: float):
    rng = random.Random(seed)
    admin = RTBackend(server.url, user="root", password=server.root_auth[1])
    faults = FaultTransport()
    clock = FixedClock(datetime.now(UTC))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "c.db", clock)
        backend = RTBackend(server.url, token=token, transport=faults, timeout=10)
        engine = sync_engine(store, backend, clock=clock, rng=random.Random(seed))
        customers = [f"fault{seed}.{i}@example.com" for i in range(4)]
        remotes = []
        for i, email in enumerate(customers):
            res = admin.create_ticket(
                NewTicket(
                    str(uuid.uuid4()), "Customer Service", f"故障跑 {seed}-{i}", "你好", email
                )
            )
            remotes.append(str(res.remote_ref))
        engine.sync_once()
        desk = Desk(store, SYNC_AGENT)
        local = {
            r: store.one("SELECT id FROM tickets WHERE remote_id = ?", (int(r),))["id"]
            for r in remotes
        }
        faults.random_faults(rng, fault_rate, FAULTS, reads=fault_rate / 4)
        counts = {"ops": 0, "kills": 0, "inbound": 0, "remote_edits": 0, "decisions": 0}
        inbound_texts: list[tuple[str, str]] = []
        held: list[DyingBackend] = []
        foreign_fields: dict[str, set[str]] = {r: set() for r in remotes}
        verdicts = {"false_conflicts": 0, "status_conflicts": 0}

        def decide(op, keep_mine: bool) -> None:
            """The agent's call; the conflict is judged first: was a field of ours changed?"""
            remote = _remote_of(store, op)
            if op["kind"] == "set_status":
                verdicts["status_conflicts"] += 1  # only RT itself reopens (a customer wrote)
            elif "Priority" not in foreign_fields.get(remote, set()):
                verdicts["false_conflicts"] += 1
            engine.resolve_conflict(int(op["seq"]), keep_mine=keep_mine)
            counts["decisions"] += 1

        while counts["ops"] < n_ops:
            remote = rng.choice(remotes)
            ticket_id = local[remote]
            roll = rng.random()
            try:
                if roll < 0.35:
                    desk.reply(ticket_id, f"回复 {seed}-{counts['ops']}")
                elif roll < 0.5:
                    desk.note(ticket_id, f"备注 {seed}-{counts['ops']}")
                elif roll < 0.65:
                    desk.set_status(ticket_id, rng.choice(["open", "pending"]))
                elif roll < 0.75:
                    desk.set_priority(ticket_id, rng.choice([1, 2, 3, 4]))
                elif roll < 0.82:
                    if not store.ticket(ticket_id)["escalated"]:
                        desk.escalate(ticket_id, "需要主管")
                    else:
                        continue
                else:
                    continue
                counts["ops"] += 1
            except DeskError:
                continue
            if rng.random() < 0.6:  # a customer writes (through RT, as the requestor)
                text = f"顾客追问 {seed}-{counts['inbound']} {uuid.uuid4().hex[:6]}"
                email = customers[remotes.index(remote)]
                server.customer_reply(remote, email, text)
                inbound_texts.append((remote, text))
                counts["inbound"] += 1
            if rng.random() < 0.05:  # another agent changes the priority in RT
                admin.set_fields(FieldChange("x", remote, {"Priority": rng.choice([10, 60])}), None)
                foreign_fields[remote].add("Priority")
                counts["remote_edits"] += 1
            if rng.random() < kill_rate:  # the client dies with a request on its way
                dying = DyingBackend(backend)
                with contextlib.suppress(Killed):
                    sync_engine(store, dying, clock=clock, rng=random.Random(seed)).sync_once(
                        pull=False
                    )
                held.append(dying)
                counts["kills"] += 1
            elif rng.random() < 0.5:
                engine.sync_once()
                for dying in held:  # held requests land while the next process runs
                    dying.land()
                held.clear()
                for op in store.outbox(["conflict"]):
                    decide(op, keep_mine=rng.random() < 0.5)
                clock.advance(seconds=400)
        for dying in held:
            dying.land()
        faults.rng = None
        faults.script.clear()
        injected = sum(faults.applied.values())
        for _ in range(15):
            for op in store.outbox(["conflict"]):
                decide(op, keep_mine=True)
            report = engine.sync_once()
            clock.advance(seconds=400)
            if report.pending == report.uncertain == report.conflicts == 0:
                break
        ops = store.outbox(None)
        lost = [
            o
            for o in ops
            if o["state"] not in ("done",) and "dropped by the agent" not in (o["last_error"] or "")
        ]
        duplicated = 0
        for op in ops:
            if op["state"] == "done" and op["kind"] in MESSAGE_KINDS:
                found = [m for m in admin.find_by_op_id(op["op_id"]) if m.kind == "transaction"]
                duplicated += max(0, len(found) - 1)
                if not found:
                    lost.append(op)
        duplicated += len(admin.duplicate_op_ids())
        missing_inbound = 0
        for remote, text in inbound_texts:
            n = store.scalar(
                "SELECT count(*) FROM messages WHERE ticket_id = ? AND body = ?",
                (local[remote], text),
            )
            missing_inbound += 1 if n == 0 else 0
            duplicated += max(0, n - 1)
        backend.close()
        store.close()
    admin.close()
    return {
        **counts,
        "faults": injected,
        "lost": len(lost) + missing_inbound,
        "duplicated": duplicated,
        **verdicts,
        "conflicts_decided": counts["decisions"],
    }


def _remote_of(store: Store, op) -> str:
    ticket = store.ticket(op["ticket_id"]) if op["ticket_id"] is not None else None
    return str(ticket["remote_id"]) if ticket else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=160)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--faults", type=float, default=0.5, help="fault rate per write")
    parser.add_argument("--kills", type=float, default=0.08, help="kill rate per op")
    args = parser.parse_args()
    from rt_server import RTServer, rt_installed

    if not rt_installed():
        sys.exit("RT 5 not installed: run .ci/install-rt.sh")
    from cs_console.sync.bootstrap import bootstrap

    with tempfile.TemporaryDirectory() as tmp:
        server = RTServer(Path(tmp) / "rt").start()
        try:
            with RTBackend(server.url, user="root", password=server.root_auth[1]) as admin:
                rep = bootstrap(admin, sync_user="cs-sync", apply_local=True, env=server.env)
                assert not rep.problems, rep.problems
            token = server.make_token("cs-sync", "fault run")
            bad = False
            for seed in range(1, args.seeds + 1):
                started = time.perf_counter()
                r = one_run(server, token, seed, args.ops, args.faults, args.kills)
                print(
                    f"seed {seed}: {r['ops']} ops, {r['faults']} faults, {r['kills']} kills, "
                    f"{r['inbound']} inbound, {r['remote_edits']} remote edits, "
                    f"{r['conflicts_decided']} decisions -> lost {r['lost']}, duplicated "
                    f"{r['duplicated']}, false conflicts {r['false_conflicts']}, status "
                    f"conflicts after RT reopened {r['status_conflicts']} "
                    f"({time.perf_counter() - started:.0f} s)",
                    flush=True,
                )
                bad = bad or bool(r["lost"] or r["duplicated"] or r["false_conflicts"])
        finally:
            server.stop()
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
