"""Modal dialogs of the console: escalation, returns and approvals, sync issues."""
