"""The queue's filters: one list of names for the console, the CLI and the store."""

QUEUE_FILTERS = ("all", "mine", "unassigned", "escalated", "overdue", "waiting", "approval")

#: Ticket categories (the knowledge base's sections, and ``general`` for pulled tickets).
TICKET_CATEGORIES = (
    "pre-sale",
    "after-sale",
    "systems",
    "membership",
    "mall",
    "complaint",
    "general",
)
