"""The sync worker against the real platform process, through a real misbehaving TCP proxy."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import requests

from offline_cache.outbox import Outbox
from offline_cache.platform_client import PlatformClient
from offline_cache.sync import DEAD, OK, REUPLOAD, RETRY, SyncWorker
from tests.e2e.conftest import TERMINAL_ID
from tests.e2e.tcp_proxy import TcpProxy

pytestmark = pytest.mark.e2e


def server_rows(platform) -> list[tuple[str, str]]:
    """(local_id, tracking_no) of every submission the platform holds."""
    with sqlite3.connect(platform.db_path) as db:
        return db.execute("SELECT local_id, tracking_no FROM submissions ORDER BY local_id").fetchall()


def assert_exactly_once(platform, outbox: Outbox, local_ids: list[str]) -> None:
    rows = server_rows(platform)
    assert sorted(r[0] for r in rows) == sorted(local_ids)  # every one, none twice
    with sqlite3.connect(platform.db_path) as db:
        codes = dict(db.execute("SELECT tracking_no, check_code FROM tracking_kinds").fetchall())
    for local_id, tracking_no in rows:
        receipt = outbox.receipt(local_id)
        assert receipt["state"] == "delivered" and receipt["tracking_no"] == tracking_no
        assert receipt["check_code"] == codes[tracking_no], "the receipt keeps the platform's 查询码"


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def outbox(data_dir):
    box = Outbox(data_dir, TERMINAL_ID)
    yield box
    box.close()


def client_for(settings, url, **kw) -> PlatformClient:
    return PlatformClient(url, settings.get("platform", "token"), TERMINAL_ID,
                          connect_timeout=kw.get("connect_timeout", 2), read_timeout=kw.get("read_timeout", 5))


def test_platform_down_then_up_delivers_everything_once(outbox, platform_server, platform_settings):
    events = []
    outbox.events.subscribe(lambda e, d: events.append((e, d)))
    platform_server.kill()  # the village's line is down
    ids = [outbox.enqueue("help_request", {"screen": f"s{i}"}) for i in range(3)]
    worker = SyncWorker(outbox, PlatformClient.from_settings(platform_settings), platform_settings).start()
    try:
        assert wait_for(lambda: worker.online is False)
        assert wait_for(lambda: (outbox.receipt(ids[0])["attempts"] or 0) >= 2)
        assert outbox.receipt(ids[0])["last_error"] == "connection_error"
        assert outbox.status()["pending"] == 3
        platform_server.start()  # same port, same database
        worker.wake()
        assert wait_for(lambda: outbox.status()["pending"] == 0)
    finally:
        worker.stop()
    assert worker.online is True
    assert ("connectivity", {"online": False}) in events and ("connectivity", {"online": True}) in events
    assert sorted(d["local_id"] for e, d in events if e == "delivered") == sorted(ids)
    assert_exactly_once(platform_server, outbox, ids)


def test_reset_after_the_platform_committed_does_not_duplicate(outbox, platform_server, platform_settings):
    proxy = TcpProxy("127.0.0.1", platform_server.port)
    try:
        proxy.set_mode("reset_after_commit", resets=4)
        ids = [outbox.enqueue("complaint", {"note": f"n{i}"}, [(f"p{i}.jpg", "image/jpeg", bytes([i]) * 500)])
               for i in range(5)]
        worker = SyncWorker(outbox, client_for(platform_settings, proxy.url), platform_settings)
        assert worker.flush(60)
        assert proxy.resets_done == 4  # the trap really sprang
    finally:
        proxy.close()
    assert_exactly_once(platform_server, outbox, ids)


def test_read_timeout_then_retry_replays_the_first_answer(outbox, platform_server, platform_settings):
    proxy = TcpProxy("127.0.0.1", platform_server.port)
    try:
        local_id = outbox.enqueue("appointment", {"date": "2026-11-30", "half_day": "am"})
        worker = SyncWorker(outbox, client_for(platform_settings, proxy.url, read_timeout=0.5), platform_settings)
        proxy.set_mode("delay", delay=1.5)
        assert worker.deliver(local_id) == RETRY
        assert outbox.receipt(local_id)["last_error"] == "timeout"
        proxy.set_mode("pass")
        assert wait_for(lambda: len(server_rows(platform_server)) == 1)  # it did arrive the first time
        worker.wake()
        assert worker.flush(30)
    finally:
        proxy.close()
    assert_exactly_once(platform_server, outbox, [local_id])


def test_dropped_connections_are_retried(outbox, platform_server, platform_settings):
    proxy = TcpProxy("127.0.0.1", platform_server.port)
    try:
        local_id = outbox.enqueue("postal_order", {"service": "deliver_result", "address_source": "phone"})
        worker = SyncWorker(outbox, client_for(platform_settings, proxy.url), platform_settings)
        proxy.set_mode("drop")
        assert worker.deliver(local_id) == RETRY
        assert outbox.receipt(local_id)["last_error"] == "connection_error" and worker.online is False
        proxy.set_mode("pass")
        worker.wake()
        assert worker.flush(30)
    finally:
        proxy.close()
    assert_exactly_once(platform_server, outbox, [local_id])


def test_retry_after_is_honoured(outbox, tmp_path, platform_settings):
    from platform_server.process import PlatformProcess
    with PlatformProcess(tmp_path / "busy.db", extra_args=["--busy-first", "1"]) as busy:
        local_id = outbox.enqueue("evaluation", {"score": 5})
        worker = SyncWorker(outbox, client_for(platform_settings, busy.url), platform_settings)
        before = time.time()
        assert worker.deliver(local_id) == RETRY
        assert outbox.receipt(local_id)["last_error"] == "http_503:busy"
        next_ts = outbox._conn.execute("SELECT next_attempt_ts FROM items WHERE local_id=?",
                                       (local_id,)).fetchone()[0]
        # retry_max is 0.5 s in these settings: only the platform's Retry-After: 1 can push it this far
        assert next_ts - before >= 1.0
        assert worker.flush(30)
        assert_exactly_once(busy, outbox, [local_id])


def test_permanent_refusal_becomes_a_dead_letter_kept_for_staff(outbox, platform_server, platform_settings):
    events = []
    outbox.events.subscribe(lambda e, d: events.append((e, d)))
    bad = outbox.enqueue("evaluation", {"score": 9})
    good = outbox.enqueue("evaluation", {"score": 4})
    worker = SyncWorker(outbox, PlatformClient.from_settings(platform_settings), platform_settings)
    assert worker.flush(30)
    status = outbox.status()
    assert status["dead"] == 1 and status["delivered"] == 1 and status["pending"] == 0
    assert outbox.receipt(bad)["dead_reason"] == "http_422:invalid_submission"
    assert ("dead", {"local_id": bad, "kind": "evaluation", "reason": "http_422:invalid_submission"}) in events
    assert outbox.load(bad) is None and outbox.retry_dead() == 1
    assert outbox.load(bad).body["payload"] == {"score": 9}  # kept, never dropped
    assert worker.deliver(bad) == DEAD
    assert_exactly_once(platform_server, outbox, [good])


def test_401_stops_the_worker_and_alerts_staff(outbox, platform_server, platform_settings):
    alerts = []
    outbox.events.subscribe(lambda e, d: alerts.append(d["code"]) if e == "alert" else None)
    local_id = outbox.enqueue("complaint", {"note": "噪音"})
    wrong = PlatformClient(platform_server.url, "stolen-or-expired", TERMINAL_ID)
    worker = SyncWorker(outbox, wrong, platform_settings).start()
    try:
        assert wait_for(lambda: worker.stopped_reason == "unauthorized")
        assert alerts == ["platform_unauthorized"]
        assert outbox.alerts()[0]["code"] == "platform_unauthorized"
        assert outbox.receipt(local_id)["state"] == "pending"
        attempts = outbox.receipt(local_id)["attempts"]
        time.sleep(0.5)
        assert outbox.receipt(local_id)["attempts"] == attempts  # stopped: no hammering with a bad token
        worker.client = PlatformClient.from_settings(platform_settings)  # staff fixed the token
        worker.resume()
        assert wait_for(lambda: outbox.status()["pending"] == 0)
    finally:
        worker.stop()
    assert_exactly_once(platform_server, outbox, [local_id])


def test_attachment_missing_triggers_a_re_upload(outbox, platform_server, platform_settings):
    data = b"\x89PNG certificate scan"
    local_id = outbox.enqueue("application", {"matter_name": "居住证"}, [("证明.png", "image/png", data)])
    item = outbox.load(local_id)
    # the terminal believes the file is there (e.g. the platform was restored from an older backup)
    outbox.set_uploaded(local_id, [item.attachments[0].sha256])
    worker = SyncWorker(outbox, PlatformClient.from_settings(platform_settings), platform_settings)
    assert worker.deliver(local_id) == REUPLOAD
    assert outbox.receipt(local_id)["last_error"] == "http_409:attachment_missing"
    assert worker.deliver(local_id) == OK
    head = requests.head(platform_server.url + f"/api/v1/attachments/{item.attachments[0].sha256}",
                         headers=platform_server.headers(TERMINAL_ID), timeout=5)
    assert head.status_code == 200
    assert_exactly_once(platform_server, outbox, [local_id])


def test_concurrent_workers_on_one_outbox_still_deliver_once(outbox, data_dir, platform_server, platform_settings):
    """The kiosk's worker and a staff `outbox flush` may run at the same time."""
    ids = [outbox.enqueue("help_request", {"screen": f"s{i}"}) for i in range(8)]
    other = Outbox(data_dir, TERMINAL_ID)
    workers = [SyncWorker(box, PlatformClient.from_settings(platform_settings), platform_settings)
               for box in (outbox, other)]
    threads = [threading.Thread(target=w.flush, args=(60,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    other.close()
    assert_exactly_once(platform_server, outbox, ids)


def test_heartbeat_reports_outbox_depth_and_devices(outbox, platform_server, platform_settings):
    outbox.enqueue("complaint", {"note": "x"})
    devices = [{"name": "idcard", "state": "online", "detail": ""}]
    worker = SyncWorker(outbox, PlatformClient.from_settings(platform_settings), platform_settings,
                        devices=lambda: devices)
    assert worker.send_heartbeat() and worker.online is True
    seen = requests.get(platform_server.url + f"/api/v1/terminals/{TERMINAL_ID}",
                        headers=platform_server.headers(TERMINAL_ID), timeout=5).json()["last_heartbeat"]
    assert seen["outbox"]["pending"] == 1 and seen["devices"] == devices


def test_a_new_submission_wakes_an_idle_worker(outbox, platform_server, platform_settings):
    worker = SyncWorker(outbox, PlatformClient.from_settings(platform_settings), platform_settings,
                        heartbeat_interval=3600).start()
    try:
        assert wait_for(lambda: worker.online is True)  # first heartbeat done, now idle for an hour
        local_id = outbox.enqueue("help_request", {"reason": "mobility"})
        assert wait_for(lambda: outbox.receipt(local_id)["state"] == "delivered")
    finally:
        worker.stop()
    assert_exactly_once(platform_server, outbox, [local_id])


def test_an_item_that_no_longer_decrypts_is_kept_as_dead_letter_with_an_alert(outbox, platform_server,
                                                                               platform_settings):
    alerts = []
    outbox.events.subscribe(lambda e, d: alerts.append(d["code"]) if e == "alert" else None)
    local_id = outbox.enqueue("complaint", {"note": "x"})
    sealed = outbox._conn.execute("SELECT sealed FROM items WHERE local_id=?", (local_id,)).fetchone()[0]
    damaged = sealed[:-1] + bytes([sealed[-1] ^ 0xFF])
    outbox._conn.execute("UPDATE items SET sealed=? WHERE local_id=?", (damaged, local_id))
    worker = SyncWorker(outbox, PlatformClient.from_settings(platform_settings), platform_settings)
    assert worker.deliver(local_id) == DEAD
    assert outbox.receipt(local_id)["dead_reason"] == "local_sealed_tampered"
    assert alerts == ["outbox_unreadable_item"]
    assert server_rows(platform_server) == []


def test_a_successful_probe_ends_the_backoff(outbox, platform_server, platform_settings):
    platform_server.kill()
    local_id = outbox.enqueue("help_request", {"reason": "other"})
    worker = SyncWorker(outbox, PlatformClient.from_settings(platform_settings), platform_settings,
                        retry_initial=300, retry_max=600)
    assert worker.deliver(local_id) == RETRY and worker.online is False
    assert outbox.due() == []  # backing off for minutes
    platform_server.start()
    assert worker.send_heartbeat() and worker.online is True
    assert outbox.due() == [local_id]  # the probe made it due again at once
    assert worker.flush(30)
    assert_exactly_once(platform_server, outbox, [local_id])


def test_platform_killed_mid_request_then_back(outbox, tmp_path, platform_settings):
    from platform_server.process import PlatformProcess
    with PlatformProcess(tmp_path / "crash.db",
                         extra_args=["--processing-delay", "1.0", "--in-flight-lease", "1.5"]) as platform:
        local_id = outbox.enqueue("application", {"matter_name": "临时身份证明"})
        worker = SyncWorker(outbox, client_for(platform_settings, platform.url), platform_settings)
        outcome = []
        sender = threading.Thread(target=lambda: outcome.append(worker.deliver(local_id)))
        sender.start()

        def claimed():
            with sqlite3.connect(platform.db_path) as db:
                return db.execute("SELECT count(*) FROM idempotency").fetchone()[0] == 1
        assert wait_for(claimed)
        platform.kill()  # the key is claimed, nothing committed
        sender.join()
        assert outcome == [RETRY]
        platform.start()  # the stale claim blocks (409) until its lease ends, then the key is taken over
        worker.wake()
        assert worker.flush(60)
        assert_exactly_once(platform, outbox, [local_id])


def test_409_in_flight_from_the_platform_is_retried_and_delivered_once(outbox, tmp_path, platform_settings):
    """The first POST times out while the platform is still working on it; the retry meets the key in
    flight (409), and the worker keeps the item and retries until the platform's answer is replayed."""
    from platform_server.process import PlatformProcess
    with PlatformProcess(tmp_path / "slow.db", platform_settings.get("platform", "token"),
                         extra_args=["--processing-delay", "2.0"]) as slow:
        local_id = outbox.enqueue("appointment", {"date": "2026-11-30", "half_day": "pm"})
        worker = SyncWorker(outbox, client_for(platform_settings, slow.url, read_timeout=0.5), platform_settings)
        assert worker.deliver(local_id) == RETRY
        assert outbox.receipt(local_id)["last_error"] == "timeout"
        assert worker.deliver(local_id) == RETRY                  # the first request is still being processed
        assert outbox.receipt(local_id)["last_error"] == "http_409:idempotency_in_flight"
        assert outbox.receipt(local_id)["state"] == "pending"
        worker.client = client_for(platform_settings, slow.url, read_timeout=5)
        assert wait_for(lambda: worker.deliver(local_id) == OK, timeout=30)
        assert_exactly_once(slow, outbox, [local_id])


def test_422_idempotency_mismatch_is_a_dead_letter_kept_for_staff(outbox, platform_server, platform_settings):
    """The platform already holds the item's key with another body (a terminal restored from an old
    backup reusing keys): the item is not retried for ever, it becomes a dead letter staff can see."""
    events = []
    outbox.events.subscribe(lambda e, d: events.append((e, d)))
    local_id = outbox.enqueue("evaluation", {"score": 4})
    item = outbox.load(local_id)
    other = dict(item.body, payload={"score": 5})
    taken = requests.post(platform_server.url + "/api/v1/submissions", json=other, timeout=5,
                          headers=platform_server.headers(TERMINAL_ID, **{"Idempotency-Key": item.idem_key}))
    assert taken.status_code == 201
    worker = SyncWorker(outbox, PlatformClient.from_settings(platform_settings), platform_settings)
    assert worker.deliver(local_id) == DEAD
    receipt = outbox.receipt(local_id)
    assert receipt["state"] == "dead" and receipt["dead_reason"] == "http_422:idempotency_mismatch"
    assert ("dead", {"local_id": local_id, "kind": "evaluation", "reason": "http_422:idempotency_mismatch"}) in events
    assert outbox.retry_dead() == 1 and outbox.load(local_id).body["payload"] == {"score": 4}  # kept
