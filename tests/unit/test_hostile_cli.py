"""Hostile text in every field the CLI prints (issue 10, items 2 and 13).

Customer, backend and file text is written straight into a copy of a seeded cache with plain SQL,
then the read commands run through click's CliRunner. Each must exit 0 without a traceback; the
human output holds no control character (checked with our own regex, ``hostile.py``) and shows
the text made visible, markup included, literally; the JSON output holds no raw control
character either and parses back to exactly the stored value. ``color=True`` keeps click from
stripping ANSI sequences itself, which would hide a leak.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kb_fixture import write_kb

from cs_console import demo
from cs_console.cli.root import main
from cs_console.redact import redact
from cs_console.service.desk import Desk
from cs_console.service.session import sign_in
from cs_console.store.db import Store
from cs_console.untrusted import is_blank, visible
from hostile import MARKUP, SAMPLES, assert_no_control, hostile_list, hostile_text

HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = hostile_text(surrogates=False)  # the test binds these into SQLite itself
SHORT = hostile_text(surrogates=False, huge=False)
LIST = hostile_list(surrogates=False)

_ENV_CLEARED = (
    "CS_CONSOLE_DB",
    "CS_CONSOLE_AGENT",
    "CS_CONSOLE_LANG",
    "CS_CONSOLE_ROLE",
    "CS_CONSOLE_AGENT_NAME",
    "CS_CONSOLE_DEBUG",
    "CS_CONSOLE_RT_URL",
    "CS_CONSOLE_RT_USER",
    "CS_CONSOLE_RT_TOKEN",
    "CS_CONSOLE_RT_PASSWORD",
)


@dataclass(frozen=True)
class Base:
    """A seeded cache made once per module, and the rows of one ticket to plant text in."""

    root: Path
    db: Path
    kb: Path
    env: dict[str, str | None]
    ticket_id: int
    customer_id: str
    order_id: str
    line_id: int
    sku: str
    message_id: int
    op_seq: int


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    root = tmp_path_factory.mktemp("hostile_cli")
    (root / "config.toml").write_text("", encoding="utf-8")
    env: dict[str, str | None] = dict.fromkeys(_ENV_CLEARED)
    env.update(CS_CONSOLE_CONFIG=str(root / "config.toml"), CS_CONSOLE_CACHE_DIR=str(root / "c"))
    db = root / "base.db"
    with Store.open(db) as store:
        demo.seed(store, tickets=40, seed_value=3)
        row = store.one(
            "SELECT t.id, t.customer_id, t.order_id, l.id AS line_id, l.sku FROM tickets t "
            "JOIN order_lines l ON l.order_id = t.order_id WHERE t.status = 'open' "
            "AND t.escalated = 0 AND EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id) "
            "ORDER BY t.id, l.line_no LIMIT 1"
        )
        assert row is not None, "the seed has no open ticket with an order and messages"
        ticket_id = int(row["id"])
        message_id = int(store.messages(ticket_id)[0]["id"])
        desk = Desk(store, sign_in(store, "agent01"))
        desk.reply(ticket_id, "您好, 已为您查询")  # an outbox op whose error we can plant
        op_seq = int(store.scalar("SELECT max(seq) FROM outbox"))
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    return Base(
        root=root,
        db=db,
        kb=write_kb(root / "kb"),
        env=env,
        ticket_id=ticket_id,
        customer_id=str(row["customer_id"]),
        order_id=str(row["order_id"]),
        line_id=int(row["line_id"]),
        sku=str(row["sku"]),
        message_id=message_id,
        op_seq=op_seq,
    )


_copies = itertools.count()


def fresh_copy(base: Base) -> Path:
    """A copy of the seeded cache for one example (the base stays untouched)."""
    target = base.root / f"case{next(_copies)}.db"
    shutil.copy(base.db, target)
    return target


def plant(base: Base, path: Path, values: dict[str, Any]) -> dict[str, Any]:
    """Write ``values`` into the target ticket's rows with plain SQL (as a hostile sync, import or
    a tampered file would leave them). Returns ``values`` with the order id as stored."""
    stored = dict(values)
    conn = sqlite3.connect(path)
    try:
        with conn:
            customer = {
                k: values[k] for k in ("name", "skin_type", "city", "birthday") if k in values
            }
            if "allergies" in values:
                customer["allergies"] = json.dumps(values["allergies"], ensure_ascii=False)
            for column, value in customer.items():
                conn.execute(
                    f"UPDATE customers SET {column} = ? WHERE id = ?", (value, base.customer_id)
                )
            ticket = {k: values[k] for k in ("subject", "assignee") if k in values}
            if "tags" in values:
                ticket["tags"] = json.dumps(values["tags"], ensure_ascii=False)
            for column, value in ticket.items():
                conn.execute(
                    f"UPDATE tickets SET {column} = ? WHERE id = ?", (value, base.ticket_id)
                )
            for key, column in (("body", "body"), ("author", "author")):
                if key in values:
                    conn.execute(
                        f"UPDATE messages SET {column} = ? WHERE id = ?",
                        (values[key], base.message_id),
                    )
            if "product_name" in values:
                conn.execute(
                    "UPDATE products SET name = ? WHERE sku = ?", (values["product_name"], base.sku)
                )
            if "batch_no" in values:
                conn.execute(
                    "UPDATE order_lines SET batch_no = ? WHERE id = ?",
                    (values["batch_no"], base.line_id),
                )
            for column in ("channel", "store"):
                if column in values:
                    conn.execute(
                        f"UPDATE orders SET {column} = ? WHERE id = ?",
                        (values[column], base.order_id),
                    )
            if "order_id" in values:
                # An order number from `import orders` or RT; "SO" keeps it non-empty (an empty
                # id means "no order"). Foreign keys are off on this plain connection.
                new = stored["order_id"] = "SO" + values["order_id"]
                conn.execute("UPDATE orders SET id = ? WHERE id = ?", (new, base.order_id))
                for table in ("order_lines", "tickets", "returns"):
                    conn.execute(
                        f"UPDATE {table} SET order_id = ? WHERE order_id = ?", (new, base.order_id)
                    )
            if "last_error" in values or "payload_body" in values:
                payload = json.loads(
                    conn.execute(
                        "SELECT payload FROM outbox WHERE seq = ?", (base.op_seq,)
                    ).fetchone()[0]
                )
                if "payload_body" in values:
                    payload["body"] = values["payload_body"]
                conn.execute(
                    "UPDATE outbox SET state = 'rejected', last_error = ?, payload = ? "
                    "WHERE seq = ?",
                    (
                        values.get("last_error"),
                        json.dumps(payload, ensure_ascii=False),
                        base.op_seq,
                    ),
                )
    finally:
        conn.close()
    return stored


def cli(base: Base, *args: Any, input: Any = None) -> Result:
    return CliRunner().invoke(
        main, [str(a) for a in args], input=input, env=base.env, color=True, catch_exceptions=True
    )


def ok(result: Result) -> str:
    """The output of a command that must succeed: exit 0, no exception, no control character."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"the command raised:\n{trace}")
    assert result.exit_code == 0, result.output[-2000:]
    assert_no_control(result.output, invisible=True)
    return result.output


