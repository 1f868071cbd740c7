"""What the command-line modules share: the cache and desk for a command, errors, JSON out.

``cli.py`` (the root group and the ticket commands) and ``returns_cli.py`` both build on these,
so neither imports the other.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from cs_console.cli.help_text import Command, Group
from cs_console.config import Config
from cs_console.redact import redact
from cs_console.untrusted import json_safe, visible

if TYPE_CHECKING:  # pragma: no cover
    from cs_console.service.errors import DeskError


def say(text: object = "", err: bool = False, nl: bool = True) -> None:
    """Every human-readable line goes out through here: control characters from customers, the
    backend or files are made visible (``cs_console.untrusted``), so nothing printed can act on
    the terminal. Errors and warnings (``err``) are also redacted: they quote the backend, which
    may echo a credential. Machine formats use :func:`dump` (JSON) or :func:`emit_exact` (CSV)."""
    click.echo(scrub(text) if err else visible(text), err=err, nl=nl)


def scrub(text: object) -> str:
    """An error for the terminal: made visible and without the configured secrets (or anything
    shaped like a credential)."""
    secrets: tuple[str, ...] = ()
    ctx = click.get_current_context(silent=True)
    if ctx is not None and isinstance(ctx.find_root().obj, dict):
        config = ctx.find_root().obj.get("config")
        if config is not None:
            secrets = config.rt.secrets()
    # one line: a newline quoted from data must not start a line that reads like ours
    return redact(visible(text), secrets).replace("\n", "\\n")


def dump(data: Any, indent: int | None = None) -> None:
    """JSON, exact: the same values come back when it is parsed; no raw control character."""
    click.echo(json_safe(json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=False)))


def emit_exact(text: str) -> None:
    """Data written as it is (CSV for a spreadsheet, a round-trip export)."""
    click.echo(text, nl=False)


TICKET_ID = click.IntRange(min=1, max=2**63 - 1)
"""A ticket number as SQLite can hold it (a 20-digit id is a usage error, not a crash)."""


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
        from cs_console.i18n import t

        raise click.ClickException(t("cli.no_cache", path=path))
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
    from cs_console.service.desk import Desk, DeskError
    from cs_console.service.session import sign_in

    config = config_of(ctx)
    with open_store(ctx) as store:
        try:
            agent = sign_in(store, config.agent_id)
        except DeskError as exc:
            raise click.ClickException(desk_message(exc)) from exc
        yield Desk(store, agent, config.sla, config.routing)


@contextmanager
def desk_errors() -> Iterator[None]:
    """A refused action leaves as one line in the interface language (see desk_message)."""
    from cs_console.service.desk import DeskError

    try:
        yield
    except DeskError as exc:
        raise click.ClickException(desk_message(exc)) from exc


def desk_message(exc: DeskError) -> str:
    """A DeskError as the CLI says it: translated, with the option that fixes it (``--note``)."""
    from cs_console.i18n import t

    text = exc.message()
    return t("err.with_cli_hint", message=text, hint=exc.cli_hint) if exc.cli_hint else text


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what the shell reports for `yes | head -1`


def closed_stdout() -> NoReturn:
    """The reader of standard output went away (`cs-console ... | head -1`): stop quietly, as
    other Unix tools do. What is still buffered goes to /dev/null, so Python's flush at exit
    cannot complain either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # not a real file (a test runner's buffer): nothing left to silence
    raise SystemExit(EXIT_BROKEN_PIPE)


class SafeGroup(Group):
    """The root group: every error leaves as one plain line and exit status 1.

    Error messages often quote a customer, a file or the backend, so they are made visible like
    any other output. A database failure (locked past the busy timeout, a read-only or damaged
    file) or bad bytes on standard input is reported, not dumped as a traceback full of customer
    data; ``CS_CONSOLE_DEBUG=1`` shows the traceback of an unexpected error.
    """

    command_class = Command
    group_class: type[click.Group | type] | None = Group  # not the root's own class
    # Options of the root group a user may also put after the command (`demo --lang en`).
    GLOBAL_OPTIONS = ("--lang", "--kb", "--config")

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except BrokenPipeError:
            closed_stdout()
        finally:
            try:  # a closed pipe shows only when the last buffered output is written
                sys.stdout.flush()
            except BrokenPipeError:
                closed_stdout()

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from cs_console.cli.click_text import early_language

        args = hoist_global_options(self, args, self.GLOBAL_OPTIONS)
        early_language(args)
        try:  # --help prints from here
            return super().parse_args(ctx, args)
        except BrokenPipeError:
            closed_stdout()

    def invoke(self, ctx: click.Context) -> Any:
        import sqlite3

        from cs_console.i18n import t
        from cs_console.service.errors import DeskError
        from cs_console.store.db import StoreError

        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            setattr(exc, "message", scrub(exc.message))  # noqa: B010 (Final in click's stubs)
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            closed_stdout()
        except DeskError as exc:
            raise click.ClickException(scrub(desk_message(exc))) from exc
        except StoreError as exc:
            raise click.ClickException(scrub(exc)) from exc
        except sqlite3.Error as exc:
            raise click.ClickException(scrub(t("cli.cache_unusable", error=exc))) from exc
        except UnicodeDecodeError as exc:
            byte = f"{exc.object[exc.start]:02x}"
            raise click.ClickException(
                t("cli.not_utf8_input", byte=byte, offset=exc.start)
            ) from exc
        except Exception as exc:
            if os.environ.get("CS_CONSOLE_DEBUG"):
                raise
            raise click.ClickException(
                scrub(t("cli.unexpected", kind=type(exc).__name__, error=exc))
            ) from exc


def _option_names(command: click.Command) -> set[str]:
    names = {name for param in command.params for name in getattr(param, "opts", ())}
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            names |= _option_names(sub)
    return names


def _command_position(group: click.Group, args: list[str]) -> int | None:
    takes_value = {
        name for param in group.params if not getattr(param, "is_flag", True) for name in param.opts
    }
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in takes_value:
            i += 2
        elif arg.startswith("-"):
            i += 1
        else:
            return i if arg in group.commands else None
    return None


def hoist_global_options(
    group: click.Group, args: list[str], options: tuple[str, ...]
) -> list[str]:
    """Move the root's value options found after the command name to before it, unless the
    command has an option of that name itself; ``--`` ends the search."""
    position = _command_position(group, args)
    if position is None:
        return args
    own = _option_names(group.commands[args[position]])
    head, tail, hoisted = args[:position], args[position:], []
    rest: list[str] = []
    i = 0
    while i < len(tail):
        arg = tail[i]
        if arg == "--":
            rest.extend(tail[i:])
            break
        name = arg.split("=", 1)[0]
        if name in options and name not in own:
            if "=" in arg:
                hoisted.append(arg)
                i += 1
                continue
            hoisted.extend(tail[i : i + 2])
            i += 2
            continue
        rest.append(arg)
        i += 1
    return [*head, *hoisted, *rest]
