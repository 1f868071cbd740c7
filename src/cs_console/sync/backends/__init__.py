"""Ticket backends: :mod:`.base` is the contract, :mod:`.rt` speaks Request Tracker 5 REST2."""
