"""The command line: every console action has a twin here (see README, "Command line").

Heavy modules (Textual, the search engine, sync) are imported inside the commands that need them
so that ``cs-console queue`` answers quickly.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from cs_console import i18n
from cs_console.cli.click_text import install as translate_click
from cs_console.cli.help_text import Group
from cs_console.cli.support import (
    TICKET_ID,
    SafeGroup,
    config_of,
    db_option,
    desk_errors,
    desk_message,
    dump,
    open_desk,
    open_store,
    say,
    scrub,
)
from cs_console.config import LANGS, Config, ConfigError, data_dir, load_config
from cs_console.service.queue import FILTER_NAMES, QUEUE_FILTERS

translate_click()  # Click's usage lines and errors in the interface language


class LazyRoot(SafeGroup):
    """The root group, whose command groups beside their code are imported only when the
    arguments name a command or ask for help: opening the console (no command) skips them."""

    registered = False

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not _only_root_options(self, args):
            self.register()
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.register()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self.register()
        return super().get_command(ctx, cmd_name)

    def register(self) -> None:
        if not self.registered:
            self.registered = True
            _register_subgroups()


def _only_root_options(group: click.Group, args: list[str]) -> bool:
    """Whether ``args`` are the root's own value options and nothing else (no command, no
    ``--help`` or ``--version``)."""
    takes_value = {
        name for param in group.params if not getattr(param, "is_flag", True) for name in param.opts
    }
    i = 0
    while i < len(args):
        if args[i] in takes_value:
            i += 2
        elif "=" in args[i] and args[i].split("=", 1)[0] in takes_value:
            i += 1
        else:
            return False
    return True


@click.group(
    cls=LazyRoot,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help="Cache file (SQLite)."
)
@click.option(
    "--kb",
    "kb_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Knowledge-base folder.",
)
@click.option("--lang", type=click.Choice(LANGS), help="Interface language.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (TOML).",
)
@click.version_option(package_name="cs-console")
@click.pass_context
def main(
    ctx: click.Context,
    db_path: Path | None,
    kb_dir: Path | None,
    lang: str | None,
    config_path: Path | None,
) -> None:
    """cs-console: a keyboard-first console for customer-service agents.

    Without a command, opens the console on the configured cache.
    """
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    if db_path is not None:
        config.db = db_path
    if lang is not None:
        config.lang = lang
    ctx.obj = {"config": config, "kb_dir": kb_dir, "db_given": db_path is not None}
    i18n.set_language(config.lang)
    if ctx.invoked_subcommand is None:
        if not config.db.exists():
            say(i18n.t("shift.welcome", path=str(config.db)))
            return
        _run_console(config, kb_dir, demo=False)


# -- data --------------------------------------------------------------------------------


def _counted(table: str, n: int) -> str:
    """``5 agents`` in the interface language (a table without a text: its name)."""
    text = i18n.t(f"cli.seed.count.{table}", n=n)
    return f"{n} {table}" if text.startswith("cli.") else text


@main.command()
@db_option
@click.option(
    "--customers", type=click.IntRange(min=1), help="Customers (default: a quarter of the tickets)."
)
@click.option("--tickets", type=click.IntRange(min=0), default=200, show_default=True)
@click.option(
    "--seed", "seed_value", type=int, default=7, show_default=True, help="Same seed, same data."
)
@click.option("--quiet", is_flag=True, help="No progress on stderr.")
@click.pass_context
def seed(
    ctx: click.Context, customers: int | None, tickets: int, seed_value: int, quiet: bool
) -> None:
    """Create a cache and fill it with deterministic demo data."""
    import time

    from cs_console import demo

    def progress(stage: str, done: int, total: int) -> None:
        if not quiet:
            named = i18n.t(f"cli.seed.stage.{stage}")
            shown = stage if named.startswith("cli.") else named
            say(i18n.t("cli.seed.progress", stage=shown, done=done, total=total), err=True)

    started = time.perf_counter()
    with open_store(ctx, must_exist=False) as store:
        try:
            counts = demo.seed(
                store,
                customers=customers,
                tickets=tickets,
                seed_value=seed_value,
                progress=progress,
            )
        except ValueError as exc:
            if store.counts()["tickets"]:
                raise click.ClickException(i18n.t("cli.seed.not_empty", path=store.path)) from exc
            raise click.ClickException(str(exc)) from exc
    elapsed = time.perf_counter() - started
    rows = sum(counts.values())
    listed = i18n.said(i18n.Items(_counted(table, n) for table, n in counts.items()))
    say(i18n.t("cli.seeded", path=store.path, counts=listed, rows=rows, seconds=f"{elapsed:.1f}"))


def _queue_item(desk: Any, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "subject": row["subject"],
        "customer_id": row["customer_id"],
        "customer": row["customer_name"],
        "tier": row["customer_tier"],
        "channel": row["channel"],
        "category": row["category"],
        "topic": row["topic"],
        "priority": row["priority"],
        "status": row["status"],
        "assignee": row["assignee"],
        "sentiment": row["sentiment"],
        "tags": row["tags"],
        "allergy": bool(row["allergy"]),
        "escalated": bool(row["escalated"]),
        "sla": desk.sla_view(row),
    }


@main.command()
@db_option
@click.option(
    "--filter",
    "filter_name",
    type=click.Choice([*FILTER_NAMES, *(a for f in QUEUE_FILTERS for a in f.aliases)]),
    default="all",
    show_default=True,
    help="The console's filters (approvals: supervisors; `approval` is accepted too).",
)
@click.option("--limit", type=click.IntRange(min=1, max=10000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="JSON array (see README for the fields).")
@click.pass_context
def queue(ctx: click.Context, filter_name: str, limit: int, as_json: bool) -> None:
    """The queue in console order: breached first, then by SLA due, then priority."""
    from cs_console.policy.sla import format_remaining

    with open_desk(ctx) as desk, desk_errors():
        rows = desk.queue(filter_name, limit=limit)
        items = [_queue_item(desk, row) for row in rows]
    if as_json:
        dump(items)
        return
    if not items:
        say(i18n.t("cli.queue.empty"))
    for item in items:
        flags = ("!" if item["allergy"] else " ") + ("^" if item["escalated"] else " ")
        say(
            f"{item['id']:>7} {format_remaining(item['sla']['remaining_seconds']):>8} {item['sla']['state']:<8} "
            f"P{item['priority']} {flags} {item['channel']:<6} {item['category']:<10} "
            f"{(item['customer'] or '-')[:10]:<10} {item['subject'][:40]}"
        )


class TicketGroup(Group):
    """``ticket ID`` shows a ticket (``ticket show ID``); ``ticket create`` and ``ticket link``
    are its siblings."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0].isdigit():
            args = ["show", *args]
        return super().parse_args(ctx, args)


