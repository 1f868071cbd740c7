"""Configuration: a TOML file, then ``CS_CONSOLE_*`` environment variables on top.

The file lives in the platform config dir (``cs-console/config.toml``) unless ``--config`` names
another. Secrets (backend token, password) are never read from the main file: they come from the
environment or from a separate secrets file that must be private (mode 0600).
"""

from __future__ import annotations

import difflib
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from cs_console.policy.queue import TICKET_CATEGORIES
from cs_console.policy.roles import ROLES
from cs_console.policy.routing import ASSIGN_PULLED, SKILL_GROUPS, TIERS, RoutingRule
from cs_console.policy.sla import BusinessHours, SlaConfig
from cs_console.redact import redact

LANGS = ("zh-Hans", "zh-Hant", "en")
SECRET_KEYS = ("token", "password")
RT_SECONDS = {  # [rt] timings in seconds -> (default, least, most)
    "timeout_seconds": (30.0, 1.0, 600.0),
    "backoff_base_seconds": (2.0, 0.1, 3600.0),
    "backoff_cap_seconds": (300.0, 1.0, 86400.0),
}
RT_KEYS = ("url", "user", "secrets_file", *RT_SECONDS)  # what [rt] of the config file may hold


class ConfigError(Exception):
    """A bad configuration value; the message names the key."""


@dataclass
class RtSettings:
    url: str | None = None
    user: str | None = None
    token: str | None = None
    password: str | None = None
    timeout_seconds: float = RT_SECONDS["timeout_seconds"][0]  # per request, and settle time
    backoff_base_seconds: float = RT_SECONDS["backoff_base_seconds"][0]
    backoff_cap_seconds: float = RT_SECONDS["backoff_cap_seconds"][0]

    def __repr__(self) -> str:  # never print secrets
        url = redact(self.url, self.secrets()) if self.url else None
        return (
            f"RtSettings(url={url!r}, user={self.user!r}, "
            f"token={'***' if self.token else None}, password={'***' if self.password else None})"
        )

    def secrets(self) -> tuple[str, ...]:
        """The secret values set, for :func:`cs_console.redact.redact`."""
        return tuple(value for value in (self.token, self.password) if value)


@dataclass
class TrainingSettings:
    """[training]: a trainee is ready at ``pass_mark`` (of 100) on every scenario of ``ready_set``."""

    pass_mark: int = 80
    ready_set: str = "basics"


@dataclass
class EscalationSettings:
    """[escalation]: whether sync rounds escalate overdue tickets on their own (``auto``), and
    how many one round escalates at most (the rest follow in the next rounds)."""

    auto: bool = True
    per_round: int = 200


@dataclass
class Config:
    db: Path
    lang: str = "zh-Hans"
    agent_id: str = "agent01"
    sla: SlaConfig = field(default_factory=SlaConfig)
    keys: dict[str, str] = field(default_factory=dict)
    rt: RtSettings = field(default_factory=RtSettings)
    source: Path | None = None
    training: TrainingSettings = field(default_factory=TrainingSettings)
    escalation: EscalationSettings = field(default_factory=EscalationSettings)
    routing: RoutingRule = field(default_factory=RoutingRule)


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("cs-console"))


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("cs-console"))


