"""Screens of the console: the main desk screen and help."""
