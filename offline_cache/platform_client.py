"""HTTP client of the platform API (requests): auth headers, timeouts always set, one method per endpoint.

Methods return the `requests.Response` (or raise requests' exceptions); what an answer means is decided
by `offline_cache.sync.classify`, so the same rules serve the worker and the staff tools.
"""
from __future__ import annotations

from typing import Any

import requests

USER_AGENT = "heze-kiosk/0.1"


class PlatformClient:
    """Talks to one platform base URL as one terminal. Not shared between threads: make one per thread."""

    def __init__(self, base_url: str, token: str, terminal_id: str, *, connect_timeout: float = 5.0,
                 read_timeout: float = 20.0, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.terminal_id = terminal_id
        self.timeout = (float(connect_timeout), float(read_timeout))
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {token}", "X-Terminal-Id": terminal_id,
                                     "User-Agent": USER_AGENT})

    @classmethod
    def from_settings(cls, settings, base_url: str | None = None) -> "PlatformClient":
        """[platform] url, token, connect_timeout, read_timeout and [terminal] id."""
        return cls(base_url or settings.get("platform", "url"), settings.get("platform", "token"),
                   settings.get("terminal", "id"), connect_timeout=settings.getfloat("platform", "connect_timeout"),
                   read_timeout=settings.getfloat("platform", "read_timeout"))

    def request(self, method: str, path: str, *, idempotency_key: str | None = None,
                headers: dict[str, str] | None = None, **kwargs: Any) -> requests.Response:
        """One request with this terminal's credentials and the configured timeouts."""
        hdrs = dict(headers or {})
        if idempotency_key:
            hdrs["Idempotency-Key"] = idempotency_key
        kwargs.setdefault("timeout", self.timeout)
        return self.session.request(method, self.base_url + path, headers=hdrs, allow_redirects=False, **kwargs)

    def head_attachment(self, sha256: str) -> requests.Response:
        """200 when the platform already holds this file, 404 when not."""
        return self.request("HEAD", f"/api/v1/attachments/{sha256}")

    def put_attachment(self, sha256: str, data: bytes, content_type: str) -> requests.Response:
        """Upload one file; 201 created, 200 already there, 422 hash mismatch, 413 too large."""
        return self.request("PUT", f"/api/v1/attachments/{sha256}", data=data,
                            headers={"Content-Type": content_type or "application/octet-stream"})

    def post_submission(self, body: dict[str, Any], idempotency_key: str) -> requests.Response:
        """Submit; 201 {"id", "tracking_no", "status"} (replayed unchanged for a retried key)."""
        return self.request("POST", "/api/v1/submissions", json=body, idempotency_key=idempotency_key)

    def heartbeat(self, body: dict[str, Any]) -> requests.Response:
        """204 when the platform took the heartbeat."""
        return self.request("POST", f"/api/v1/terminals/{self.terminal_id}/heartbeat", json=body)

    def tracking(self, tracking_no: str, check: str = "") -> requests.Response:
        """Status events of a tracking number (200) or 404; `check` is the receipt's 查询码, which the
        platform needs for a number submitted at another terminal (docs/platform-api-extensions.md)."""
        return self.request("GET", f"/api/v1/tracking/{tracking_no}", params={"check": check} if check else None)

    def close(self) -> None:
        """Close pooled connections."""
        self.session.close()