@main.group(cls=TicketGroup)
def ticket() -> None:
    """A ticket: `ticket ID` shows it; `ticket create` opens one; `ticket link` ties one to RT."""


@ticket.command("create")
@db_option
@click.option("--customer", "customer_id", help="Customer id (see `ticket ID --json`).")
@click.option("--subject", required=True)
@click.option("--body", help="The customer's words; '-' or omitted reads standard input.")
@click.option("--channel", default="desk", show_default=True)
@click.option("--category", default="general", show_default=True)
@click.option("--json", "as_json", is_flag=True, help='Print {"ticket_id", "op_id"}.')
@click.pass_context
def ticket_create(
    ctx: click.Context,
    customer_id: str | None,
    subject: str,
    body: str | None,
    channel: str,
    category: str,
    as_json: bool,
) -> None:
    """Open a ticket here; it reaches RT as a create op at the next sync."""
    text = sys.stdin.buffer.read().decode("utf-8") if body in (None, "-") else body
    with open_desk(ctx) as desk, desk_errors():
        ticket_id = desk.create_ticket(customer_id, subject, text, channel, category)
        # the create op (routing may queue the new ticket's assignment after it)
        op = desk.store.ops_of_ticket(ticket_id)[0]
    if as_json:
        dump({"ticket_id": ticket_id, "op_id": op["op_id"]})
    else:
        say(i18n.t("cli.ticket.created", ticket=ticket_id, op=op["op_id"]))


