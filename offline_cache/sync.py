"""The sync worker: delivers the outbox to the platform exactly once, whatever the network does.

Per item: attachments first (HEAD, PUT when missing), then POST with the item's own Idempotency-Key.
Every answer is classified (`classify`):
  ok         2xx with a tracking number        -> delivered, personal data purged
  retry      connection error, timeout, 408, 409 idempotency_in_flight, 429, 5xx
                                               -> backoff with full jitter, Retry-After honoured
  reupload   409 attachment_missing            -> forget the "uploaded" marks, try again at once
  dead       400, 422 and other 4xx            -> dead letter: kept, visible to staff, not retried
  stop       401                               -> the worker stops and alerts staff (token wrong)
The worker runs on its own thread (`start`/`stop`/`wake`) or in the caller's thread (`flush`).
"""
from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import requests

from offline_cache.crypto import CryptoError
from offline_cache import heartbeat
from offline_cache.outbox import Outbox, OutboxError, now_rfc3339
from offline_cache.platform_client import PlatformClient

log = logging.getLogger(__name__)

OK, RETRY, REUPLOAD, DEAD, STOP = "ok", "retry", "reupload", "dead", "stop"
RETRY_STATUSES = {408, 429}
VERSION = "0.1.0"
@dataclass
class Outcome:
    """What one answer means. `code` is a short staff code (no personal data), e.g. "http_503"."""
    action: str
    code: str
    retry_after: float | None = None
    missing: list[str] | None = None
    global_failure: bool = False   # the platform as a whole is unreachable or unwell: pause every item


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _error_code(resp: requests.Response) -> tuple[str, dict]:
    try:
        err = resp.json().get("error", {})
        if isinstance(err, dict):
            return str(err.get("code", "")), err
    except ValueError:
        pass
    return "", {}


def classify(resp: requests.Response | None = None, exc: BaseException | None = None) -> Outcome:
    """Map an answer (or a transport exception) to what the worker does next."""
    if exc is not None:
        if isinstance(exc, requests.Timeout):
            return Outcome(RETRY, "timeout", global_failure=True)
        if isinstance(exc, requests.ConnectionError):
            return Outcome(RETRY, "connection_error", global_failure=True)
        return Outcome(RETRY, f"transport_{type(exc).__name__}", global_failure=True)
    assert resp is not None
    status = resp.status_code
    if 200 <= status < 300:
        return Outcome(OK, f"http_{status}")
    code, err = _error_code(resp)
    label = f"http_{status}" + (f":{code}" if code else "")
    retry_after = parse_retry_after(resp.headers.get("Retry-After"))
    if status == 401:
        return Outcome(STOP, label)
    if status == 409:
        if code == "attachment_missing":
            missing = err.get("missing") if isinstance(err.get("missing"), list) else None
            return Outcome(REUPLOAD, label, missing=[str(m) for m in missing] if missing else None)
        return Outcome(RETRY, label, retry_after=retry_after)  # idempotency_in_flight and unknown conflicts
    if status in RETRY_STATUSES or status >= 500:
        return Outcome(RETRY, label, retry_after=retry_after, global_failure=True)
    return Outcome(DEAD, label)


def backoff_delay(attempt: int, initial: float, maximum: float, rng: random.Random | None = None) -> float:
    """Full jitter: uniform(0, min(maximum, 2*initial * 2**(attempt-1))); the first retry averages `initial`."""
    ceiling = min(maximum, 2 * initial * (2 ** min(max(attempt, 1) - 1, 30)))
    return (rng or random).uniform(0, ceiling)


