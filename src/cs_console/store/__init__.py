"""The local cache: every SQL statement of cs-console lives in this package.

``db`` opens the file safely and holds the queries; ``migrations`` the versioned schema;
``outbox`` the outbox table and its state transitions.
"""
