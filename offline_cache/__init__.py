"""SQLite-backed state that must survive restarts: outbox, sync worker, catalogue cache, replay store."""