def one_line_error(result: Result, exit_code: int = 1) -> str:
    """A refusal: the exit status, one plain line, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), "".join(
        traceback.format_exception(result.exception)
    )
    assert result.exit_code == exit_code, result.output
    assert_no_control(result.output, invisible=True)
    if exit_code == 1:
        assert result.output.count("\n") == 1 and result.output.startswith(
            ("Error: ", "错误：", "錯誤：")
        ), result.output
    assert "Traceback" not in result.output
    return result.output


def shown(text: str) -> str:
    """How a value must appear in human output: made visible. A trailing CR is dropped: the
    newline that follows joins it into a CRLF, which is shown as a plain newline."""
    return visible(text.rstrip("\r"))


def assert_shown(output: str, text: str, what: str) -> None:
    expected = shown(text)
    assert expected in output, f"{what} not shown literally: {expected[:200]!r}"


def assert_markup_literal(output: str, text: str) -> None:
    for fragment in MARKUP:
        if fragment in text:
            assert fragment in output, f"markup {fragment!r} not shown literally"


def message(view: dict[str, Any], message_id: int) -> dict[str, Any]:
    return next(m for m in view["messages"] if m["id"] == message_id)


def queue_item(items: list[dict[str, Any]], ticket_id: int) -> dict[str, Any]:
    return next(i for i in items if i["id"] == ticket_id)


# -- the commands, each with the fields it prints ------------------------------------------

TICKET_FIELDS = {
    "subject": TEXT,
    "assignee": SHORT,
    "tags": LIST,
    "name": TEXT,
    "skin_type": SHORT,
    "allergies": LIST,
    "city": SHORT,
    "birthday": SHORT,
    "body": TEXT,
    "author": SHORT,
    "order_id": SHORT,
    "channel": SHORT,
    "store": SHORT,
    "product_name": SHORT,
    "batch_no": SHORT,
}


def check_ticket(base: Base, path: Path, stored: dict[str, Any]) -> None:
    human = ok(cli(base, "ticket", base.ticket_id, "--db", path))
    assert_shown(human, stored["subject"], "subject")
    assert_markup_literal(human, stored["subject"])
    assert_shown(human, stored["name"], "customer name")
    assert_shown(human, stored["skin_type"], "skin type")
    for allergen in stored["allergies"]:
        assert_shown(human, allergen, "allergen")
    assert_shown(human, stored["order_id"], "order number")
    assert_shown(human, stored["channel"], "order channel")
    assert_shown(human, stored["product_name"], "product name")
    assert_shown(human, stored["batch_no"], "batch number")
    assert_shown(human, stored["author"], "message author")
    assert_shown(human, stored["body"], "message body")
    assert_markup_literal(human, stored["body"])

    raw = ok(cli(base, "ticket", base.ticket_id, "--db", path, "--json"))
    view = json.loads(raw)
    assert view["ticket"]["subject"] == stored["subject"]
    assert view["ticket"]["assignee"] == stored["assignee"]
    assert view["ticket"]["tags"] == stored["tags"]
    customer = view["customer"]
    for key in ("name", "skin_type", "allergies", "city", "birthday"):
        assert customer[key] == stored[key], key
    order = view["order"]
    assert order["id"] == stored["order_id"]
    assert order["channel"] == stored["channel"] and order["store"] == stored["store"]
    line = next(line for line in order["lines"] if line["id"] == base.line_id)
    assert line["product_name"] == stored["product_name"]
    assert line["batch_no"] == stored["batch_no"]
    m = message(view, base.message_id)
    assert m["body"] == stored["body"] and m["author"] == stored["author"]


QUEUE_FIELDS = {"subject": TEXT, "name": TEXT, "assignee": SHORT, "tags": LIST}


def check_queue(base: Base, path: Path, stored: dict[str, Any]) -> None:
    human = ok(cli(base, "queue", "--db", path, "--limit", 10000))
    assert_shown(human, stored["subject"][:40], "subject (first 40)")
    if stored["name"]:
        assert_shown(human, stored["name"][:10], "customer name (first 10)")
    items = json.loads(ok(cli(base, "queue", "--db", path, "--limit", 10000, "--json")))
    item = queue_item(items, base.ticket_id)
    assert item["subject"] == stored["subject"]
    assert item["customer"] == stored["name"]
    assert item["assignee"] == stored["assignee"]
    assert item["tags"] == stored["tags"]


OUTBOX_FIELDS = {"last_error": TEXT, "payload_body": TEXT}


def check_outbox(base: Base, path: Path, stored: dict[str, Any]) -> None:
    human = ok(cli(base, "outbox", "--db", path))
    error = stored["last_error"]
    if redact(visible(error)) == visible(error):  # nothing in it looks like a credential
        # an error stays on its op's line: a newline in it is shown as \n
        expected = shown(error).replace("\n", "\\n")
        assert expected in human, f"last error not shown literally: {expected[:200]!r}"
    data = json.loads(ok(cli(base, "outbox", "--db", path, "--json")))
    op = next(op for op in data["ops"] if op["seq"] == base.op_seq)
    assert op["last_error"] == error and op["state"] == "rejected"
    assert op["payload"]["body"] == stored["payload_body"]


AUDIT_FIELDS = {"actor": SHORT, "action": SHORT, "reason": TEXT}


def audit_rows(base: Base, path: Path, stored: dict[str, Any]) -> int:
    """An escalation with a hostile reason (through the desk) and a row whose actor, action and
    detail are hostile (as a pulled RT answer could fill one); returns that row's id."""
    with Store.open(path) as store:
        if not is_blank(stored["reason"]):
            Desk(store, sign_in(store, "agent01")).escalate(base.ticket_id, stored["reason"])
        return store.add_audit(
            "2026-11-23T08:00:00Z",
            stored["actor"],
            stored["action"],
            base.ticket_id,
            {"reason": stored["reason"], "quoted": [stored["actor"]]},
        )


