"""Reply-script templates: placeholders, rendering from a ticket's context, stacking."""
