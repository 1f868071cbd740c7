"""Click commands for sync: ``rt`` (``rt bootstrap``) and ``sync``.

The root CLI adds them with ``main.add_command(rt)`` and ``main.add_command(sync)``.
Configuration comes from the environment: ``CS_CONSOLE_RT_URL`` plus ``CS_CONSOLE_RT_TOKEN``, or
``CS_CONSOLE_RT_USER`` and ``CS_CONSOLE_RT_PASSWORD``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from cs_console.cli.help_text import Command, Group
from cs_console.cli.support import db_option, desk_message, dump, open_store, say, scrub
from cs_console.i18n import said, t

if TYPE_CHECKING:
    from cs_console.config import Config
    from cs_console.service.sync import SyncService
    from cs_console.sync.backends.rt import RTBackend


def _config() -> Config:
    """The root command's config (file, 0600 secrets file, environment)."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    config = (root.obj or {}).get("config") if isinstance(root.obj, dict) else None
    if config is None:
        from cs_console.config import ConfigError, load_config

        try:
            config = load_config()
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from exc
    return config


def _backend() -> RTBackend:
    """The backend from the config settings."""
    from cs_console.service.sync import problem_text
    from cs_console.sync.connect import NotConfigured, backend_for

    try:
        return backend_for(_config().rt)
    except NotConfigured as exc:
        raise click.ClickException(problem_text(exc)) from exc


@click.group(cls=Group)
def rt() -> None:
    """Request Tracker 5: prepare the server cs-console syncs with."""


@rt.command("agent")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["trainee", "agent", "supervisor"]),
    required=True,
    help="Which team group the RT user joins (and leaves the other two).",
)
@click.option("--real-name", default="", help="Display name for a new user.")
def agent_cmd(name: str, role: str, real_name: str) -> None:
    """Put RT user NAME on the team with ROLE (as an RT administrator). Roles live only in RT:
    each console reads them at its next sync."""
    import httpx

    from cs_console.sync.team import enrol

    with _backend() as backend:
        try:
            done = enrol(backend.client, name, role, real_name)
        except (LookupError, httpx.HTTPStatusError) as exc:
            raise click.ClickException(str(exc)) from exc
    for line in done or [t("cli.rt.on_team", name=name, role=t(f"role.{role}"))]:
        say(line)


@rt.command("bootstrap")
@click.option(
    "--sync-user",
    default=None,
    help="Create/repair this RT user for syncing (privileged, time zone UTC) and grant "
    "it the rights cs-console needs.",
)
@click.option("--support-queue", default=None, help="Name of the support queue.")
@click.option(
    "--datafile",
    type=click.Path(dir_okay=False),
    default=None,
    help="Where to write the initialdata file for what REST2 cannot create.",
)
@click.option(
    "--apply-local/--no-apply-local",
    default=None,
    help="Run rt-setup-database here (default: when RT is on loopback and the tool is installed).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def bootstrap_cmd(sync_user, support_queue, datafile, apply_local, as_json) -> None:
    """Create the queues, custom fields and rights cs-console needs. Safe to run twice."""
    from cs_console.sync.backends.rt import SUPPORT_QUEUE
    from cs_console.sync.bootstrap import bootstrap

    with _backend() as backend:
        rep = bootstrap(
            backend,
            sync_user=sync_user,
            support_queue=support_queue or SUPPORT_QUEUE,
            datafile=datafile,
            apply_local=apply_local,
        )
    if as_json:
        dump(rep.as_dict())
    else:
        for item in rep.created:
            say(t("cli.rt.created", item=item))
        for item in rep.existing:
            say(t("cli.rt.exists", item=item))
        if rep.command:
            say(t("cli.rt.run_on_server"))
            say(f"  {rep.command}")
        for p in rep.problems:
            say(t("cli.rt.problem", problem=p), err=True)
    if rep.problems:
        sys.exit(1)
    if rep.command and not rep.applied:
        sys.exit(3)


def _db_path(ctx: click.Context, db: str | None) -> str:
    if db:
        return db
    root = ctx.find_root()
    cfg = (root.obj or {}).get("config") if isinstance(root.obj, dict) else None
    path = getattr(cfg, "db", None)
    if not path:
        raise click.UsageError(t("cli.sync.no_db"))
    return str(path)


@click.command("sync", cls=Command)
@click.option("--once", is_flag=True, help="One round (push, then pull) and exit.")
@click.option("--json", "as_json", is_flag=True, help="Print the round's summary as JSON.")
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    default=None,
    help="Cache file (defaults to the global --db / config).",
)
@click.option(
    "--interval",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds between rounds without --once.",
)
@click.option("--sweep", is_flag=True, help="Also look for op ids that exist twice in RT.")
@click.pass_context
def sync(
    ctx: click.Context, once: bool, as_json: bool, db: str | None, interval: float, sweep: bool
) -> None:
    """Push the outbox to RT and pull tickets back.

    Prints {"pulled","pushed","pending","uncertain","rejected","conflicts"} with --json.
    Each round also escalates overdue tickets to a supervisor (offline too; `[escalation] auto`
    in the config) and names them on stderr.
    Exit status: 0 synced, 2 offline, 3 credentials refused.
    """
    from cs_console.service.desk import Agent
    from cs_console.service.session import StoreError
    from cs_console.service.sync import NotConfigured, problem_text, sync_session

    path = _db_path(ctx, db)
    config = _config()
    # sync pushes what agents queued and RT checks each change against its own rights; the id
    # only names who decided a conflict in the audit log
    agent = Agent(config.agent_id, config.agent_id)
    try:
        with sync_session(
            path,
            agent,
            config.rt,
            sla_config=config.sla,
            escalation=config.escalation,
            routing=config.routing,
        ) as service:
            code = _rounds(service, once, as_json, interval, sweep)
    except NotConfigured as exc:
        raise click.ClickException(problem_text(exc)) from exc
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    sys.exit(code)


