"""A ticket opened here and a local ticket tied to RT (issue 15: the CLI twins), and the
phone-lookup rule (issue 10, item 6)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cs_console.cli.root import main
from cs_console.service.desk import DeskError
from cs_console.store.db import Store


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    for name in ("CS_CONSOLE_DB", "CS_CONSOLE_AGENT", "CS_CONSOLE_ROLE", "CS_CONSOLE_AGENT_NAME"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "cache.db"
    result = CliRunner().invoke(main, ["seed", "--db", str(path), "--tickets", "30", "--quiet"])
    assert result.exit_code == 0, result.output
    return path


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def test_ticket_create_stores_triages_and_queues_one_create_op(db):
    with Store.open(db) as store:
        customer = store.one("SELECT id FROM customers LIMIT 1")["id"]
    result = run(
        "ticket", "create", "--db", db, "--customer", customer, "--subject", "柜台:面霜过敏",
        "--body", "用了面霜脸上起红疹,很痒", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    created = json.loads(result.output)
    with Store.open(db) as store:
        ticket = store.ticket(created["ticket_id"])
        ops = store.ops_of_ticket(created["ticket_id"])
        messages = store.messages(created["ticket_id"])
    assert ticket["customer_id"] == customer and ticket["channel"] == "desk"
    assert ticket["allergy"] == 1 and ticket["priority"] <= 2  # triaged like a pulled message
    assert ticket["sla_due"]
    # routed on arrival (service.routing): the desk channel is the mall desk's group
    assert [o["kind"] for o in ops] == ["create_ticket", "assign"]
    assert ops[0]["op_id"] == created["op_id"]
    assert ticket["skill_group"] == "mall" and ticket["assignee"] == "agent03"
    assert [m["direction"] for m in messages] == ["in"]
    shown = run("ticket", created["ticket_id"], "--db", db)  # `ticket ID` still shows one
    assert shown.exit_code == 0 and "柜台:面霜过敏" in shown.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--subject", "  ", "--body", "x"], "needs a subject"),
        (["--subject", "s", "--body", "\u200b"], "empty"),
        (["--subject", "s", "--body", "x", "--channel", "fax"], "unknown channel"),
        (["--subject", "s", "--body", "x", "--category", "misc"], "unknown category"),
        (["--subject", "s", "--body", "x", "--customer", "nobody"], "does not exist"),
    ],
)
def test_ticket_create_refuses_bad_input_and_writes_nothing(db, args, message):
    with Store.open(db) as store:
        before = store.scalar("SELECT count(*) FROM tickets")
    result = run("--lang", "en", "ticket", "create", "--db", db, *args)
    assert result.exit_code == 1 and message in result.output
    with Store.open(db) as store:
        assert store.scalar("SELECT count(*) FROM tickets") == before


def test_ticket_link_ties_a_local_ticket_to_rt_once(db):
    with Store.open(db) as store:
        a, b = [
            r["id"] for r in store.all("SELECT id FROM tickets WHERE remote_id IS NULL LIMIT 2")
        ]
    assert run("ticket", "link", "--db", db, a, 9001).exit_code == 0
    again = run("--lang", "en", "ticket", "link", "--db", db, a, 9002)
    assert again.exit_code == 1 and "already RT ticket 9001" in again.output
    taken = run("--lang", "en", "ticket", "link", "--db", db, b, 9001)
    assert taken.exit_code == 1 and f"already local ticket {a}" in taken.output
    created = json.loads(
        run("ticket", "create", "--db", db, "--subject", "s", "--body", "x", "--json").output
    )
    creating = run("--lang", "en", "ticket", "link", "--db", db, created["ticket_id"], 9003)
    assert creating.exit_code == 1 and "being created in RT" in creating.output
    with Store.open(db) as store:
        assert store.ticket(a)["remote_id"] == 9001
        assert store.one("SELECT * FROM audit_log WHERE action = 'link_remote'")["ticket_id"] == a


def test_phone_lookup_takes_four_digits_or_the_whole_number_and_is_audited(desk):
    phone = desk.store.one("SELECT phone FROM customers WHERE phone IS NOT NULL LIMIT 1")["phone"]
    audited = "SELECT count(*) FROM audit_log WHERE action = 'phone_lookup'"
    before = desk.store.scalar(audited)
    assert any(f["kind"] == "customer" for f in desk.find(phone[-4:]))
    for grown in range(5, len(phone)):  # a tail grown digit by digit finds nobody
        assert not [f for f in desk.find(phone[-grown:]) if f["kind"] == "customer"]
    assert any(f["kind"] == "customer" for f in desk.find(phone))
    assert not [f for f in desk.find(phone[-3:]) if f["kind"] == "customer"]
    assert desk.store.scalar(audited) == before + 2  # the two lookups that could answer
    row = desk.store.one("SELECT detail FROM audit_log WHERE action = 'phone_lookup' LIMIT 1")
    assert phone not in row["detail"]  # the audit says who was looked up, not the number


def test_a_supervisor_never_decides_their_own_request(desk):
    from cs_console.service.desk import Agent, Desk
    from cs_console.service.returns import Returns

    supervisor = Desk(desk.store, Agent("sup01", "王主管", "supervisor"))
    ticket = desk.store.one(
        "SELECT t.id FROM tickets t JOIN orders o ON o.id = t.order_id "
        "WHERE t.status = 'open' LIMIT 1"
    )
    assert ticket is not None
    # file one as the supervisor themself (outside policy: goodwill)
    order = desk.store.order(desk.store.ticket(ticket["id"])["order_id"])
    line = order["lines"][0]
    try:
        filed = Returns(supervisor).request(
            ticket["id"], lines=[(line["sku"], 1)], reason="opened", goodwill=True
        )
    except DeskError:
        pytest.skip("no order line the policy lets this ticket return")
    if filed.status != "awaiting_approval":
        pytest.skip("a supervisor's own request needs no approval here")
    with pytest.raises(DeskError, match="another supervisor"):
        Returns(supervisor).approve(filed.return_id, "同意")
