"""What the command-line modules share: the cache and desk for a command, errors, JSON out.

``cli.py`` (the root group and the ticket commands) and ``returns_cli.py`` both build on these,
so neither imports the other.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from cs_console.config import Config


def dump(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=None, sort_keys=False))


def set_db(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        root = ctx.find_root()
        root.obj["config"].db = value
        root.obj["db_given"] = True


def db_option(command: Any) -> Any:
    """``--db PATH`` on a subcommand too (``cs-console seed --db x.db``), same as the global one."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        expose_value=False,
        callback=set_db,
        help="Cache file (SQLite).",
    )(command)


def config_of(ctx: click.Context) -> Config:
    return ctx.find_root().obj["config"]


@contextmanager
def open_store(ctx: click.Context, must_exist: bool = True) -> Iterator[Any]:
    from cs_console.store.db import Store, StoreError

    path = config_of(ctx).db
    if must_exist and not path.exists():
        raise click.ClickException(
            f"{path}: no cache here; create one with `cs-console seed --db {path}`"
        )
    try:
        store = Store.open(path)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield store
    finally:
        store.close()


@contextmanager
def open_desk(ctx: click.Context) -> Iterator[Any]:
    from cs_console.service.desk import Agent, Desk

    config = config_of(ctx)
    with open_store(ctx) as store:
        yield Desk(store, Agent(config.agent_id, config.agent_name, config.role), config.sla)


@contextmanager
def desk_errors() -> Iterator[None]:
    from cs_console.service.desk import DeskError

    try:
        yield
    except DeskError as exc:
        raise click.ClickException(str(exc)) from exc