def default_config_path() -> Path:
    return config_dir() / "config.toml"


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read the config file (if any) and the environment. Raises ConfigError naming the bad key."""
    env = os.environ if env is None else env
    explicit = path is not None or "CS_CONSOLE_CONFIG" in env
    path = path or Path(env.get("CS_CONSOLE_CONFIG") or default_config_path())
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            import tomllib  # loaded only when there is a file to read

            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read: {exc}") from exc
    elif explicit:
        raise ConfigError(f"{path}: config file not found")
    return _build(raw, env, path if path.exists() else None)


def _build(raw: dict[str, Any], env: Mapping[str, str], source: Path | None) -> Config:
    where = str(source) if source else "config"
    agent = _table(raw, "agent", where)
    ui = _table(raw, "ui", where)
    rt = _table(raw, "rt", where)
    for secret in SECRET_KEYS:
        if secret in rt:
            raise ConfigError(
                f"{where}: rt.{secret} must not be in the config file; set CS_CONSOLE_RT_{secret.upper()} "
                "or put it in a secrets file (mode 0600) named by rt.secrets_file"
            )
    _known_keys(rt, RT_KEYS, where, "[rt]")
    db = env.get("CS_CONSOLE_DB") or raw.get("db") or str(data_dir() / "cache.db")
    config = Config(db=Path(_str(db, "db", where)).expanduser(), source=source)
    config.lang = _choice(
        env.get("CS_CONSOLE_LANG") or ui.get("lang", "zh-Hans"), "ui.lang", LANGS, where
    )
    config.agent_id = _str(
        env.get("CS_CONSOLE_AGENT") or agent.get("id", config.agent_id), "agent.id", where
    )
    _no_local_identity(agent, env, where)
    config.sla = _sla(_table(raw, "sla", where), where)
    keys = _table(raw, "keys", where)
    for name, value in keys.items():
        _str(value, f"keys.{name}", where)
    config.keys = dict(keys)
    config.rt = _rt_settings(rt, env, where)
    training = _table(raw, "training", where)
    _known_keys(training, ("pass_mark", "ready_set"), where, "[training]")
    config.training = TrainingSettings(
        pass_mark=_positive_int(training.get("pass_mark", 80), "training.pass_mark", where),
        ready_set=_str(training.get("ready_set", "basics"), "training.ready_set", where),
    )
    config.escalation = _escalation(_table(raw, "escalation", where), where)
    config.routing = _routing(
        _table(raw, "routing", where), tuple(config.sla.first_response), where
    )
    return config


ROUTING_KEYS = (
    "max_load",
    "overflow",
    "assign_roles",
    "assign_pulled",
    "default_group",
    "channels",
    "tiers",
    "categories",
    "agents",
)


def _routing(table: dict[str, Any], channels: tuple[str, ...], where: str) -> RoutingRule:
    """[routing]: a table given (channels, tiers, categories) replaces that part of the default
    rule whole, so the file says the rule in full; ``cs-console routing`` prints what is active."""
    _known_keys(table, ROUTING_KEYS, where, "[routing]")
    defaults = RoutingRule()
    parts: dict[str, Any] = {}
    for name, known in (
        ("channels", channels),
        ("tiers", TIERS),
        ("categories", TICKET_CATEGORIES),
    ):
        if name in table:
            parts[name] = _group_map(_table(table, name, where, "routing."), name, known, where)
    if "agents" in table:
        agents = {}
        for agent_id, groups in _table(table, "agents", where, "routing.").items():
            agents[agent_id] = _groups(groups, f"routing.agents.{agent_id}", where)
        parts["agents"] = agents
    if "default_group" in table:
        parts["default_group"] = _choice(
            table["default_group"], "routing.default_group", SKILL_GROUPS, where
        )
    if "max_load" in table:
        parts["max_load"] = _positive_int(table["max_load"], "routing.max_load", where)
    if "overflow" in table:
        if not isinstance(table["overflow"], bool):
            raise ConfigError(f"{where}: routing.overflow must be true or false")
        parts["overflow"] = table["overflow"]
    if "assign_roles" in table:
        roles = table["assign_roles"]
        if not isinstance(roles, list) or any(role not in ROLES for role in roles):
            raise ConfigError(
                f"{where}: routing.assign_roles must be a list of {', '.join(ROLES)}, not {roles!r}"
            )
        parts["assign_roles"] = tuple(roles)
    if "assign_pulled" in table:
        parts["assign_pulled"] = _choice(
            table["assign_pulled"], "routing.assign_pulled", ASSIGN_PULLED, where
        )
    return RoutingRule(**{**defaults.__dict__, **parts})


def _group_map(
    table: dict[str, Any], name: str, known: tuple[str, ...], where: str
) -> dict[str, str]:
    mapping = {}
    for key, group in table.items():
        if key not in known:
            raise ConfigError(f"{where}: routing.{name}.{key}: unknown; one of {', '.join(known)}")
        mapping[key] = _choice(group, f"routing.{name}.{key}", SKILL_GROUPS, where)
    return mapping


def _groups(value: Any, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or any(group not in SKILL_GROUPS for group in value):
        raise ConfigError(
            f"{where}: {key} must be a list of skill groups ({', '.join(SKILL_GROUPS)}), "
            f"not {value!r}"
        )
    return tuple(value)


def _escalation(table: dict[str, Any], where: str) -> EscalationSettings:
    _known_keys(table, ("auto", "per_round"), where, "[escalation]")
    auto = table.get("auto", True)
    if not isinstance(auto, bool):
        raise ConfigError(f"{where}: escalation.auto must be true or false, not {auto!r}")
    per_round = _positive_int(table.get("per_round", 200), "escalation.per_round", where)
    return EscalationSettings(auto=auto, per_round=per_round)


def _rt_settings(rt: Mapping[str, Any], env: Mapping[str, str], where: str) -> RtSettings:
    """[rt] and the environment; a password written into the URL moves to ``password``."""
    secrets = _read_secrets(rt.get("secrets_file"), where)
    env_url = env.get("CS_CONSOLE_RT_URL")
    url_value = env_url or rt.get("url")
    url = url_user = url_password = None
    if url_value is not None:
        key = "CS_CONSOLE_RT_URL" if env_url else "rt.url"
        url, url_user, url_password = split_userinfo(_str(url_value, key, where), key)
    if url_password is not None and not env_url:
        raise ConfigError(
            f"{where}: rt.url must not hold a password (the config file is not private); set "
            "CS_CONSOLE_RT_PASSWORD or put it in a secrets file (mode 0600) named by "
            "rt.secrets_file"
        )
    user = env.get("CS_CONSOLE_RT_USER") or rt.get("user")
    return RtSettings(
        url=url,
        user=_str(user, "rt.user", where) if user is not None else url_user,
        token=env.get("CS_CONSOLE_RT_TOKEN") or secrets.get("token"),
        password=env.get("CS_CONSOLE_RT_PASSWORD") or secrets.get("password") or url_password,
        **{key: _seconds(rt, key, where) for key in RT_SECONDS},
    )


def _seconds(rt: Mapping[str, Any], key: str, where: str) -> float:
    default, least, most = RT_SECONDS[key]
    value = rt.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not least <= value <= most:
        raise ConfigError(
            f"{where}: rt.{key} must be a number of seconds from {least:g} to {most:g}, "
            f"not {value!r}"
        )
    return float(value)


def split_userinfo(url: str, key: str = "url") -> tuple[str, str | None, str | None]:
    """``url`` without its userinfo, and the user and password it held (percent-decoded).

    A password written into the URL (``https://user:pw@host``) becomes the password setting:
    the URL is then safe to print, and the password is redacted like any other secret."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise ConfigError(f"{key} {redact(url)!r} is not a valid URL: {exc}") from None
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at:
        return url, None, None
    user, colon, password = userinfo.partition(":")
    bare = urlunsplit(parts._replace(netloc=host))
    return bare, unquote(user) or None, unquote(password) if colon else None


def _no_local_identity(agent: Mapping[str, Any], env: Mapping[str, str], where: str) -> None:
    """Who the agent is may be configured; what they may do may not. Name and role come from the
    agents table, which sync fills from RT (see README, "Roles")."""
    for key in agent:
        if key in ("role", "name"):
            raise ConfigError(
                f"{where}: agent.{key} is not read from the config: an agent's {key} comes from "
                "RT (the cs-supervisors, cs-agents and cs-trainees groups); remove it"
            )
        if key != "id":
            raise ConfigError(f"{where}: unknown key agent.{key}; known: agent.id")
    for name in ("CS_CONSOLE_ROLE", "CS_CONSOLE_AGENT_NAME"):
        if env.get(name):
            raise ConfigError(
                f"{name} is not read: an agent's name and role come from RT; unset it "
                "(CS_CONSOLE_AGENT chooses who signs in)"
            )


def _read_secrets(path_value: Any, where: str) -> dict[str, str]:
    """The private secrets file: ``token`` and ``password``, at the top or under ``[rt]``.

    Any other key is refused by name: a misspelt ``tokn`` must not be silently ignored."""
    if path_value is None:
        return {}
    path = Path(_str(path_value, "rt.secrets_file", where)).expanduser()
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise ConfigError(f"{where}: rt.secrets_file {path}: {exc.strerror}") from exc
    if stat.S_ISDIR(mode):
        raise ConfigError(f"{where}: rt.secrets_file {path} is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{where}: rt.secrets_file {path} is not a regular file")
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"{where}: rt.secrets_file {path} must be private: chmod 600 {path}")
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{where}: rt.secrets_file {path}: cannot read: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # these errors say where the file is bad, never what it holds
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    section = data.pop("rt", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: rt must be a table")
    _known_keys(data, (*SECRET_KEYS, "rt"), str(path), "")
    _known_keys(section, SECRET_KEYS, str(path), "[rt]")
    secrets: dict[str, str] = {}
    for table, prefix in ((data, ""), (section, "rt.")):
        for key, value in table.items():
            if key in secrets:
                raise ConfigError(f"{path}: {key} is given twice (at the top and in [rt])")
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{path}: {prefix}{key} must be a non-empty string")
            secrets[key] = value
    return secrets


def _known_keys(table: Mapping[str, Any], known: Iterable[str], where: str, section: str) -> None:
    """Refuse a key not in ``known``, naming it, the known ones and the likely intended one."""
    names = sorted(known)
    for key in table:
        if key not in names:
            place = f" in {section}" if section else ""
            close = difflib.get_close_matches(key, names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(
                f"{where}: unknown key {key!r}{place}; known: {', '.join(names)}{hint}"
            )


def _sla(table: dict[str, Any], where: str) -> SlaConfig:
    defaults = SlaConfig()
    first = dict(defaults.first_response)
    for channel, seconds in _table(table, "first_response_seconds", where, "sla.").items():
        first[channel] = _positive_int(seconds, f"sla.first_response_seconds.{channel}", where)
    by_priority = dict(defaults.resolution_by_priority)
    for name, hours in _table(table, "resolution_hours", where, "sla.").items():
        levels = {"urgent": 1, "high": 2, "normal": 3, "low": 4}
        if name not in levels:
            raise ConfigError(
                f"{where}: sla.resolution_hours.{name}: use urgent, high, normal or low"
            )
        by_priority[levels[name]] = (
            _positive_int(hours, f"sla.resolution_hours.{name}", where) * 3600
        )
    hours = None
    if "business_hours" in table:
        bh = _table(table, "business_hours", where, "sla.")
        try:
            hours = BusinessHours(
                start=time.fromisoformat(str(bh.get("start", "09:00"))),
                end=time.fromisoformat(str(bh.get("end", "22:00"))),
                tz=str(bh.get("tz", "Asia/Shanghai")),
            )
        except (ValueError, KeyError) as exc:
            raise ConfigError(f"{where}: sla.business_hours: {exc}") from exc
    returns = table.get("returns_hours")
    complaint = table.get("high_priority_complaint_hours")
    return SlaConfig(
        first_response=first,
        first_response_default=defaults.first_response_default,
        resolution_by_priority=by_priority,
        returns_resolution=_positive_int(returns, "sla.returns_hours", where) * 3600
        if returns is not None
        else defaults.returns_resolution,
        high_priority_complaint=_positive_int(complaint, "sla.high_priority_complaint_hours", where)
        * 3600
        if complaint is not None
        else defaults.high_priority_complaint,
        business_hours=hours,
    )


def _table(raw: dict[str, Any], key: str, where: str, prefix: str = "") -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {prefix}{key} must be a table")
    return value


def _str(value: Any, key: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key} must be a non-empty string, not {value!r}")
    return value


def _choice(value: Any, key: str, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise ConfigError(f"{where}: {key} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _positive_int(value: Any, key: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where}: {key} must be a positive whole number, not {value!r}")
    return value