@ticket.command("link")
@db_option
@click.argument("ticket_id", type=TICKET_ID)
@click.argument("rt_id", type=TICKET_ID)
@click.pass_context
def ticket_link(ctx: click.Context, ticket_id: int, rt_id: int) -> None:
    """Tie local ticket TICKET_ID to the existing RT ticket RT_ID."""
    with open_desk(ctx) as desk, desk_errors():
        desk.link_remote(ticket_id, rt_id)
    say(i18n.t("cli.ticket.linked", ticket=ticket_id, rt=rt_id))


@ticket.command("orders")
@db_option
@click.argument("ticket_id", type=TICKET_ID)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def ticket_orders(ctx: click.Context, ticket_id: int, as_json: bool) -> None:
    """List the orders of TICKET_ID's customer, newest first (* the one the ticket is about)."""
    from cs_console.service.returns import Returns

    with open_desk(ctx) as desk, desk_errors():
        orders = Returns(desk).customer_orders(ticket_id)
    if as_json:
        dump(orders)
        return
    for order in orders:
        mark = "*" if order["linked"] else " "
        products = ", ".join(order["products"])
        say(f"{mark} {order['id']}  {str(order['placed_at'])[:10]}  {products}")


@ticket.command("order")
@db_option
@click.argument("ticket_id", type=TICKET_ID)
@click.argument("order_id")
@click.pass_context
def ticket_order(ctx: click.Context, ticket_id: int, order_id: str) -> None:
    """Make ORDER_ID (an order of the same customer) the order TICKET_ID is about."""
    from cs_console.service.returns import Returns

    with open_desk(ctx) as desk, desk_errors():
        changed = Returns(desk).link_order(ticket_id, order_id)
    again = "" if changed else i18n.t("cli.ticket.order_already")
    say(i18n.t("cli.ticket.order", ticket=ticket_id, order=order_id) + again)


@ticket.command("show")
@db_option
@click.argument("ticket_id", type=TICKET_ID)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def ticket_show(ctx: click.Context, ticket_id: int, as_json: bool) -> None:
    """One ticket with its customer, order and lines, and messages."""
    with open_desk(ctx) as desk, desk_errors():
        view = desk.ticket_view(ticket_id)
    if as_json:
        dump(view)
        return
    t = view["ticket"]
    say(
        f"#{t['id']} {t['subject']}  [{t['status']}, P{t['priority']}, {t['channel']}, {t['category']}]"
    )
    if view["customer"]:
        c = view["customer"]
        say(
            i18n.t(
                "cli.ticket.customer",
                name=c["name"],
                tier=c["tier"],
                points=c["points"],
                skin=c["skin_type"],
                phone=c["phone_masked"],
            )
        )
        if c["allergies"]:
            say(i18n.t("cli.ticket.allergies", allergies=", ".join(c["allergies"])))
    if view["order"]:
        o = view["order"]
        say(i18n.t("cli.ticket.order_head", order=o["id"], channel=o["channel"], paid=o["paid"]))
        for line in o["lines"]:
            say(
                i18n.t(
                    "cli.ticket.line",
                    n=line["line_no"],
                    sku=line["sku"],
                    product=line["product_name"],
                    qty=line["qty"],
                    batch=line["batch_no"],
                )
            )
    from cs_console.policy.sla import format_remaining

    say(
        f"SLA: {view['sla']['clock']} {view['sla']['state']} {format_remaining(view['sla']['remaining_seconds'])}"
    )
    for m in view["messages"]:
        say(f"--- {m['created_at']} {m['direction']} {m['author']}\n{m['body']}")


@main.command()
@db_option
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(["pending", "in_flight", "uncertain", "done", "rejected", "conflict"]),
    help="Only these states (repeatable). Default: all but done.",
)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def outbox(ctx: click.Context, states: tuple[str, ...], as_json: bool) -> None:
    """Actions waiting to sync (pending, uncertain, rejected, conflict)."""
    with open_store(ctx) as store:
        ops = store.outbox(states or ("pending", "in_flight", "uncertain", "rejected", "conflict"))
        summary = store.outbox_summary()
    for op in ops:
        op["payload"] = json.loads(op["payload"])
    if as_json:
        dump({"summary": summary, "ops": ops})
        return
    say(", ".join(f"{v} {k}" for k, v in summary.items()))
    for op in ops:
        say(
            i18n.t(
                "cli.outbox.row",
                seq=op["seq"],
                state=op["state"],
                kind=op["kind"],
                ticket=op["ticket_id"],
                op=op["op_id"],
                error=scrub(op["last_error"] or ""),
            )
        )


