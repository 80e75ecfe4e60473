"""Saved searches and deadline alerts, without an account: the list's own query string is the
search (`query`), the directory's history says what changed (`changes`), and a confirmed address
gets digests and reminders from the task worker (`sending`)."""
