"""The command line: every console action has a twin here. ``cs-console`` is :func:`main`."""

from cs_console.cli.root import main

__all__ = ["main"]