def _rounds(service: SyncService, once: bool, as_json: bool, interval: float, sweep: bool) -> int:
    """Run rounds (one with ``once``); returns the exit status of the last."""
    import time

    from cs_console.service.escalation import notice
    from cs_console.service.sync import report_problems

    while True:
        done = service.round(sweep=sweep)
        rep = done.report
        out = rep.summary()
        if as_json:
            dump(out)
        else:
            state = t("cli.sync.offline" if rep.offline else "cli.sync.ok")
            say(t("cli.sync.round", state=state, **out))
        for problem in report_problems(rep):
            say(problem, err=True)
        if done.escalated:
            say(notice(done.escalated), err=True)
        for op_id, where in rep.duplicates.items():
            say(t("cli.sync.duplicate", op=op_id, where=", ".join(where)), err=True)
        code = 3 if rep.auth_required else 2 if rep.offline else 0
        if once or rep.auth_required:
            return code
        time.sleep(interval)


@rt.command("import-orders")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
def import_orders_cmd(csv_file: str) -> None:
    """Put the orders of a CSV export into RT (assets of the Orders catalog). Idempotent."""
    from cs_console.sync.orders import push_orders, read_orders_csv

    orders, problems = read_orders_csv(csv_file)
    for p in problems:
        say(said(p), err=True)
    with _backend() as backend:
        rep = push_orders(backend, orders)
    for p in rep.problems:
        say(said(p), err=True)
    say(t("cli.rt.orders_put", n=rep.imported, total=len(orders)))
    sys.exit(1 if problems or rep.problems else 0)


@click.command("conflicts", cls=Command)
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON array of the ops in conflict.")
@click.pass_context
def conflicts(ctx: click.Context, as_json: bool) -> None:
    """Changes RT refused because someone else changed the same field first: each waits for
    `cs-console conflict SEQ --keep mine|theirs` (or `s` in the console), and blocks the later
    changes of its ticket until then."""
    import json

    with open_store(ctx) as store:
        ops = store.outbox(("conflict",))
    for op in ops:
        op["payload"] = json.loads(op["payload"])
    if as_json:
        dump(ops)
        return
    if not ops:
        say(t("cli.conflicts.none"))
    for op in ops:
        error = scrub(op["last_error"] or "")
        say(
            t(
                "cli.conflicts.row",
                seq=op["seq"],
                kind=op["kind"],
                ticket=op["ticket_id"],
                error=error,
            )
        )


@click.command("conflict", cls=Command)
@db_option
@click.argument("seq", type=click.IntRange(min=1, max=2**63 - 1))
@click.option(
    "--keep",
    type=click.Choice(["mine", "theirs"]),
    required=True,
    help="mine: send the change again over RT's current version (needs RT); theirs: drop it "
    "(kept as rejected, never deleted).",
)
@click.pass_context
def conflict(ctx: click.Context, seq: int, keep: str) -> None:
    """Decide conflict SEQ (from `cs-console conflicts`); the decision is audited."""
    from cs_console.service.desk import DeskError
    from cs_console.service.session import StoreError
    from cs_console.service.sync import NotConfigured, Offline, problem_text, sync_session

    config = _config()
    keep_mine = keep == "mine"
    try:
        with sync_session(
            config.db, config.agent_id, config.rt, need_backend=keep_mine, sla_config=config.sla
        ) as service:
            op = service.decide_conflict(seq, keep_mine)
    except DeskError as exc:
        raise click.ClickException(desk_message(exc)) from exc
    except (NotConfigured, Offline, ValueError) as exc:
        raise click.ClickException(problem_text(exc)) from exc
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    said = "cli.conflict.resent" if keep_mine else "cli.conflict.dropped"
    say(t(said, seq=seq, kind=op["kind"], ticket=op["ticket_id"]))
