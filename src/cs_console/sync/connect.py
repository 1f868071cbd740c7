"""Build the configured backend from settings (config file + environment, see config.py)."""

from __future__ import annotations

from cs_console.config import ConfigError, RtSettings, split_userinfo
from cs_console.redact import redact
from cs_console.sync.backends.rt import RTBackend


class NotConfigured(LookupError):
    """No backend URL or no credentials: the console stays local."""


def backend_for(settings: RtSettings) -> RTBackend:
    """The RT backend for ``settings``. A user or password inside the URL is taken out of it
    (httpx would put the URL, password and all, into its error texts) and used as the login
    when none is configured."""
    if not settings.url:
        raise NotConfigured("no backend: set CS_CONSOLE_RT_URL (or [rt] url in the config)")
    try:
        url, url_user, url_password = split_userinfo(settings.url)
    except ConfigError as exc:
        raise NotConfigured(redact(str(exc), settings.secrets())) from None
    user = settings.user or url_user
    password = settings.password or url_password
    if not settings.token and not user:
        raise NotConfigured(
            "set CS_CONSOLE_RT_TOKEN, or CS_CONSOLE_RT_USER and CS_CONSOLE_RT_PASSWORD"
        )
    return RTBackend(
        url, token=settings.token, user=user, password=password, timeout=settings.timeout_seconds
    )


def redact_error(settings: RtSettings, text: str) -> str:
    """An error text of the sync paths fit to print or store: without the configured secrets,
    nor anything shaped like a credential."""
    _, _, url_password = split_userinfo(settings.url) if settings.url else (None, None, None)
    return redact(text, (*settings.secrets(), url_password))
