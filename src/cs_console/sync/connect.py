"""Build the configured backend from settings (config file + environment, see config.py)."""

from __future__ import annotations

from cs_console.config import RtSettings
from cs_console.sync.backends.rt import RTBackend


class NotConfigured(LookupError):
    """No backend URL or no credentials: the console stays local."""


def backend_for(settings: RtSettings) -> RTBackend:
    if not settings.url:
        raise NotConfigured("no backend: set CS_CONSOLE_RT_URL (or [rt] url in the config)")
    if not settings.token and not settings.user:
        raise NotConfigured(
            "set CS_CONSOLE_RT_TOKEN, or CS_CONSOLE_RT_USER and CS_CONSOLE_RT_PASSWORD"
        )
    return RTBackend(
        settings.url, token=settings.token, user=settings.user, password=settings.password
    )