def check_audit(base: Base, path: Path, stored: dict[str, Any]) -> None:
    row_id = audit_rows(base, path, stored)
    human = ok(cli(base, "audit", "list", "--db", path))
    assert_shown(human, stored["actor"], "actor")
    assert_shown(human, stored["action"], "action")
    in_json = json.dumps(stored["reason"], ensure_ascii=False)[1:-1]  # the detail is JSON text
    assert visible(in_json) in human
    rows = json.loads(ok(cli(base, "audit", "list", "--db", path, "--json")))
    row = next(r for r in rows if r["id"] == row_id)
    assert row["actor"] == stored["actor"] and row["action"] == stored["action"]
    assert row["detail"] == {"reason": stored["reason"], "quoted": [stored["actor"]]}
    if not is_blank(stored["reason"]):
        escalated = next(r for r in rows if r["action"] == "escalate")
        assert escalated["detail"]["reason"] == stored["reason"].strip()


def run_case(base: Base, check: Any, values: dict[str, Any]) -> None:
    path = fresh_copy(base)
    try:
        check(base, path, plant(base, path, values))
    finally:
        path.unlink(missing_ok=True)


# -- hypothesis: many mixes of hostile text ------------------------------------------------


@HYPOTHESIS
@given(values=st.fixed_dictionaries(TICKET_FIELDS))
def test_ticket_shows_hostile_fields_literally_and_json_exactly(base, values):
    run_case(base, check_ticket, values)


