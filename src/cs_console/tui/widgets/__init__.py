"""Widgets of the console: they show state and post messages; the screen asks the service."""
