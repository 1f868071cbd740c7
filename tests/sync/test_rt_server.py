"""The test RT instance itself: starts fresh, answers REST2, token auth works, clock is UTC."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.rt


def test_instance_answers_rest2(rt_server):
    r = httpx.get(f"{rt_server.url}/REST/2.0/queues/all", auth=rt_server.root_auth)
    assert r.status_code == 200
    names = {q["id"] for q in r.json()["items"]}
    assert "1" in names  # General, made by `rt-setup-database --action init`
    assert rt_server.timings["total_s"] < 60


def test_token_auth(rt_server, root_token):
    r = httpx.get(
        f"{rt_server.url}/REST/2.0/user/root", headers={"Authorization": f"token {root_token}"}
    )
    assert r.status_code == 200
    assert r.json()["Name"] == "root"
    bad = httpx.get(f"{rt_server.url}/REST/2.0/user/root", headers={"Authorization": "token 1-1-x"})
    assert bad.status_code == 401


def test_private_database(rt_server):
    assert (rt_server.workdir / "rt.sqlite").exists()
    assert str(rt_server.workdir) in (rt_server.workdir / "RT_SiteConfig.pm").read_text()
