"""`import orders` names every bad row as file:line: message and then writes nothing (issue 10,
item 10): numbers, money, dates, e-mails, encodings and who owns an order."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cs_console import demo
from cs_console.cli.root import main
from cs_console.clock import FixedClock
from cs_console.service.orders import ImportRefused, check_orders, write_orders
from cs_console.store.db import Store
from cs_console.sync.orders import read_order_rows

HEADER = "order_no,customer_email,placed_at,delivered_at,total,lines"
EMAIL = "user2@example.com"  # C000002 in the seeded demo cache
OTHER = "user3@example.com"  # C000003
GOOD = f"EX-1,{EMAIL},2026-11-20 10:00,2026-11-22 09:00,500,SR-003 x 1 @ 299 #B2611A01; CL-001 x 2 @ 129"


def _file(tmp_path: Path, *rows: str, name: str = "orders.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _counts(store: Store) -> tuple[int, int, float]:
    return (
        store.scalar("SELECT count(*) FROM orders"),
        store.scalar("SELECT count(*) FROM order_lines"),
        store.scalar("SELECT total(paid) FROM orders"),
    )


def _row(
    order_no: str = "EX-9",
    email: str = EMAIL,
    placed: str = "2026-11-20 10:00",
    delivered: str = "",
    total: str = "",
    lines: str = "CL-001 x 1 @ 129",
) -> str:
    return ",".join([order_no, email, placed, delivered, total, lines])


BAD_ROWS = [
    (_row(total="abc"), "total 'abc' is not a number"),
    (_row(total="nan"), "total 'nan' is not a finite number"),
    (_row(total="inf"), "total 'inf' is not a finite number"),
    (_row(total="-Infinity"), "total '-Infinity' is not a finite number"),
    (_row(total="-5"), "total -5 is negative"),
    (_row(total="1.234"), "total 1.234 has more than 2 decimals"),
    (_row(total="1e20"), "total '1e20' is not a number"),
    (_row(total="100000000000000000000"), "is over the limit of 1000000 yuan"),
    (_row(total="130"), "total 130 is more than the order lines add up to (129.00)"),
    (_row(lines="CL-001 x 0 @ 129"), "item 1: quantity must be at least 1"),
    (_row(lines="CL-001 x abc @ 129"), "item 1: quantity 'abc' is not a whole number"),
    (_row(lines="CL-001 x nan @ 129"), "item 1: quantity 'nan' is not a whole number"),
    (_row(lines="CL-001 x -1 @ 129"), "item 1: quantity '-1' is not a whole number"),
    (_row(lines="CL-001 x 1.5 @ 129"), "item 1: quantity '1.5' is not a whole number"),
    (_row(lines="CL-001 x 100000000000000000000 @ 1"), "quantity 100000000000000000000 is over"),
    (_row(lines="CL-001 x 1000 @ 1"), "item 1: quantity 1000 is over the limit of 999"),
    (_row(lines="CL-001 x 1 @ nan"), "item 1: price 'nan' is not a finite number"),
    (_row(lines="CL-001 x 1 @ -3"), "item 1: price -3 is negative"),
    (_row(lines="CL-001 x 1 @ 1.999"), "item 1: price 1.999 has more than 2 decimals"),
    (_row(lines="CL-001 x 1 @ 1e20"), "item 1: price '1e20' is not a number"),
    (_row(lines="CL-001 x 999 @ 999999"), "the order lines add up to 998999001, over the limit"),
    (_row(lines="CL-001 x 1 @ 129; NOPE x 1 @ 1"), "item 2: unknown SKU NOPE"),
    (_row(lines="CL-001 one @ 129"), "item 1 'CL-001 one @ 129': write SKU x QTY @ PRICE"),
    (_row(lines=""), "no order lines"),
    (_row(placed=""), "placed_at is missing"),
    (_row(placed="yesterday"), "placed_at 'yesterday' is not a date"),
    (_row(placed="2026-13-01"), "placed_at '2026-13-01' is not a date"),
    (_row(placed="0001-01-01T00:00:00+08:00"), "placed_at '0001-01-01T00:00:00+08:00' is not"),
    (_row(placed="9999-01-01"), "placed_at 9999-01-01 is outside the years 2000-2100"),
    (_row(delivered="2026-11-19 10:00"), "delivered_at 2026-11-19 10:00 is before placed_at"),
    (_row(delivered="soon"), "delivered_at 'soon' is not a date"),
    (_row(email=""), "customer_email is missing"),
    (_row(email="not-an-email"), "customer_email 'not-an-email' is not an e-mail address"),
    (_row(email="a@b"), "customer_email 'a@b' is not an e-mail address"),
    (_row(email="nobody@example.org"), "no customer with e-mail 'nobody@example.org'"),
    (_row(order_no="EX\x1b]0;owned\x07"), "the order number must be at most 64 printable"),
    (_row(order_no="EX 9"), "the order number must not contain spaces"),
    (_row(order_no="E" * 65), "the order number must be at most 64 printable characters"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS, ids=[m for _r, m in BAD_ROWS])
def test_each_bad_row_is_named_and_nothing_is_written(
    seeded: Store, tmp_path: Path, row: str, message: str
) -> None:
    path = _file(tmp_path, GOOD, row)
    before = _counts(seeded)
    checked = check_orders(seeded, path)
    assert checked.problems, "the bad row was accepted"
    assert all(p.startswith(f"{path}:3: ") for p in checked.problems), checked.problems
    assert any(message in p for p in checked.problems), checked.problems
    with pytest.raises(ImportRefused):
        write_orders(seeded, checked)
    assert _counts(seeded) == before and seeded.order("EX-1") is None


def test_every_bad_row_is_reported_with_its_physical_line(seeded: Store, tmp_path: Path) -> None:
    multi_line = f'EX-2,{EMAIL},2026-11-20 10:00,,,"CL-001 x 1 @ 129;\nSR-003 x 1 @ 299"'
    path = _file(
        tmp_path,
        GOOD,  # line 2
        multi_line,  # lines 3-4
        "",  # line 5: blank, skipped
        _row(order_no="EX-3", total="abc"),  # line 6
        _row(order_no="EX-4", lines="CL-001 x 0 @ 129"),  # line 7
        _row(order_no="EX-1"),  # line 8: EX-1 again
        _row(order_no="EX-5", total="nan", placed="never"),  # line 9: two problems
    )
    checked = check_orders(seeded, path)
    assert sorted({p.split(": ")[0] for p in checked.problems}) == [
        f"{path}:{n}" for n in (6, 7, 8, 9)
    ]
    assert f"{path}:8: order EX-1: appears twice in the file (also line 2)" in checked.problems
    assert len([p for p in checked.problems if p.startswith(f"{path}:9:")]) == 2
    assert [row["id"] for row in checked.rows] == ["EX-1", "EX-2"]  # checked, never written


def test_the_cli_prints_every_problem_on_stderr_exits_1_and_writes_nothing(
    cache: Path, tmp_path: Path
) -> None:
    path = _file(tmp_path, GOOD, _row(total="inf"), _row(order_no="EX-8", lines="CL-001 x 0 @ 1"))
    with Store.open(cache) as store:
        before = _counts(store)
    result = _import(cache, path)
    assert result.exit_code == 1
    assert f"{path}:3: order EX-9: total 'inf' is not a finite number" in result.stderr
    assert f"{path}:4: order EX-8: item 1: quantity must be at least 1" in result.stderr
    assert "2 problem(s); nothing was imported" in result.stderr
    assert "Traceback" not in result.output
    with Store.open(cache) as store:
        assert _counts(store) == before and store.order("EX-1") is None


def test_a_gbk_file_is_named_as_not_utf8(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    data = f"{HEADER}\nEX-1,{EMAIL},2026-11-20 10:00,,,CL-001 x 1 @ 129 #批号\n".encode("gbk")
    path.write_bytes(data)
    offset = next(i for i, byte in enumerate(data) if byte >= 0x80)
    expected = (
        f"{path}: not UTF-8 (byte 0x{data[offset]:02x} at offset {offset}); "
        "save it as UTF-8 and retry"
    )
    assert read_order_rows(path) == ([], [expected])
    result = _import(cache, path)
    assert result.exit_code == 1 and expected in result.stderr
    assert "Traceback" not in result.output


def test_a_chinese_gbk_header_is_named_too(tmp_path: Path) -> None:
    path = tmp_path / "订单.csv"
    path.write_bytes("订单号,邮箱,金额,明细\n".encode("gbk"))
    rows, problems = read_order_rows(path)
    assert rows == [] and problems == [
        f"{path}: not UTF-8 (byte 0xb6 at offset 0); save it as UTF-8 and retry"
    ]


def test_a_utf8_bom_is_accepted_and_offsets_count_it(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\n{GOOD}\n".encode())
    rows, problems = read_order_rows(path)
    assert problems == [] and [(r.line, r.order.order_no) for r in rows] == [(2, "EX-1")]
    path.write_bytes(b"\xef\xbb\xbforder_no\n\xff\n")
    assert read_order_rows(path)[1] == [
        f"{path}: not UTF-8 (byte 0xff at offset 12); save it as UTF-8 and retry"
    ]


def test_an_order_of_another_customer_is_refused_and_not_rewritten(
    cache: Path, tmp_path: Path
) -> None:
    with Store.open(cache) as store:
        theirs = store.one(
            "SELECT o.id, o.customer_id, o.paid FROM orders o JOIN customers c "
            "ON c.id = o.customer_id WHERE c.email IS NOT NULL AND c.email != ? LIMIT 1",
            (EMAIL,),
        )
        assert theirs is not None
    row = _row(order_no=theirs["id"], total="1", lines="CL-001 x 1 @ 129")
    result = _import(cache, _file(tmp_path, row))
    assert result.exit_code == 1
    assert "is already in the cache under another customer" in result.stderr
    with Store.open(cache) as store:
        after = store.order(theirs["id"])
        assert after is not None
        assert (after["customer_id"], after["paid"]) == (theirs["customer_id"], theirs["paid"])


def test_ownership_is_checked_again_inside_the_write(seeded: Store, tmp_path: Path) -> None:
    checked = check_orders(seeded, _file(tmp_path, GOOD))
    assert checked.problems == []
    assert write_orders(seeded, checked) == (1, 0)
    again = check_orders(seeded, _file(tmp_path, GOOD.replace("500", "400")))
    assert again.problems == []
    other = seeded.customer_by_email(OTHER)
    with seeded.transaction():  # another console moves the order in between
        seeded.conn.execute("UPDATE orders SET customer_id = ? WHERE id = 'EX-1'", (other,))
    with pytest.raises(ImportRefused, match="under another customer"):
        write_orders(seeded, again)
    assert seeded.order("EX-1")["paid"] == 500


def test_a_known_order_cannot_be_paid_more_than_its_cached_total(
    seeded: Store, tmp_path: Path
) -> None:
    assert write_orders(seeded, check_orders(seeded, _file(tmp_path, GOOD))) == (1, 0)
    # the same customer's export now lists more items, but a known order keeps its lines
    bigger = GOOD.replace(",500,", ",900,").replace("CL-001 x 2", "CL-001 x 6")
    checked = check_orders(seeded, _file(tmp_path, bigger))
    assert [p.split(": ", 2)[2] for p in checked.problems] == [
        "total 900 is more than the cached order's total (557.00)"
    ]
    assert seeded.order("EX-1")["paid"] == 500


def test_a_good_file_still_imports_and_a_reimport_refreshes(cache: Path, tmp_path: Path) -> None:
    second = _row(order_no="EX-2", total="129.90", lines="CL-001 x 1 @ 129.90")
    path = _file(tmp_path, GOOD, second)
    result = _import(cache, path)
    assert result.exit_code == 0, result.output
    assert "imported 2 new orders, updated 0" in result.stdout
    with Store.open(cache) as store:
        order = store.order("EX-1")
        assert order is not None and order["customer_id"] == "C000002"
        assert (order["total"], order["discount"], order["paid"]) == (557.0, 57.0, 500.0)
        assert order["placed_at"] == "2026-11-20T10:00:00Z" and order["status"] == "delivered"
        assert [(x["sku"], x["qty"], x["unit_price"]) for x in order["lines"]] == [
            ("SR-003", 1, 299.0),
            ("CL-001", 2, 129.0),
        ]
        assert store.order("EX-2")["paid"] == 129.9
    path.write_text(f"{HEADER}\n{GOOD.replace(',500,', ',450,')}\n", encoding="utf-8")
    again = _import(cache, path)
    assert again.exit_code == 0 and "imported 0 new orders, updated 1" in again.stdout
    with Store.open(cache) as store:
        refreshed = store.order("EX-1")
        # the lines and total stay; the discount follows what was paid (a refund takes its
        # share off each line: with the old 57 it refunded 50 yuan too much)
        assert (refreshed["total"], refreshed["discount"], refreshed["paid"]) == (
            557.0,
            107.0,
            450.0,
        )


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("", encoding="utf-8")
    for name in ("CS_CONSOLE_DB", "CS_CONSOLE_RT_URL"):
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "cache.db"
    clock = FixedClock("2026-11-23T08:00:00Z")
    with Store.open(db, clock) as store:
        demo.seed(store, tickets=20, seed_value=3, now=clock.now())
    return db


def _import(db: Path, path: Path):
    return CliRunner().invoke(
        main, ["--lang", "en", "import", "orders", str(path), "--db", str(db), "--no-push"]
    )
