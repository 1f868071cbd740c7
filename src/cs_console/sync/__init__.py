"""Sync with the ticket backend: the outbox sender, the puller, and the backends they speak to.

No Textual here: the console runs :func:`cs_console.sync.engine.sync_once` in a worker.
"""
