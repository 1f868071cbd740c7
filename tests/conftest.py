"""Shared fixtures: an in-memory store on a pinned clock, a desk, a small demo cache."""

from __future__ import annotations

import pytest

from cs_console.clock import FixedClock
from cs_console.service.desk import Agent, Desk
from cs_console.store.db import Store

PINNED_NOW = "2026-11-23T08:00:00Z"


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the default language: the interface language is process state,
    and a CLI invocation with --lang (or a console in English) would otherwise leak into the
    next test (a subgroup invoked on its own, like ``kb``, never sets it)."""
    from cs_console import i18n

    before = i18n.language()
    i18n.set_language(i18n.DEFAULT_LANG)
    yield
    i18n.set_language(before)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(PINNED_NOW)


@pytest.fixture
def store(clock: FixedClock):
    with Store.open(":memory:", clock) as store:
        yield store


@pytest.fixture
def seeded(store: Store, clock: FixedClock) -> Store:
    from cs_console import demo

    demo.seed(store, tickets=60, seed_value=3, now=clock.now())
    return store


@pytest.fixture
def desk(seeded: Store) -> Desk:
    return Desk(seeded, Agent("agent01", "小林", "agent"))
