"""The service layer, the single gate: every agent action and every inbound message is one
transaction of new state + outbox op + audit row. No Textual here."""