@HYPOTHESIS
@given(values=st.fixed_dictionaries(QUEUE_FIELDS))
def test_queue_shows_hostile_fields_literally_and_json_exactly(base, values):
    run_case(base, check_queue, values)


@HYPOTHESIS
@given(values=st.fixed_dictionaries(OUTBOX_FIELDS))
def test_outbox_shows_backend_errors_literally_and_json_exactly(base, values):
    run_case(base, check_outbox, values)


@HYPOTHESIS
@given(values=st.fixed_dictionaries(AUDIT_FIELDS))
def test_audit_list_shows_hostile_rows_literally_and_json_exactly(base, values):
    run_case(base, check_audit, values)


def check_kb_search(base: Base, query: str) -> None:
    # "--" so a query starting with "-" is a query, not an option.
    human = ok(cli(base, "--kb", base.kb, "kb", "search", "--", query))
    hits = json.loads(ok(cli(base, "--kb", base.kb, "kb", "search", "--json", "--", query)))
    assert isinstance(hits, list)
    if not hits:
        assert_markup_literal(human, query)


@HYPOTHESIS
@given(query=hostile_text(surrogates=False, huge=False))
def test_kb_search_with_a_hostile_query(base, query):
    check_kb_search(base, query)


# -- the fixed samples: every command, deterministic -----------------------------------------


def _every_field(text: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for fields in (TICKET_FIELDS, QUEUE_FIELDS, OUTBOX_FIELDS, AUDIT_FIELDS):
        for key in fields:
            values[key] = [text, "酒精"] if key in ("tags", "allergies") else text
    return values


SAMPLE_IDS = [f"sample{i}" for i in range(len(SAMPLES))]


@pytest.mark.parametrize("text", SAMPLES, ids=SAMPLE_IDS)
@pytest.mark.parametrize(
    "check",
    [check_ticket, check_queue, check_outbox, check_audit],
    ids=["ticket", "queue", "outbox", "audit"],
)
def test_sample_in_every_field(base, check, text):
    run_case(base, check, _every_field(text))


@pytest.mark.parametrize("text", SAMPLES, ids=SAMPLE_IDS)
def test_sample_as_kb_query(base, text):
    check_kb_search(base, text)


def test_markup_and_escapes_are_shown_not_obeyed(base):
    """The classic attacks, spelled out: the markup reads literally, ESC shows as ^[, the forged
    line stays on the line it came from, the bidi override is named."""
    values = _every_field("")
    values["subject"] = "[@click=screen.set_status('closed')]Alice[/] \x1b]0;t\x07 \u202eabc"
    values["body"] = "好的\rAPPROVED by sup01\x1b[2J\x9b2J"
    path = fresh_copy(base)
    plant(base, path, values)
    out = ok(cli(base, "ticket", base.ticket_id, "--db", path))
    assert "[@click=screen.set_status('closed')]Alice[/]" in out
    assert "^[]0;t^G" in out and "<U+202E>abc" in out
    assert "好的^MAPPROVED by sup01^[[2J<U+009B>2J" in out
    assert "\nAPPROVED" not in out


def test_kb_search_stdin_with_hostile_lines(base):
    lines = [s.replace("\r", "").replace("\n", " ") for s in SAMPLES]
    result = cli(base, "--kb", base.kb, "kb", "search", "--stdin", input="\n".join(lines) + "\n")
    out = ok(result)
    assert [type(json.loads(row)) for row in out.splitlines()] == [list] * len(lines)


# -- refusals: one line, nothing written -----------------------------------------------------


def _message_count(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT count(*) FROM messages").fetchone()[0],
            conn.execute("SELECT count(*) FROM outbox").fetchone()[0],
        )
    finally:
        conn.close()


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe bad", "ok 好".encode() + b"\xe5\xa5", b"\xc0\xaf"],
    ids=["ff", "cut", "overlong"],
)
def test_reply_with_invalid_utf8_on_stdin_is_refused(base, data):
    path = fresh_copy(base)
    before = _message_count(path)
    argv = ("--lang", "en", "reply", "--db", path, "--ticket", base.ticket_id)
    out = one_line_error(cli(base, *argv, input=data))
    assert "UTF-8" in out and "nothing was changed" in out
    assert _message_count(path) == before


