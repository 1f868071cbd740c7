"""The queue's filters: one list of names for the console, the CLI and the store."""

QUEUE_FILTERS = ("all", "mine", "unassigned", "escalated", "overdue", "waiting", "approval")
