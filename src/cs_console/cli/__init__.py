"""The command line: every console action has a twin here. ``cs-console`` is :func:`main`."""

import gc


def main() -> None:
    """``cs-console``: the commands, loaded with the cyclic garbage collector paused.

    Importing the commands (and Textual) allocates hundreds of thousands of objects that live
    as long as the process; the collector scanned them again and again while they loaded (over
    30 ms of a console launch). They are frozen once loaded, so later collections skip them."""
    gc.disable()
    try:
        from cs_console.cli.root import main as commands
    finally:
        gc.freeze()
        gc.enable()
    commands()


__all__ = ["main"]
