"""What maintenance staff and the staff tools ask of the outbox: counts, rows, alerts, dead letters back
in the queue, and the decrypted export. A mixin of offline_cache.outbox.Outbox (same connection, lock
and key); nothing here is on the citizen's path.
"""
from __future__ import annotations

import json
import time
from typing import Any, Iterator, Sequence

from offline_cache import crypto

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


class StaffQueries:
    """Mixed into Outbox: uses its `_guard`, `_tx`, `_lock`, `_conn`, `db` and `_key`."""

    def status(self) -> dict[str, Any]:
        """{"pending", "delivered", "dead", "oldest_pending_age_s"} for staff and the heartbeat."""
        with self._guard("status"), self._lock:
            counts = dict(self._conn.execute("SELECT state, count(*) FROM items GROUP BY state").fetchall())
            oldest = self._conn.execute("SELECT min(created_ts) FROM items WHERE state=?", (PENDING,)).fetchone()[0]
        age = max(0, int(time.time() - oldest)) if oldest else 0
        return {"pending": counts.get(PENDING, 0), "delivered": counts.get(DELIVERED, 0),
                "dead": counts.get(DEAD, 0), "oldest_pending_age_s": age}

    def items(self, state: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Rows for staff screens (no personal data: number, kind, state, attempts, last error)."""
        sql = ("SELECT local_id, kind, created_at, state, attempts, last_error, dead_reason, tracking_no "
               "FROM items")
        params: list[Any] = []
        if state:
            sql += " WHERE state=?"
            params.append(state)
        sql += " ORDER BY created_ts LIMIT ?"
        params.append(limit)
        with self._guard("items"), self._lock:
            return [dict(r) for r in self.db.query(sql, params)]

    def alerts(self, limit: int = 20) -> list[dict[str, Any]]:
        """The latest staff alerts recorded in the database, newest first."""
        with self._guard("alerts"), self._lock:
            return [dict(r) for r in self.db.query("SELECT at, code, message FROM alerts ORDER BY id DESC LIMIT ?",
                                                   [limit])]

    def retry_dead(self) -> int:
        """Put every dead letter back in the queue (staff fixed the cause); returns how many."""
        now = time.time()
        with self._guard("retry_dead"), self._tx() as c:
            cur = c.execute("UPDATE items SET state=?, next_attempt_ts=?, attempts=0, dead_reason=NULL, updated_ts=? "
                            "WHERE state=?", (PENDING, now, now, DEAD))
        return cur.rowcount

    def sealed_rows(self, states: Sequence[str] = (PENDING, DEAD)) -> Iterator[tuple[str, str, str, dict, list]]:
        """(local_id, state, idem_key, body, [(position, bytes)]) of undelivered items, decrypted (for export)."""
        marks = ",".join("?" * len(states))
        with self._guard("export"), self._lock:
            rows = self._conn.execute(f"SELECT local_id, state, idem_key, sealed FROM items WHERE state IN ({marks}) "
                                      "AND sealed IS NOT NULL ORDER BY created_ts", tuple(states)).fetchall()
        for local_id, state, idem_key, sealed in rows:
            body = json.loads(crypto.open_sealed(self._key, sealed, local_id.encode()))
            with self._lock:
                positions = [r[0] for r in self._conn.execute(
                    "SELECT position FROM attachments WHERE local_id=? ORDER BY position", (local_id,))]
            yield local_id, state, idem_key, body, [(p, self.attachment_data(local_id, p)) for p in positions]
