"""A team on one RT: N agent consoles (own cache, own RT user, own faulty line) making M actions
each on shared tickets, all at once; then the history check, and the figures beside a floor.

    uv run python benchmarks/team_load.py [--consoles 20] [--actions 100] [--tickets 10]
                                          [--faults 0.1] [--seed 1]

It starts a private RT on loopback (tests/sync/rt_server.py, SQLite; needs .ci/install-rt.sh)
with 8 workers, bootstraps it and enrols the consoles' users. Printed:

* push:  ops the consoles pushed per second, from the first action to a settled team (faults,
         reconciliation, conflicts decided) beside the floor: the same number of replies sent
         by one bare httpx loop (no faults, no cache, no reconciliation);
* lag:   the longest sync round at the end (push + pull: how long until a console has
         everyone's changes);
* check: every op once in RT, every message once in every cache, every cache agreeing with RT.

docs/team-deployment.md explains RT on PostgreSQL for a real team: SQLite RT serialises writers,
so under this load some requests fail with "database is locked" (counted as faults here).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sync"))

from team_sim import close, history_check, make_team, run_team, shared_tickets  # noqa: E402

from cs_console.sync.backends.rt import RTBackend  # noqa: E402


def raw_floor(url: str, token: str, remote: str, n: int) -> float:
    """Seconds for ``n`` plain replies through one bare httpx client."""
    started = time.perf_counter()
    with httpx.Client(
        base_url=f"{url}/REST/2.0", headers={"Authorization": f"token {token}"}, timeout=30
    ) as client:
        for i in range(n):
            r = client.post(
                f"/ticket/{remote}/correspond",
                json={"Content": f"floor {i}", "ContentType": "text/plain"},
            )
            r.raise_for_status()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--consoles", type=int, default=20)
    parser.add_argument("--actions", type=int, default=100)
    parser.add_argument("--tickets", type=int, default=10)
    parser.add_argument("--faults", type=float, default=0.1, help="fault rate per write")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from rt_server import RTServer, rt_installed

    if not rt_installed():
        sys.exit("RT 5 not installed: run .ci/install-rt.sh")
    from cs_console.sync.bootstrap import bootstrap

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        server = RTServer(workdir / "rt", workers=8).start()
        try:
            print(f"RT on {server.url} started in {server.timings['total_s']:.1f} s", flush=True)
            with RTBackend(server.url, user="root", password=server.root_auth[1]) as admin:
                rep = bootstrap(admin, sync_user="cs-sync", apply_local=True, env=server.env)
                assert not rep.problems, rep.problems
                started = time.perf_counter()
                team = make_team(
                    server.url, admin, server.make_token, workdir, args.consoles, "load"
                )
                print(f"{args.consoles} consoles enrolled in {time.perf_counter() - started:.1f} s")
                try:
                    remotes = shared_tickets(admin, args.tickets, "负载")
                    stats = run_team(
                        team, remotes, args.actions, args.seed, args.faults, threads=True
                    )
                    checked = history_check(team, admin, remotes)
                finally:
                    close(team)
                token = server.make_token("cs-sync", "floor")
                floor_s = raw_floor(server.url, token, remotes[0], int(stats["ops_done"]))
        finally:
            server.stop()
    floor_rate = stats["ops_done"] / floor_s if floor_s else 0.0
    total = stats["act_seconds"] + stats["settle_seconds"]
    print(
        f"push   {stats['ops_per_second']:8.1f} ops/s  ({stats['ops_done']:.0f} ops from "
        f"{stats['actions']:.0f} actions in {total:.1f} s, {args.faults:.0%} faults)   "
        f"floor {floor_rate:8.1f} ops/s  (one bare httpx loop, {floor_s:.1f} s)"
    )
    print(f"lag    {stats['pull_lag_seconds']:8.2f} s      (longest final round, push + pull)")
    print(
        f"check  ok: {checked['message_ops_checked']} message ops once in RT, "
        f"{checked['messages']} messages in {args.consoles} caches once each, "
        f"{checked['dropped_by_agents']} conflicts taken as RT's; every cache agrees with RT"
    )


if __name__ == "__main__":
    main()
