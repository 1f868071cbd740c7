import os

import pytest

from cs_console.config import ConfigError, load_config


def write(tmp_path, text, name="config.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path):
    config = load_config(None, env={"CS_CONSOLE_CONFIG": str(write(tmp_path, ""))})
    assert config.lang == "zh-Hans" and config.agent_id == "agent01"
    assert not hasattr(config, "role")  # a role is never configured: it comes from RT
    assert config.sla.first_response["chat"] == 20


def test_file_then_environment_overrides(tmp_path):
    path = write(
        tmp_path,
        '[agent]\nid = "a7"\n[ui]\nlang = "en"\n[sla.first_response_seconds]\nchat = 30\n[keys]\nescalate = "ctrl+e"\n',
    )
    config = load_config(
        path, env={"CS_CONSOLE_LANG": "zh-Hant", "CS_CONSOLE_DB": str(tmp_path / "x.db")}
    )
    assert config.agent_id == "a7"
    assert config.lang == "zh-Hant" and config.db == tmp_path / "x.db"
    assert config.sla.first_response["chat"] == 30 and config.keys == {"escalate": "ctrl+e"}


@pytest.mark.parametrize(
    "text, key",
    [
        ('[ui]\nlang = "fr"\n', "ui.lang"),
        ('[agent]\nrole = "supervisor"\n', "agent.role is not read from the config"),
        ('[agent]\nname = "Boss"\n', "agent.name is not read from the config"),
        ('[agent]\nidd = "a7"\n', "unknown key agent.idd"),
        ("[sla.first_response_seconds]\nchat = -5\n", "sla.first_response_seconds.chat"),
        ("[sla.resolution_hours]\nsoon = 3\n", "sla.resolution_hours.soon"),
        ('[sla.business_hours]\nstart = "25:00"\n', "sla.business_hours"),
        ("agent = 3\n", "agent must be a table"),
        ('[rt]\ntoken = "abc"\n', "rt.token must not be in the config file"),
        ("not toml at all ===", "not valid TOML"),
    ],
)
def test_bad_values_name_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_config(write(tmp_path, text), env={})


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", env={})


def test_secrets_only_from_env_or_private_file(tmp_path):
    secrets = write(tmp_path, 'token = "s3cret"\n', "secrets.toml")
    os.chmod(secrets, 0o644)
    path = write(tmp_path, f'[rt]\nurl = "http://127.0.0.1:1"\nsecrets_file = "{secrets}"\n')
    with pytest.raises(ConfigError, match="chmod 600"):
        load_config(path, env={})
    os.chmod(secrets, 0o600)
    config = load_config(path, env={})
    assert config.rt.token == "s3cret" and "s3cret" not in repr(config.rt)
    assert load_config(path, env={"CS_CONSOLE_RT_TOKEN": "envtok"}).rt.token == "envtok"


@pytest.mark.parametrize("name", ["CS_CONSOLE_ROLE", "CS_CONSOLE_AGENT_NAME"])
def test_role_and_name_from_the_environment_are_refused(tmp_path, name):
    """CS_CONSOLE_ROLE=supervisor once made anyone a supervisor (issue 10, item 4)."""
    with pytest.raises(ConfigError, match=f"{name} is not read"):
        load_config(write(tmp_path, ""), env={name: "supervisor"})