# -- actions (the console's twins) -------------------------------------------------------


@main.command()
@db_option
@click.option("--ticket", "ticket_id", type=TICKET_ID, required=True)
@click.option("--body", help="Text to send; '-' or omitted reads standard input.")
@click.option("--note", is_flag=True, help="An internal note instead of a reply.")
@click.pass_context
def reply(ctx: click.Context, ticket_id: int, body: str | None, note: bool) -> None:
    """Reply to the customer (or add an internal note)."""
    # bytes, decoded strictly: invalid UTF-8 is refused with its offset, never half-stored
    text = sys.stdin.buffer.read().decode("utf-8") if body in (None, "-") else body
    with open_desk(ctx) as desk, desk_errors():
        message_id = desk.note(ticket_id, text) if note else desk.reply(ticket_id, text)
    say(i18n.t("cli.message.queued", message=message_id))


@main.command()
@db_option
@click.option("--ticket", "ticket_id", type=TICKET_ID, required=True)
@click.argument("status", type=click.Choice(["open", "pending", "resolved", "closed"]))
@click.pass_context
def status(ctx: click.Context, ticket_id: int, status: str) -> None:
    """Set a ticket's status (pending pauses the SLA clock; resolved stops it)."""
    with open_desk(ctx) as desk, desk_errors():
        desk.set_status(ticket_id, status)
    say(i18n.t("cli.ticket.status", ticket=ticket_id, status=i18n.t(f"status.{status}")))


@main.command()
@db_option
@click.option("--ticket", "ticket_id", type=TICKET_ID, required=True)
@click.argument("priority", type=click.IntRange(1, 4))
@click.pass_context
def priority(ctx: click.Context, ticket_id: int, priority: int) -> None:
    """Set priority: 1 urgent, 2 high, 3 normal, 4 low."""
    with open_desk(ctx) as desk, desk_errors():
        desk.set_priority(ticket_id, priority)
    say(i18n.t("cli.ticket.priority", ticket=ticket_id, priority=priority))


@main.command()
@db_option
@click.option("--ticket", "ticket_id", type=TICKET_ID, required=True)
@click.argument("agent_id", required=False)
@click.pass_context
def assign(ctx: click.Context, ticket_id: int, agent_id: str | None) -> None:
    """Assign a ticket to an agent (no agent: unassign)."""
    with open_desk(ctx) as desk, desk_errors():
        desk.assign(ticket_id, agent_id)
    agent = agent_id or i18n.t("cli.ticket.nobody")
    say(i18n.t("cli.ticket.assigned", ticket=ticket_id, agent=agent))


@main.command("take-next")
@db_option
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def take_next(ctx: click.Context, as_json: bool) -> None:
    """Take the most urgent unassigned ticket."""
    with open_desk(ctx) as desk, desk_errors():
        ticket_id = desk.take_next()
    if as_json:
        dump({"ticket_id": ticket_id})
    else:
        took = i18n.t("cli.ticket.took", ticket=ticket_id)
        say(took if ticket_id else i18n.t("cli.queue.nothing_to_take"))


