"""The Textual console: app, palette, screens, dialogs and widgets. Talks to the service only."""
