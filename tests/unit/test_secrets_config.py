"""Secrets in the configuration: misspelt keys named, a bad secrets path a one-line error, and a
password in the RT URL taken out of the URL (so no error or repr prints it)."""

from __future__ import annotations

import os

import pytest

from cs_console.config import ConfigError, RtSettings, load_config, split_userinfo
from cs_console.sync.connect import backend_for


def write(path, text, mode=0o600):
    path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return path


def config_with_secrets(tmp_path, secrets_path, extra=""):
    return write(
        tmp_path / "config.toml",
        f'[rt]\nurl = "http://127.0.0.1:1"\nsecrets_file = "{secrets_path}"\n{extra}',
        0o644,
    )


@pytest.mark.parametrize(
    "text, message",
    [
        (
            'tokn = "s3cret"\n',
            "unknown key 'tokn'; known: password, rt, token (did you mean 'token'?)",
        ),
        ('[rt]\ntokn = "s3cret"\n', "unknown key 'tokn' in [rt]; known: password, token"),
        ('[rt]\npasword = "s3cret"\n', "did you mean 'password'?"),
        ('token = "a"\n[rt]\ntoken = "b"\n', "token is given twice"),
        ("token = 12345\n", "token must be a non-empty string"),
        ('[rt]\npassword = ""\n', "rt.password must be a non-empty string"),
        ('rt = "x"\n', "rt must be a table"),
    ],
)
def test_a_misspelt_or_bad_secret_key_is_named(tmp_path, text, message):
    secrets = write(tmp_path / "secrets.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(config_with_secrets(tmp_path, secrets), env={})
    assert message in str(caught.value)
    assert str(secrets) in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_secrets_under_rt_are_read(tmp_path):
    secrets = write(tmp_path / "secrets.toml", '[rt]\ntoken = "tok-1"\npassword = "pw-2"\n')
    rt = load_config(config_with_secrets(tmp_path, secrets), env={}).rt
    assert (rt.token, rt.password) == ("tok-1", "pw-2")
    assert "tok-1" not in repr(rt) and "pw-2" not in repr(rt)


def test_a_misspelt_key_in_the_config_rt_section_is_named(tmp_path):
    path = write(tmp_path / "config.toml", '[rt]\nsecret_file = "~/s.toml"\n', 0o644)
    with pytest.raises(ConfigError, match=r"unknown key 'secret_file' in \[rt\]") as caught:
        load_config(path, env={})
    assert "did you mean 'secrets_file'?" in str(caught.value)


@pytest.mark.parametrize("mode", [0o700, 0o755])
def test_a_directory_as_secrets_file_is_a_one_line_error(tmp_path, mode):
    folder = tmp_path / "secrets.d"
    folder.mkdir()
    os.chmod(folder, mode)
    with pytest.raises(ConfigError, match="is a directory, not a file") as caught:
        load_config(config_with_secrets(tmp_path, folder), env={})
    assert "\n" not in str(caught.value)


def test_a_missing_or_unreadable_secrets_file_is_a_one_line_error(tmp_path):
    with pytest.raises(ConfigError, match="No such file"):
        load_config(config_with_secrets(tmp_path, tmp_path / "nope.toml"), env={})
    secrets = write(tmp_path / "secrets.toml", 'token = "s3cret"\n', 0o000)
    if os.access(secrets, os.R_OK):
        pytest.skip("mode 000 does not stop this user reading (root)")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(config_with_secrets(tmp_path, secrets), env={})


def test_the_0600_check_is_kept(tmp_path):
    secrets = write(tmp_path / "secrets.toml", 'token = "s3cret"\n', 0o640)
    with pytest.raises(ConfigError, match="must be private: chmod 600"):
        load_config(config_with_secrets(tmp_path, secrets), env={})


def test_a_password_in_the_environment_url_leaves_the_url(tmp_path):
    path = write(tmp_path / "config.toml", "", 0o644)
    env = {"CS_CONSOLE_RT_URL": "https://cs-sync:p%40ss-w0rd@rt.example:8443/rt"}
    rt = load_config(path, env=env).rt
    assert rt.url == "https://rt.example:8443/rt"
    assert (rt.user, rt.password) == ("cs-sync", "p@ss-w0rd")
    assert "p@ss-w0rd" not in repr(rt) and "p%40ss-w0rd" not in repr(rt)
    # an explicit user and password win over the URL's
    env |= {"CS_CONSOLE_RT_USER": "other", "CS_CONSOLE_RT_PASSWORD": "explicit"}
    rt = load_config(path, env=env).rt
    assert (rt.url, rt.user, rt.password) == ("https://rt.example:8443/rt", "other", "explicit")


def test_a_password_in_the_config_file_url_is_refused_without_printing_it(tmp_path):
    path = write(tmp_path / "config.toml", '[rt]\nurl = "https://u:hunter22@rt.example"\n', 0o644)
    with pytest.raises(ConfigError, match="rt.url must not hold a password") as caught:
        load_config(path, env={})
    assert "hunter22" not in str(caught.value)


def test_an_invalid_url_error_does_not_print_its_password():
    with pytest.raises(ConfigError) as caught:
        split_userinfo("http://u:hunter22@[::1", "CS_CONSOLE_RT_URL")
    assert "hunter22" not in str(caught.value) and "not a valid URL" in str(caught.value)


def test_the_backend_never_holds_the_url_password(tmp_path):
    """Settings built in code (the console sets them) still have the password moved out."""
    settings = RtSettings(url="http://cs-sync:hunter22@127.0.0.1:9")
    assert "hunter22" not in repr(settings)
    with backend_for(settings) as backend:
        assert "hunter22" not in backend.base_url
        assert backend.user == "cs-sync"
        assert "hunter22" not in str(backend.client.base_url)
        # ...but it still logs in with it
        assert backend.redact("pw hunter22") == "pw ***"