class SyncWorker:
    """Delivers `outbox` through `client`. Events go out on `outbox.events` ("delivered", "dead", "alert",
    "connectivity"); `online` is the connectivity flag (None until the first answer)."""

    def __init__(self, outbox: Outbox, client: PlatformClient, settings=None, *,
                 retry_initial: float | None = None, retry_max: float | None = None,
                 heartbeat_interval: float | None = None,
                 devices: Callable[[], list[dict[str, Any]]] | None = None,
                 version: str = VERSION, rng: random.Random | None = None,
                 self_check: Callable[[], dict[str, Any]] | None = None,
                 terminal: dict[str, str] | None = None) -> None:
        def setting(section: str, key: str, given: float | None, default: float) -> float:
            if given is not None:
                return float(given)
            if settings is not None:
                return settings.getfloat(section, key)
            return default
        self.outbox = outbox
        self.client = client
        self.events = outbox.events
        self.retry_initial = setting("outbox", "retry_initial", retry_initial, 5.0)
        self.retry_max = setting("outbox", "retry_max", retry_max, 600.0)
        self.heartbeat_interval = setting("platform", "heartbeat_interval", heartbeat_interval, 60.0)
        self.devices = devices
        self.version = version
        self.self_check = self_check    # more heartbeat fields, e.g. {"content_version": "..."}
        self.terminal = terminal if terminal is not None else heartbeat.terminal_info(settings)
        self._started = time.monotonic()
        self.rng = rng or random.Random()
        self.online: bool | None = None
        self.stopped_reason: str | None = None   # "unauthorized" after a 401, until resume()
        self._failures = 0                        # consecutive platform-wide failures
        self._not_before = 0.0                    # no request before this (platform-wide backoff)
        self._next_heartbeat = 0.0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.keep_receipts_days = setting("outbox", "keep_receipts_days", None, 90.0)
        self._next_prune = 0.0
        self._unsubscribe: Callable[[], None] | None = None

    @classmethod
    def from_settings(cls, outbox: Outbox, settings,
                      devices: Callable[[], list[dict[str, Any]]] | None = None) -> "SyncWorker":
        """The worker the kiosk runs: client and timings from the settings."""
        return cls(outbox, PlatformClient.from_settings(settings), settings, devices=devices)

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> "SyncWorker":
        """Run in a daemon thread until stop()."""
        if self._thread and self._thread.is_alive():
            return self
        self._stop.clear()
        # a new submission is tried at once (unless the platform-wide backoff says not yet)
        self._unsubscribe = self.events.subscribe(
            lambda event, data: self._wake.set() if event == "enqueued" else None)
        self._thread = threading.Thread(target=self._run, name="outbox-sync", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish its current request and end; waits up to `timeout`."""
        self._stop.set()
        self._wake.set()
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        if self._thread:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Try now: a new submission was queued, or staff say the network is back."""
        self._not_before = 0.0
        self._wake.set()

    def resume(self) -> None:
        """Leave the stopped-after-401 state (staff fixed the token) and try again."""
        self.stopped_reason = None
        self._failures = 0
        self.wake()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                wait = self.step()
            except OutboxError as exc:
                # the outbox raised its own alert; keep the thread alive and look again later
                log.error("outbox unavailable to the sync worker: %s", exc.code)
                wait = self.retry_max
            except Exception:
                log.exception("sync worker step failed")
                wait = self.retry_initial
            self._wake.wait(timeout=max(0.0, wait))
            self._wake.clear()

    def flush(self, timeout: float) -> bool:
        """Deliver in the calling thread until nothing is pending or `timeout` seconds passed.

        Returns True when nothing is pending. Stops early after a 401.
        """
        deadline = time.monotonic() + timeout
        while not self._stop.is_set():
            if not self.outbox.has_pending():
                return True
            if self.stopped_reason:
                return False
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            wait = self.step(heartbeat=False)
            if wait > 0:
                self._wake.wait(timeout=min(wait, left, 1.0))
                self._wake.clear()
        return not self.outbox.has_pending()

    # -- one step --------------------------------------------------------------------------------
    def step(self, heartbeat: bool = True) -> float:
        """Do the next due thing (a heartbeat or one item); return how long to wait before the next step."""
        if self.stopped_reason:
            return 3600.0
        now = time.time()
        if heartbeat and now >= self._next_heartbeat:
            self._next_heartbeat = now + self.heartbeat_interval
            self.send_heartbeat()
            if now >= self._next_prune:
                self._next_prune = now + 3600
                self.outbox.prune_delivered(self.keep_receipts_days)
            return 0.0
        if now < self._not_before:
            return self._not_before - now
        due = self.outbox.due(now, limit=1)
        if due:
            self.deliver(due[0])
            return 0.0
        next_due = self.outbox.next_due_ts()
        waits = [self._next_heartbeat - now] if heartbeat else []
        if next_due is not None:
            waits.append(next_due - now)
        return max(0.0, min(waits)) if waits else 60.0

    def heartbeat_body(self) -> dict[str, Any]:
        """The self-check a heartbeat carries (offline_cache.heartbeat.build)."""
        return heartbeat.build(self.outbox, self.version, self.devices, self.terminal, self.self_check,
                               time.monotonic() - self._started)

    def send_heartbeat(self) -> bool:
        """Heartbeat with the self-check (heartbeat_body); doubles as the connectivity probe."""
        body = self.heartbeat_body()
        try:
            resp = self.client.heartbeat(body)
        except requests.RequestException as exc:
            self._set_online(False)
            log.info("heartbeat failed: %s", classify(exc=exc).code)
            return False
        if resp.status_code == 401:
            self._unauthorized(classify(resp).code)
            return False
        was_offline = self.online is False
        self._set_online(resp.status_code < 500)
        if was_offline and resp.status_code < 300:
            # the probe says the platform is back: stop waiting out the backoff, try everything now
            self._failures = 0
            self._not_before = 0.0
            self.outbox.wake_all()
        return resp.status_code < 300

    def deliver(self, local_id: str) -> str:
        """Try one item once; returns the action taken (ok, retry, reupload, dead, stop)."""
        try:
            item = self.outbox.load(local_id)
        except CryptoError as exc:
            return self._unreadable(local_id, exc.code)
        if item is None:
            return OK
        resp = None
        try:
            outcome = self._upload_attachments(item)
            if outcome is None:
                resp = self.client.post_submission(item.body, item.idem_key)
                outcome = classify(resp)
        except requests.RequestException as exc:
            outcome = classify(exc=exc)
        except CryptoError as exc:
            return self._unreadable(local_id, exc.code)
        if outcome.action == OK and resp is not None:
            tracking_no, platform_id, check_code = self._receipt_fields(resp)
            if tracking_no:
                self._healthy()
                self.outbox.mark_delivered(local_id, tracking_no, platform_id, check_code)
                log.info("delivered %s", local_id)
                return OK
            outcome = Outcome(RETRY, "bad_response", global_failure=True)
        return self._handle(item, outcome)

    def _upload_attachments(self, item) -> Outcome | None:
        """HEAD each attachment not known to be there, PUT the missing ones; an Outcome on failure."""
        for att in item.attachments:
            if att.uploaded:
                continue
            resp = self.client.head_attachment(att.sha256)
            if resp.status_code == 404:
                meta = item.body["attachments"][att.position]
                resp = self.client.put_attachment(att.sha256, self.outbox.attachment_data(item.local_id, att.position),
                                                  meta.get("content_type", "application/octet-stream"))
            if resp.status_code in (200, 201):
                self.outbox.set_uploaded(item.local_id, [att.sha256])
                continue
            outcome = classify(resp)
            if outcome.action == OK:  # an odd 2xx such as 204: not proof that the file is there
                outcome = Outcome(RETRY, f"attachment_{outcome.code}")
            return outcome
        return None

    @staticmethod
    def _receipt_fields(resp: requests.Response) -> tuple[str, str, str]:
        """tracking_no, platform id and the 查询码 (a platform without the extension sends none: "")."""
        try:
            data = resp.json()
            check = str(data.get("check_code") or "")
            return (str(data.get("tracking_no") or ""), str(data.get("id") or ""),
                    check if check.isdigit() and len(check) <= 8 else "")
        except (ValueError, AttributeError):
            return "", "", ""

    def _handle(self, item, outcome: Outcome) -> str:
        if outcome.action == DEAD:
            self._healthy()
            self.outbox.mark_dead(item.local_id, outcome.code)
            log.warning("dead letter %s: %s", item.local_id, outcome.code)
            return DEAD
        if outcome.action == STOP:
            self.outbox.record_retry(item.local_id, outcome.code, 0.0)
            self._unauthorized(outcome.code)
            return STOP
        if outcome.action == REUPLOAD:
            self._healthy()
            shas = outcome.missing or [a.sha256 for a in item.attachments]
            self.outbox.set_uploaded(item.local_id, shas, uploaded=False)
            # at once the first times; if the platform keeps losing files, back off like any retry
            delay = 0.0 if item.attempts < 3 else backoff_delay(item.attempts, self.retry_initial, self.retry_max,
                                                                 self.rng)
            self.outbox.record_retry(item.local_id, outcome.code, delay)
            return REUPLOAD
        if outcome.global_failure:
            self._failures += 1
            delay = backoff_delay(self._failures, self.retry_initial, self.retry_max, self.rng)
            if outcome.code in ("timeout", "connection_error") or outcome.code.startswith("transport_"):
                self._set_online(False)
        else:
            delay = backoff_delay(item.attempts + 1, self.retry_initial, self.retry_max, self.rng)
        if outcome.retry_after is not None:
            delay = max(delay, outcome.retry_after)   # never sooner than the platform asked
        if outcome.global_failure:
            self._not_before = time.time() + delay
        self.outbox.record_retry(item.local_id, outcome.code, delay)
        log.info("retry %s in %.1fs: %s", item.local_id, delay, outcome.code)
        return RETRY

    def _unreadable(self, local_id: str, code: str) -> str:
        # the stored data does not decrypt (damaged row or replaced key): keep it, stop retrying, tell staff
        self.outbox.mark_dead(local_id, f"local_{code}")
        self.outbox.alert("outbox_unreadable_item", f"item {local_id} cannot be decrypted ({code})")
        return DEAD

    def _healthy(self) -> None:
        self._failures = 0
        self._set_online(True)

    def _set_online(self, online: bool) -> None:
        if self.online != online:
            self.online = online
            self.events.emit("connectivity", {"online": online})

    def _unauthorized(self, code: str) -> None:
        # the alert goes out before the worker reads as stopped: whoever sees "stopped" also finds the alert
        self.outbox.alert("platform_unauthorized",
                          f"platform refused this terminal's token ({code}); delivery stopped until fixed")
        self.stopped_reason = "unauthorized"
        self._set_online(True)  # the platform answered; it is our credentials that are wrong
