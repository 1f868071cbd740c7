"""`rt bootstrap` on a fresh RT: creates what the adapter needs, and a second run creates nothing."""

from __future__ import annotations

import json

import httpx
import pytest
from click.testing import CliRunner

from cs_console.cli.sync import rt as rt_group
from cs_console.sync.backends.rt import RTBackend
from cs_console.sync.bootstrap import bootstrap, initialdata, perl_literal, wanted_custom_fields

pytestmark = pytest.mark.rt


def test_first_run_created_everything(rt_ready, rt_server):
    rep = rt_ready["first_report"]
    assert rep.applied
    assert "queue Returns" in rep.created
    assert "catalog Orders" in rep.created
    created = " ".join(rep.created)
    for spec in wanted_custom_fields():
        assert f"custom field {spec.name} ({spec.lookup})" in created
    user = httpx.get(f"{rt_server.url}/REST/2.0/user/cs-sync", auth=rt_server.root_auth).json()
    assert user["Timezone"] == "UTC"
    assert int(user["Privileged"]) == 1


def test_second_run_is_a_no_op(rt_ready, rt_server):
    with RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as admin:
        rep = bootstrap(admin, apply_local=True, env=rt_server.env)
    assert rep.problems == []
    assert rep.created == []
    assert rep.datafile is None  # nothing left for rt-setup-database
    r = httpx.post(
        f"{rt_server.url}/REST/2.0/customfields",
        auth=rt_server.root_auth,
        json=[{"field": "Name", "value": "OpId"}],
    )
    assert r.json()["count"] == 1


def test_cli_twice(rt_ready, rt_server, monkeypatch):
    monkeypatch.setenv("CS_CONSOLE_RT_URL", rt_server.url)
    monkeypatch.setenv("CS_CONSOLE_RT_USER", "root")
    monkeypatch.setenv("CS_CONSOLE_RT_PASSWORD", rt_server.root_auth[1])
    monkeypatch.delenv("CS_CONSOLE_RT_TOKEN", raising=False)
    for k, v in rt_server.env.items():
        if k.startswith("RT_SITE_CONFIG"):
            monkeypatch.setenv(k, v)
    runner = CliRunner()
    for _ in range(2):
        res = runner.invoke(
            rt_group, ["bootstrap", "--sync-user", "cs-sync", "--json", "--apply-local"]
        )
        assert res.exit_code == 0, res.output
        rep = json.loads(res.output)
        assert rep["problems"] == []
        assert rep["created"] == [
            "rights for cs-sync (granted or kept)",
            "team rights (granted or kept)",
        ]


def test_without_local_tool_prints_command(rt_ready, rt_server, tmp_path):
    with RTBackend(rt_server.url, user="root", password=rt_server.root_auth[1]) as admin:
        rep = bootstrap(
            admin, sync_user="cs-sync", apply_local=False, datafile=tmp_path / "rt-init.pl"
        )
    assert not rep.applied
    assert (
        rep.command
        == f"rt-setup-database --action insert --skip-create --datafile {tmp_path / 'rt-init.pl'}"
    )
    assert "@ACL" in (tmp_path / "rt-init.pl").read_text()


def test_perl_literal_quoting():
    assert perl_literal("it's \\ ok") == "'it\\'s \\\\ ok'"
    assert perl_literal({"a": [1, None]}) == "{'a' => [1, undef]}"
    text = initialdata(wanted_custom_fields()[:2], "u'x")
    assert "'u\\'x'" in text
