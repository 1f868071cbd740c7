"""A follow-up's RT reminder resolved in RT (someone ticks it off in RT's web UI) shows as done
in the cache after the next pull, by who resolved it, with no outcome; the other direction (done
here resolves the reminder) is ``test_followups_rt``'s first test."""

from __future__ import annotations

import uuid

import pytest
from test_followups_rt import resolved_with_callback

from cs_console.service.errors import DeskError
from cs_console.service.followups import Followups
from cs_console.sync.backends.base import FieldChange

pytestmark = pytest.mark.rt


def test_a_reminder_resolved_in_rt_is_done_here_after_the_next_pull(store, admin, rt_ready):
    rid, ticket, desk, callback, eng, b = resolved_with_callback(
        store, admin, rt_ready, "回访在 RT 里完成"
    )
    assert not eng.sync_once().errors  # the reminder reaches RT
    reminder = Followups(desk).get(callback["id"])["remote_id"]
    assert reminder is not None and Followups(desk).get(callback["id"])["state"] != "done"

    done = admin.set_fields(
        FieldChange(str(uuid.uuid4()), str(reminder), {"Status": "resolved"}), None
    )
    assert done.ok, done
    rep = eng.sync_once()

    assert not rep.errors, rep.errors
    row = Followups(desk).get(callback["id"])
    assert (row["state"], row["done_by"], row["outcome"], row["satisfaction"]) == (
        "done",
        "root",
        None,
        None,
    )
    assert [r["id"] for r in Followups(desk).listing("done")] == [callback["id"]]
    [audit] = [a for a in store.audit(ticket["id"]) if a["action"] == "followup_done_in_rt"]
    assert audit["actor"] == "cs-sync"
    assert store.outbox(["pending", "in_flight", "uncertain"]) == []  # nothing to send back
    assert eng.sync_once().pulled == 0  # read once
    with pytest.raises(DeskError) as refused:
        Followups(desk).record(callback["id"], "reached", 5)
    assert refused.value.message("en").startswith(
        f"follow-up {callback['id']} was already recorded (done in RT) by root at "
    )
    assert "（已在 RT 中完成）" in refused.value.message("zh-Hant")
    b.close()
