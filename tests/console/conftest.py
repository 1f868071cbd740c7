"""Console fixtures: the real app on a seeded cache with a pinned clock and a private KB cache."""

from __future__ import annotations

import time

import pytest

from cs_console import demo, i18n
from cs_console.clock import FixedClock
from cs_console.store.db import Store

PINNED = "2026-11-23T08:00:00Z"


@pytest.fixture(autouse=True)
def _utc_and_private_cache(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setenv("CS_CONSOLE_CACHE_DIR", str(tmp_path_factory.mktemp("kbcache")))
    yield
    i18n.set_language("zh-Hans")
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.fixture
def console_store(tmp_path):
    clock = FixedClock(PINNED)
    store = Store.open(tmp_path / "console.db", clock)
    demo.seed(store, tickets=80, seed_value=5)
    yield store
    store.close()


@pytest.fixture
def app(console_store):
    from console_helpers import make_app

    return make_app(console_store)
