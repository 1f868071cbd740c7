"""Prepare a fresh RT 5 for cs-console (`cs-console rt bootstrap`). Idempotent.

Two channels, because REST2 in RT 5.0.3 cannot do everything:

* **REST2** (always): the queues (support queue, ``Returns``), the ``Orders`` asset catalog, the
  ticket custom fields (``OpId`` global, the return fields on ``Returns``; REST2 applies a new CF
  to a queue through its ``Queue`` argument), and the sync user (privileged, time zone UTC).
* **An initialdata file** for what REST2 cannot do: apply a custom field to transactions, users or
  a catalog, and grant rights. Bootstrap writes a Perl initialdata file with only the missing
  custom fields plus the sync user's rights, and, when ``rt-setup-database`` is on this machine
  and RT is on loopback (or ``apply_local=True``), runs
  ``rt-setup-database --action insert --datafile FILE``; otherwise it prints that command for the
  RT administrator. Rights granted twice are harmless (RT logs that the right exists).

Everything is looked up before it is created, so a second run creates nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

from cs_console.policy.roles import TEAM_GROUPS
from cs_console.sync.backends.rt import (
    CF_CLIENT_OP_ID,
    CF_OP_ID,
    ORDER_CFS,
    ORDERS_CATALOG,
    RETURN_CFS,
    RETURNS_QUEUE,
    SUPPORT_QUEUE,
    USER_CFS,
    RTBackend,
)
from cs_console.sync.team import group_ids

TICKET = "RT::Queue-RT::Ticket"
TXN = "RT::Queue-RT::Ticket-RT::Transaction"
USER = "RT::User"
ASSET = "RT::Catalog-RT::Asset"


@dataclass(frozen=True)
class CFSpec:
    name: str
    lookup: str
    apply_to: str | None  # None: global; else a queue or catalog name
    description: str
    type: str = "FreeformSingle"


def wanted_custom_fields(support_queue: str = SUPPORT_QUEUE) -> list[CFSpec]:
    specs = [
        CFSpec(CF_OP_ID, TICKET, None, "cs-console outbox op id of the create (reconciliation)"),
        CFSpec(CF_CLIENT_OP_ID, TXN, None, "cs-console outbox op id of a reply or comment"),
    ]
    specs += [
        CFSpec(cf, TICKET, RETURNS_QUEUE, f"return/exchange {attr}")
        for attr, cf in RETURN_CFS.items()
    ]
    specs += [CFSpec(cf, USER, None, f"customer {attr}") for attr, cf in USER_CFS.items()]
    specs += [CFSpec(cf, ASSET, ORDERS_CATALOG, f"order {attr}") for attr, cf in ORDER_CFS.items()]
    return specs


#: Rights for a non-superuser sync user, granted globally.
SYNC_RIGHTS = (
    "SeeQueue",
    "ShowTicket",
    "CreateTicket",
    "ReplyToTicket",
    "CommentOnTicket",
    "ModifyTicket",
    "ShowTicketComments",
    "OwnTicket",
    "TakeTicket",
    "Watch",
    "ShowOutgoingEmail",
    "SeeCustomField",
    "ModifyCustomField",
    "SetInitialCustomField",
    "AdminUsers",
    "ShowUserHistory",
    "SeeGroup",
    "ShowCatalog",
    "ShowAsset",
    "CreateAsset",
    "ModifyAsset",
)


#: What every team member may do. On the support queue: work tickets. On the Returns queue: file
#: a request (create it with its fields) and read it, but not change it.
TEAM_SUPPORT_RIGHTS = (
    "SeeQueue",
    "ShowTicket",
    "CreateTicket",
    "ReplyToTicket",
    "CommentOnTicket",
    "ModifyTicket",
    "ShowTicketComments",
    "OwnTicket",
    "TakeTicket",
    "Watch",
    "SeeCustomField",
    "ModifyCustomField",
    "SetInitialCustomField",
)
TEAM_RETURNS_RIGHTS = (
    "SeeQueue",
    "ShowTicket",
    "CreateTicket",
    "ShowTicketComments",
    "SeeCustomField",
    "SetInitialCustomField",
)
#: Deciding a request changes the Returns ticket: only supervisors. A decision made offline by
#: someone whose cache says "supervisor" is refused here when it is pushed unless RT agrees.
SUPERVISOR_RETURNS_RIGHTS = ("CommentOnTicket", "ModifyTicket", "ModifyCustomField")
TEAM_GLOBAL_RIGHTS = ("SeeGroup", "ShowCatalog", "ShowAsset", "CreateAsset", "ModifyAsset")


def team_acl(support_queue: str) -> list[dict[str, Any]]:
    """initialdata ACL entries for the three team groups."""
    acl: list[dict[str, Any]] = []
    for group in TEAM_GROUPS.values():
        who = {"GroupDomain": "UserDefined", "GroupId": group}
        acl += [{**who, "Right": r} for r in TEAM_GLOBAL_RIGHTS]
        acl += [{**who, "Queue": support_queue, "Right": r} for r in TEAM_SUPPORT_RIGHTS]
        acl += [{**who, "Queue": RETURNS_QUEUE, "Right": r} for r in TEAM_RETURNS_RIGHTS]
    supervisors = {"GroupDomain": "UserDefined", "GroupId": TEAM_GROUPS["supervisor"]}
    acl += [{**supervisors, "Queue": RETURNS_QUEUE, "Right": r} for r in SUPERVISOR_RETURNS_RIGHTS]
    return acl


@dataclass
class BootstrapReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    datafile: str | None = None
    applied: bool = False
    command: str | None = None  # what the RT admin must run when not applied here
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "existing": self.existing,
            "datafile": self.datafile,
            "applied": self.applied,
            "command": self.command,
            "problems": self.problems,
        }


def perl_literal(value: Any) -> str:
    """A Perl literal for str/int/list/dict/None (initialdata is Perl)."""
    if value is None:
        return "undef"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(perl_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{perl_literal(str(k))} => {perl_literal(v)}" for k, v in value.items())
            + "}"
        )
    raise TypeError(f"no Perl literal for {type(value).__name__}")


def initialdata(
    cfs: list[CFSpec],
    sync_user: str | None,
    groups: list[str] | None = None,
    acl_extra: list[dict[str, Any]] | None = None,
) -> str:
    items = []
    for cf in cfs:
        item: dict[str, Any] = {
            "Name": cf.name,
            "Type": cf.type,
            "LookupType": cf.lookup,
            "Description": cf.description,
        }
        if cf.apply_to:
            item["ApplyTo"] = cf.apply_to
        items.append(item)
    acl = [{"UserId": sync_user, "Right": r} for r in SYNC_RIGHTS] if sync_user else []
    acl += acl_extra or []
    new_groups = [{"Name": g, "Description": f"cs-console team: {g}"} for g in groups or []]
    return (
        "# generated by `cs-console rt bootstrap`; load with\n"
        "#   rt-setup-database --action insert --datafile THIS_FILE\n"
        f"@Groups = ({', '.join(perl_literal(g) for g in new_groups)});\n"
        f"@CustomFields = ({', '.join(perl_literal(i) for i in items)});\n"
        f"@ACL = ({', '.join(perl_literal(a) for a in acl)});\n"
        "1;\n"
    )


class Bootstrapper:
    def __init__(self, backend: RTBackend, report: BootstrapReport | None = None) -> None:
        self.rt = backend
        self.c = backend.client
        self.report = report or BootstrapReport()

    # -- lookups --
    def _exists(self, path: str) -> dict[str, Any] | None:
        r = self.c.get(path)
        if r.status_code == 200:
            return r.json()
        if r.status_code == 404:
            return None
        if r.status_code == 401:
            raise PermissionError("RT refused the credentials (401)")
        r.raise_for_status()
        return None

    def _create(self, path: str, payload: dict[str, Any], what: str) -> str | None:
        r = self.c.post(path, json=payload)
        if r.status_code in (200, 201):
            self.report.created.append(what)
            body = r.json()
            return str(body.get("id")) if isinstance(body, dict) else None
        self.report.problems.append(self.rt.redact(f"{what}: HTTP {r.status_code} {r.text[:300]}"))
        return None

    def find_cf(self, spec: CFSpec) -> str | None:
        r = self.c.post(
            "/customfields",
            json=[
                {"field": "Name", "value": spec.name},
                {"field": "LookupType", "value": spec.lookup},
                {"field": "Disabled", "value": 0},
            ],
        )
        r.raise_for_status()
        items = r.json().get("items") or []
        return str(items[0]["id"]) if items else None

    # -- steps --
    def queue(self, name: str, description: str) -> str | None:
        got = self._exists(f"/queue/{name}")
        if got:
            self.report.existing.append(f"queue {name}")
            return str(got["id"])
        return self._create("/queue", {"Name": name, "Description": description}, f"queue {name}")

    def catalog(self, name: str, description: str) -> None:
        if self._exists(f"/catalog/{name}"):
            self.report.existing.append(f"catalog {name}")
            return
        self._create("/catalog", {"Name": name, "Description": description}, f"catalog {name}")

    def sync_user(self, name: str) -> None:
        got = self._exists(f"/user/{name}")
        if got is None:
            self._create(
                "/user",
                {
                    "Name": name,
                    "Privileged": 1,
                    "Timezone": "UTC",
                    "RealName": "cs-console sync",
                    "Comments": "cs-console sync user; time zone must stay UTC",
                },
                f"user {name}",
            )
            return
        self.report.existing.append(f"user {name}")
        if got.get("Timezone") not in ("UTC", None) or not got.get("Privileged"):
            r = self.c.put(f"/user/{name}", json={"Timezone": "UTC", "Privileged": 1})
            if r.status_code == 200:
                self.report.created.append(f"user {name}: Timezone UTC, privileged")

    def run(
        self,
        *,
        sync_user: str | None = None,
        support_queue: str = SUPPORT_QUEUE,
        apply_local: bool | None = None,
        datafile: str | os.PathLike[str] | None = None,
        rt_setup_database: str | None = None,
        env: dict[str, str] | None = None,
    ) -> BootstrapReport:
        qids = {
            support_queue: self.queue(support_queue, "cs-console: customer service tickets"),
            RETURNS_QUEUE: self.queue(RETURNS_QUEUE, "cs-console: returns and exchanges"),
        }
        self.catalog(ORDERS_CATALOG, "cs-console: customer orders")
        if sync_user:
            self.sync_user(sync_user)

        deferred: list[CFSpec] = []
        for spec in wanted_custom_fields(support_queue):
            if self.find_cf(spec):
                self.report.existing.append(f"custom field {spec.name} ({spec.lookup})")
                continue
            if spec.lookup == TICKET:
                # REST2 applies a new ticket CF through "Queue" (0 = global).
                qid = 0 if spec.apply_to is None else int(qids.get(spec.apply_to) or 0)
                self._create(
                    "/customfield",
                    {
                        "Name": spec.name,
                        "Type": spec.type,
                        "Description": spec.description,
                        "Queue": qid,
                    },
                    f"custom field {spec.name} ({spec.lookup})",
                )
            else:
                deferred.append(spec)

        existing_groups = group_ids(self.c)
        missing_groups = [g for g in TEAM_GROUPS.values() if g not in existing_groups]
        self.report.existing += [f"group {g}" for g in existing_groups]
        if not (deferred or sync_user or missing_groups):
            return self.report
        # the team's rights go with every datafile (granting twice is harmless), so a right
        # revoked by hand comes back on the next run that has anything to do
        text = initialdata(deferred, sync_user, missing_groups, team_acl(support_queue))
        if datafile is None:
            fd, path = tempfile.mkstemp(prefix="cs-console-rt-", suffix=".pl")
            os.close(fd)
        else:
            path = str(datafile)
        Path(path).write_text(text)
        self.report.datafile = path
        tool = (
            rt_setup_database
            or shutil.which("rt-setup-database")
            or (
                "/usr/sbin/rt-setup-database"
                if Path("/usr/sbin/rt-setup-database").exists()
                else None
            )
        )
        cmd = f"rt-setup-database --action insert --skip-create --datafile {path}"
        if apply_local is None:
            host = urlparse(self.rt.base_url).hostname or ""
            apply_local = tool is not None and host in ("127.0.0.1", "localhost", "::1")
        if apply_local and tool:
            res = subprocess.run(
                # --skip-create: connect as RT's own database user, so PostgreSQL does not ask
                # for a database administrator's password
                [tool, "--action", "insert", "--skip-create", "--datafile", path],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if res.returncode != 0:
                self.report.problems.append(
                    f"rt-setup-database failed ({res.returncode}): {res.stderr[-1000:]}"
                )
                self.report.command = cmd
            else:
                self.report.applied = True
                self.report.created.extend(f"custom field {s.name} ({s.lookup})" for s in deferred)
                self.report.created.extend(f"group {g}" for g in missing_groups)
                if sync_user:
                    self.report.created.append(f"rights for {sync_user} (granted or kept)")
                self.report.created.append("team rights (granted or kept)")
        else:
            self.report.command = cmd
        return self.report


def bootstrap(backend: RTBackend, **kw: Any) -> BootstrapReport:
    """Create what cs-console needs on ``backend``'s RT; see the module docstring."""
    try:
        return Bootstrapper(backend).run(**kw)
    except httpx.HTTPError as exc:
        rep = BootstrapReport()
        rep.problems.append(backend.redact(f"RT unreachable: {exc}"))
        return rep
