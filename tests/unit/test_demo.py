from cs_console import demo
from cs_console.clock import FixedClock
from cs_console.demo.catalogue import TOPIC_CATEGORY
from cs_console.store.db import Store

TABLES = ("customers", "orders", "order_lines", "tickets", "messages")


def _dump(store):
    return {t: store.all(f"SELECT * FROM {t} ORDER BY 1") for t in TABLES}


def test_same_seed_same_data_and_different_seed_differs():
    clock = FixedClock("2026-11-23T08:00:00Z")
    with (
        Store.open(":memory:", clock) as a,
        Store.open(":memory:", clock) as b,
        Store.open(":memory:", clock) as c,
    ):
        demo.seed(a, tickets=150, seed_value=11)
        demo.seed(b, tickets=150, seed_value=11)
        demo.seed(c, tickets=150, seed_value=12)
        assert _dump(a) == _dump(b)
        assert _dump(a)["tickets"] != _dump(c)["tickets"]


def test_demo_is_realistic(seeded):
    assert seeded.scalar("SELECT count(DISTINCT topic) FROM tickets") > 30
    assert set(r["category"] for r in seeded.all("SELECT DISTINCT category FROM tickets")) <= set(
        TOPIC_CATEGORY.values()
    )
    assert seeded.scalar("SELECT count(*) FROM order_lines WHERE batch_no IS NULL") == 0
    assert seeded.scalar("SELECT count(DISTINCT tier) FROM customers") >= 3
    assert seeded.scalar("SELECT count(DISTINCT status) FROM tickets") == 4
    assert (
        seeded.scalar(
            "SELECT count(*) FROM tickets WHERE status IN ('open','pending') AND sla_due IS NULL"
        )
        == 0
    )
    assert (
        seeded.scalar("SELECT count(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id") >= 60
    )
    assert seeded.scalar("SELECT count(*) FROM agents WHERE role = 'supervisor'") == 1


def test_all_topics_appear_at_scale():
    with Store.open(":memory:", FixedClock("2026-11-23T08:00:00Z")) as store:
        counts = demo.seed(store, tickets=3000)
        assert counts["tickets"] == 3000
        assert store.scalar("SELECT count(DISTINCT topic) FROM tickets") == len(TOPIC_CATEGORY)


def test_seeding_twice_is_refused(seeded):
    import pytest

    with pytest.raises(ValueError, match="already holds tickets"):
        demo.seed(seeded, tickets=5)


def test_topics_are_the_knowledge_base_article_slugs():
    import re

    assert len(TOPIC_CATEGORY) == 63
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in TOPIC_CATEGORY)
