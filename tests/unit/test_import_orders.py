from click.testing import CliRunner

from cs_console.cli.root import main
from cs_console.store.db import Store


def _csv(tmp_path, rows):
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_no,customer_email,placed_at,delivered_at,total,lines\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )
    return path


def _db(tmp_path, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    db = tmp_path / "c.db"
    assert (
        CliRunner().invoke(main, ["seed", "--db", str(db), "--tickets", "20", "--quiet"]).exit_code
        == 0
    )
    with Store.open(db) as store:
        email = store.scalar("SELECT email FROM customers WHERE email IS NOT NULL LIMIT 1")
    return db, email


def test_import_orders_into_the_cache(tmp_path, monkeypatch):
    db, email = _db(tmp_path, monkeypatch)
    path = _csv(
        tmp_path,
        [
            f"EX-1,{email},2026-11-20 10:00,2026-11-22 09:00,500,SR-003 x 1 @ 299 #B2611A01; CL-001 x 2 @ 129"
        ],
    )
    result = CliRunner().invoke(
        main, ["--lang", "en", "import", "orders", str(path), "--db", str(db), "--no-push"]
    )
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        order = store.order("EX-1")
        assert order["paid"] == 500 and order["discount"] == 57.0
        assert [(x["sku"], x["qty"], x["batch_no"]) for x in order["lines"]] == [
            ("SR-003", 1, "B2611A01"),
            ("CL-001", 2, None),
        ]
    again = CliRunner().invoke(
        main, ["--lang", "en", "import", "orders", str(path), "--db", str(db), "--no-push"]
    )
    assert "0 new orders, updated 1" in again.output


def test_a_bad_row_writes_nothing_and_names_the_problem(tmp_path, monkeypatch):
    db, email = _db(tmp_path, monkeypatch)
    path = _csv(
        tmp_path,
        [
            f"EX-2,{email},2026-11-20 10:00,,129,CL-001 x 1 @ 129",
            "EX-3,nobody@example.org,2026-11-20 10:00,,129,CL-001 x 1 @ 129",
            f"EX-4,{email},2026-11-20 10:00,,129,NOPE x 1 @ 129",
        ],
    )
    result = CliRunner().invoke(
        main, ["--lang", "en", "import", "orders", str(path), "--db", str(db), "--no-push"]
    )
    assert result.exit_code == 1
    assert "nobody@example.org" in result.output and "unknown SKU NOPE" in result.output
    with Store.open(db) as store:
        assert store.order("EX-2") is None