@main.command()
@db_option
@click.option("--ticket", "ticket_id", type=TICKET_ID, required=True)
@click.option("--reason", required=True, help="Why the supervisor is needed.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def escalate(ctx: click.Context, ticket_id: int, reason: str, as_json: bool) -> None:
    """Escalate a ticket to a supervisor, with a reason."""
    with open_desk(ctx) as desk, desk_errors():
        desk.escalate(ticket_id, reason)
        ticket = desk.ticket(ticket_id)
    if as_json:
        dump(
            {
                "ticket_id": ticket_id,
                "escalated": True,
                "assignee": ticket["assignee"],
                "priority": ticket["priority"],
            }
        )
    else:
        to = ticket["assignee"] or i18n.t("cli.ticket.supervisors")
        say(i18n.t("cli.ticket.escalated", ticket=ticket_id, to=to))


@main.command("auto-escalate")
@db_option
@click.pass_context
def auto_escalate(ctx: click.Context) -> None:
    """Escalate every unresolved ticket past its resolution target."""
    with open_desk(ctx) as desk, desk_errors():
        ids = desk.auto_escalate()
    listed = (": " if i18n.language() == "en" else "：") + ", ".join(map(str, ids[:20]))
    say(i18n.t("cli.escalated_many", n=len(ids), ids=listed if ids else ""))


@main.group("import")
def import_group() -> None:
    """Bring data from other systems into the cache."""


@import_group.command("orders")
@db_option
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--push/--no-push", default=None, help="Also put them into RT (default: when RT is configured)."
)
@click.pass_context
def import_orders(ctx: click.Context, csv_file: str, push: bool | None) -> None:
    """Orders from a shop-system CSV export in UTF-8 (order_no, customer_email, placed_at,
    delivered_at, total, lines as "SKU x QTY @ PRICE #BATCH; ...").

    Every row is validated first (numbers, money, dates, e-mails, and that a known order keeps
    its customer); each bad row is printed as file:line: problem, and if there is any, nothing
    is written (exit status 1)."""
    from cs_console.service.orders import ImportRefused, check_orders, write_orders

    with open_store(ctx) as store:
        checked = check_orders(store, csv_file)
        if checked.problems:
            for problem in checked.problems:
                say(i18n.said(problem), err=True)
            raise click.ClickException(i18n.t("cli.orders.problems", n=len(checked.problems)))
        try:
            new, updated = write_orders(store, checked)
        except ImportRefused as exc:
            why = i18n.said(exc.args[0]) if exc.args else str(exc)
            raise click.ClickException(i18n.t("cli.orders.refused", why=why)) from exc
    say(i18n.t("cli.orders.imported", new=new, updated=updated))
    if push is None:
        push = bool(config_of(ctx).rt.url)
    if push:
        from cs_console.cli.sync import _backend
        from cs_console.sync.orders import push_orders

        with _backend() as backend:
            report = push_orders(backend, checked.orders)
        for problem in report.problems:
            say(i18n.said(problem), err=True)
        say(i18n.t("cli.orders.into_rt", n=report.imported))


# -- the console -------------------------------------------------------------------------


def default_demo_db() -> Path:
    return data_dir() / "demo.db"


@main.command()
@db_option
@click.option(
    "--tickets",
    type=click.IntRange(min=1),
    default=300,
    show_default=True,
    help="Tickets when the demo cache is created.",
)
@click.pass_context
def demo(ctx: click.Context, tickets: int) -> None:
    """Open the console on a demo cache (created and seeded if missing); no backend."""
    config = config_of(ctx)
    if not ctx.obj["db_given"]:
        config.db = default_demo_db()
    config.db.parent.mkdir(parents=True, exist_ok=True)
    if not config.db.exists():
        from cs_console import demo as demo_data

        with open_store(ctx, must_exist=False) as store:
            demo_data.seed(store, tickets=tickets)
    _run_console(config, ctx.obj["kb_dir"], demo=True)


def _run_console(config: Config, kb_dir: Path | None, demo: bool) -> None:
    from cs_console.service.desk import DeskError
    from cs_console.store.db import StoreError
    from cs_console.tui.app import run_console

    try:
        run_console(config, kb_dir=kb_dir, demo=demo)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    except DeskError as exc:
        raise click.ClickException(desk_message(exc)) from exc


def _register_subgroups() -> None:
    """The knowledge-base and backend command groups live beside their code."""
    from cs_console.cli.audit import register as register_audit
    from cs_console.cli.automation import register as register_automation
    from cs_console.cli.followups import register as register_followups
    from cs_console.cli.kb import kb
    from cs_console.cli.report import register as register_report
    from cs_console.cli.returns import register as register_returns
    from cs_console.cli.sync import conflict, conflicts, rt, sync
    from cs_console.cli.training import register as register_training

    main.add_command(kb)
    main.add_command(rt)
    main.add_command(sync)
    main.add_command(conflicts)
    main.add_command(conflict)
    register_returns(main)
    register_audit(main)
    register_report(main)
    register_training(main)
    register_followups(main)
    register_automation(main)


if __name__ == "__main__":  # pragma: no cover
    main()