@pytest.mark.parametrize(
    "body",
    ["\u200b\u200b\ufeff", "\u2060\u180e \u2028\u2029", "\u202e\u2066\u200e", " \u200b\n\t\u200d "],
    ids=["zero-width", "invisible", "bidi", "mixed"],
)
@pytest.mark.parametrize("note", [False, True], ids=["reply", "note"])
def test_a_message_of_invisible_characters_is_refused(base, body, note):
    path = fresh_copy(base)
    before = _message_count(path)
    args = ["--lang", "en", "reply", "--db", path, "--ticket", base.ticket_id, "--body", body]
    out = one_line_error(cli(base, *args, *(["--note"] if note else [])))
    assert "the message is empty" in out
    assert _message_count(path) == before


def test_an_escalation_reason_of_invisible_characters_is_refused(base):
    path = fresh_copy(base)
    before = _message_count(path)
    result = cli(base, "escalate", "--db", path, "--ticket", base.ticket_id, "--reason", "\u200b")
    out = one_line_error(result)
    assert "reason" in out
    assert _message_count(path) == before


TWENTY_DIGITS = "99999999999999999999"


@pytest.mark.parametrize(
    "args",
    [
        ["ticket", TWENTY_DIGITS],
        ["ticket", TWENTY_DIGITS, "--json"],
        ["reply", "--ticket", TWENTY_DIGITS, "--body", "x"],
        ["status", "--ticket", TWENTY_DIGITS, "open"],
        ["escalate", "--ticket", TWENTY_DIGITS, "--reason", "x"],
        ["audit", "list", "--ticket", TWENTY_DIGITS],
        ["return", "--ticket", TWENTY_DIGITS, "--sku", "X", "--reason", "quality"],
        ["compensate", "--ticket", TWENTY_DIGITS, "--kind", "points"],
    ],
    ids=[
        "ticket",
        "ticket-json",
        "reply",
        "status",
        "escalate",
        "audit-list",
        "return",
        "compensate",
    ],
)
def test_a_twenty_digit_ticket_id_is_a_usage_error(base, args):
    path = fresh_copy(base)
    before = _message_count(path)
    out = one_line_error(cli(base, *args, "--db", path), exit_code=2)
    assert "9223372036854775807" in out  # the range is named
    assert _message_count(path) == before


def test_an_error_quoting_stored_text_stays_on_one_line(base):
    path = fresh_copy(base)
    plant(base, path, {"order_id": "1\nAPPROVED by sup01\x1b[2J"})
    args = ["return", "--db", path, "--ticket", base.ticket_id, "--sku", "NOPE", "--reason"]
    out = one_line_error(cli(base, *args, "quality"))
    assert "NOPE" in out and "APPROVED by sup01^[[2J" in out


@pytest.mark.parametrize("check", [check_ticket, check_queue, check_outbox, check_audit])
def test_huge_values_in_every_field(base, check):
    huge = ("\x1b]52;c;Zm9v\x07[@click=app.quit]过敏\u202e\r" * 15_000)[:200_000]
    values = _every_field(huge)
    values["tags"] = values["allergies"] = [huge[:5000], "酒精"]
    run_case(base, check, values)
