"""Pull throughput from RT 5 beside the raw time to fetch the same pages with httpx.

    uv run python benchmarks/sync.py [--tickets 200] [--url URL --token TOKEN]

Without --url it starts a private RT on loopback (tests/sync/rt_server.py; needs
.ci/install-rt.sh), bootstraps it and creates --tickets tickets with a reply each. It then prints:

* raw:    GET every ticket page (per_page 100, the same fields) with a bare httpx.Client
* pull:   SyncEngine ticket pull into a fresh cache (pages + parse + one upsert transaction)
* feed:   the transaction feed (messages fetched per transaction, as the engine does)
* push:   the engine pushing replies queued in a cache, beside raw POSTs of the same replies
* auth:   the cost of one REST2 request with a token, basic auth and a session cookie

The floor for `pull` is the raw fetch of the same pages: the target (DESIGN.md 8) is pull
<= 1.2x raw. The feed's figure counts messages stored in the cache, not tickets.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sync"))

from engines import sync_engine  # noqa: E402

from cs_console.store.db import Store  # noqa: E402
from cs_console.sync.backends.base import Message, NewTicket  # noqa: E402
from cs_console.sync.backends.rt import PER_PAGE, TICKET_FIELDS, RTBackend  # noqa: E402
from cs_console.sync.engine import SyncReport  # noqa: E402


def start_rt(tmp: Path):
    from rt_server import RTServer, rt_installed

    if not rt_installed():
        sys.exit("RT 5 not installed: run .ci/install-rt.sh (or pass --url and --token)")
    from cs_console.sync.bootstrap import bootstrap

    server = RTServer(tmp / "rt").start()
    with RTBackend(server.url, user="root", password=server.root_auth[1]) as admin:
        rep = bootstrap(admin, sync_user="cs-sync", apply_local=True, env=server.env)
        assert not rep.problems, rep.problems
    return server, server.make_token("cs-sync", "benchmark")


def seed(url: str, token: str, n: int, workers: int = 4) -> float:
    from concurrent.futures import ThreadPoolExecutor

    def make(chunk: range) -> None:
        with RTBackend(url, token=token) as b:
            for i in chunk:
                r = b.create_ticket(
                    NewTicket(
                        op_id=str(uuid.uuid4()),
                        queue="Customer Service",
                        subject=f"基准工单 {i}",
                        content="您好，我想咨询退货。",
                        requestor=f"c{i % 50}@example.com",
                    )
                )
                assert r.ok, r
                b.reply(Message(op_id=str(uuid.uuid4()), ticket_id=r.remote_ref, content="已收到"))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(make, [range(k, n, workers) for k in range(workers)]))
    return time.perf_counter() - t0


def raw_fetch(url: str, token: str) -> tuple[float, int]:
    headers = {"Authorization": f"token {token}"}
    n, page = 0, 1
    t0 = time.perf_counter()
    with httpx.Client(base_url=url + "/REST/2.0", headers=headers, timeout=60) as c:
        while True:
            r = c.get(
                "/tickets",
                params={
                    "query": "id > 0",
                    "orderby": ["LastUpdated", "id"],
                    "order": ["ASC", "ASC"],
                    "per_page": PER_PAGE,
                    "page": page,
                    "fields": TICKET_FIELDS,
                },
            )
            items = r.json()["items"]
            if not items:
                break
            n += len(items)
            page += 1
    return time.perf_counter() - t0, n


def timed_pull(url: str, token: str, feed: bool) -> tuple[float, SyncReport]:
    with (
        tempfile.TemporaryDirectory() as d,
        Store.open(Path(d) / "c.db") as store,
        RTBackend(url, token=token, timeout=60) as b,
    ):
        eng = sync_engine(store, b)
        rep = SyncReport()
        t0 = time.perf_counter()
        if feed:
            eng._pull_tickets(SyncReport())  # the tickets first, in a report of their own
            t1 = time.perf_counter()
            eng._pull_feed(rep)  # rep.pulled now counts messages stored, and nothing else
            return time.perf_counter() - t1, rep
        eng._pull_tickets(rep)
        return time.perf_counter() - t0, rep


def timed_push(url: str, token: str, n: int) -> tuple[float, float, int]:
    """Seconds for the engine to push ``n`` replies queued in a cache (outbox transitions,
    fsynced, included) and for raw httpx POSTs of the same replies; and how many were pushed."""
    from cs_console.service.desk import Agent, Desk

    with (
        tempfile.TemporaryDirectory() as d,
        Store.open(Path(d) / "c.db") as store,
        RTBackend(url, token=token, timeout=60) as b,
    ):
        eng = sync_engine(store, b)
        eng._pull_tickets(SyncReport())
        rows = store.all(
            "SELECT id, remote_id FROM tickets WHERE remote_id IS NOT NULL ORDER BY id LIMIT ?",
            (n,),
        )
        desk = Desk(store, Agent("cs-sync", "sync"))
        for row in rows:
            desk.reply(int(row["id"]), f"基准回复 {row['id']}：已为您处理。")
        rep = SyncReport()
        t0 = time.perf_counter()
        eng.push(rep)
        push_s = time.perf_counter() - t0
    headers = {"Authorization": f"token {token}"}
    with httpx.Client(base_url=url + "/REST/2.0", headers=headers, timeout=60) as c:
        t0 = time.perf_counter()
        for row in rows:
            c.post(
                f"/ticket/{row['remote_id']}/correspond",
                json={
                    "Content": f"基准回复 {row['id']}：已为您处理。",
                    "ContentType": "text/plain",
                    "TxnCustomFields": {"ClientOpId": str(uuid.uuid4())},
                },
            ).raise_for_status()
        raw_s = time.perf_counter() - t0
    return push_s, raw_s, rep.pushed


def auth_costs(url: str, token: str, root_password: str | None) -> dict[str, float]:
    out = {}

    def per_request(client: httpx.Client, n: int = 10) -> float:
        client.get("/queues/all")
        t0 = time.perf_counter()
        for _ in range(n):
            client.get("/queues/all")
        return (time.perf_counter() - t0) / n * 1000

    with httpx.Client(base_url=url + "/REST/2.0", headers={"Authorization": f"token {token}"}) as c:
        out["token_ms"] = per_request(c)
    if root_password:
        with httpx.Client(base_url=url + "/REST/2.0", auth=("root", root_password)) as c:
            out["basic_ms"] = per_request(c)
        with RTBackend(url, user="root", password=root_password) as b:
            out["session_ms"] = per_request(b.client)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=200)
    ap.add_argument("--url")
    ap.add_argument("--token")
    args = ap.parse_args()
    server = None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            if args.url:
                url, token, root_pw = args.url.rstrip("/"), args.token, None
            else:
                t0 = time.perf_counter()
                server, token = start_rt(Path(tmp))
                url, root_pw = server.url, server.root_auth[1]
                print(
                    f"RT started and bootstrapped in {time.perf_counter() - t0:.1f} s "
                    f"(init {server.timings['init_db_s']:.1f} s, "
                    f"server {server.timings['server_ready_s']:.1f} s)"
                )
                secs = seed(url, token, args.tickets)
                print(
                    f"seeded {args.tickets} tickets + replies in {secs:.1f} s "
                    f"({2 * args.tickets / secs:.0f} writes/s)"
                )
            raw_fetch(url, token)  # warm RT's caches
            raw_s, pull_s = float("inf"), float("inf")
            for _ in range(3):  # best of three, alternating
                r_s, n = raw_fetch(url, token)
                p_s, rep = timed_pull(url, token, feed=False)
                raw_s, pull_s = min(raw_s, r_s), min(pull_s, p_s)
            feed_s, frep = timed_pull(url, token, feed=True)
            print(f"raw httpx fetch : {n} tickets in {raw_s:.2f} s = {n / raw_s:,.0f} tickets/s")
            print(
                f"engine pull     : {rep.pulled} tickets in {pull_s:.2f} s = "
                f"{rep.pulled / pull_s:,.0f} tickets/s  ({pull_s / raw_s:.2f}x raw; "
                f"floor: raw fetch, target <= 1.2x: {'meets' if pull_s / raw_s <= 1.2 else 'MISSES'})"
            )
            print(
                f"feed pull       : {frep.pulled} messages in {feed_s:.2f} s = "
                f"{frep.pulled / feed_s:,.0f} messages/s (one attachments GET per message)"
            )
            push_s, raw_push_s, pushed = timed_push(url, token, min(args.tickets, 100))
            print(
                f"engine push     : {pushed} replies in {push_s:.2f} s; raw httpx POSTs of the "
                f"same replies {raw_push_s:.2f} s ({push_s / raw_push_s:.2f}x raw; target <= "
                f"1.1x: {'meets' if push_s / raw_push_s <= 1.1 else 'MISSES'})"
            )
            costs = auth_costs(url, token, root_pw)
            print(
                "per-request auth: "
                + ", ".join(f"{k} {v:.1f} ms" for k, v in costs.items())
                + (
                    "  (test instance: BcryptCost 5; at RT's default 12 a token or basic-auth "
                    "request costs ~235 ms, a session ~12 ms)"
                    if server
                    else ""
                )
            )
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()
