"""The operations console in a real browser (Playwright driving Debian's chromium), on SQLite and PostgreSQL.

Staff log in, watch a terminal go red when its heartbeats stop, move a 办件 and see the terminal's 办件查询
(kiosk.flows.tracking.fetch through the terminal's platform client) show the new status, and close a
real-name 差评 case. No page may show the made-up citizen's name, ID number, phone or address.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from kiosk.flows.tracking import fetch
from offline_cache.outbox import Outbox
from offline_cache.platform_client import PlatformClient
from offline_cache.sync import SyncWorker
from platform_server.process import ROOT, PlatformProcess
from tests.e2e.conftest import BOTH_DATABASES

pytestmark = [pytest.mark.e2e, BOTH_DATABASES]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
A, B = "HZ-OPS-A", "HZ-OPS-B"
TOKENS = {"token-a": A, "token-b": B}
STAFF, PASSWORD = "county-staff", "菏泽 ops 2026!"
SILENT_AFTER = 3
# a made-up citizen: none of this may appear on any ops page
CITIZEN = {"name": "欧阳测试", "number": "371702199001011234", "phone": "13812345678",
           "address": "牡丹区测试路88号"}


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright): the console is NOT tested in a browser")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium): console NOT browser-tested")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def ops(tmp_path, platform_database):
    clock = tmp_path / "clock-offset"
    clock.write_text("0")
    server = PlatformProcess(tmp_path / "platform" / "platform.db", tokens=TOKENS, database=platform_database,
                             extra_args=["--silent-after", str(SILENT_AFTER), "--clock-offset-file", str(clock)])
    server.clock_file = clock
    with server:
        out = subprocess.run([sys.executable, "-m", "platform_server", "add-staff", "--db", server.database,
                              "--stdin", STAFF], input=PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
        assert out.returncode == 0, out.stderr
        yield server


@pytest.fixture
def page(browser, ops):
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.pages_seen = []
    yield pg
    context.close()


def login(page, ops, password=PASSWORD):
    page.goto(ops.url + "/ops/")
    assert "/ops/login" in page.url   # every page needs a login
    page.fill("input[name=username]", STAFF)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def seen(page) -> str:
    html = page.content()
    page.pages_seen.append(html)
    return html


def beat(ops, terminal, token, **extra):
    body = {"at": "2026-11-30T10:00:00+08:00", "version": "0.1.0",
            "devices": [{"name": "idcard", "state": "online", "detail": ""}],
            "outbox": {"pending": 0, "dead": 0, "oldest_pending_age_s": 0}, "free_disk_mb": 9000, "uptime_s": 60,
            "alerts": [], "content_version": "2026.11.27",
            "terminal": {"name": "测试终端", "level": "village", "region_code": "371702"}, **extra}
    r = requests.post(f"{ops.url}/api/v1/terminals/{terminal}/heartbeat", json=body,
                      headers={"Authorization": f"Bearer {token}", "X-Terminal-Id": terminal}, timeout=10)
    assert r.status_code == 204, r.text


def terminal_submits(ops, data_dir: Path, kind: str, payload: dict) -> tuple[str, PlatformClient]:
    """The terminal's own path: outbox, sync worker, delivered; returns the 办件编号 and the terminal's client."""
    box = Outbox(data_dir, A)
    client = PlatformClient(ops.url, "token-a", A, connect_timeout=2, read_timeout=10)
    local_id = box.enqueue(kind, {**payload, "applicant": {"source": "idcard", "name": CITIZEN["name"],
                                                           "number": CITIZEN["number"], "is_enterprise": False}})
    assert SyncWorker(box, client, retry_initial=0.05, retry_max=0.5, heartbeat_interval=3600).flush(30)
    tracking_no = box.receipt(local_id)["tracking_no"]
    box.close()
    return tracking_no, client


def assert_no_personal_data(page):
    for html in page.pages_seen:
        for value in CITIZEN.values():
            assert value not in html


def test_login_is_slowed_and_staff_see_a_terminal_go_red_when_it_falls_silent(page, ops):
    login(page, ops, password="wrong password")
    assert page.locator("#login-error").is_visible() and "/ops/login" in page.url
    login(page, ops)
    assert page.url.rstrip("/").endswith("/ops")
    beat(ops, A, "token-a")
    beat(ops, B, "token-b", devices=[{"name": "receipt_printer", "state": "offline", "detail": "缺纸"}])
    page.reload()
    assert page.locator(f"tr[data-terminal='{A}']").get_attribute("data-level") == "green"
    assert page.locator(f"tr[data-terminal='{B}']").get_attribute("data-level") == "amber"
    assert page.locator("#alarm").count() == 0
    # B keeps beating, A stops: after SILENT_AFTER seconds A is red and the alarm names it
    deadline = time.monotonic() + SILENT_AFTER + 1.5
    while time.monotonic() < deadline:
        beat(ops, B, "token-b")
        time.sleep(0.5)
    page.reload()
    assert page.locator(f"tr[data-terminal='{A}']").get_attribute("data-level") == "red"
    assert page.locator(f"tr[data-terminal='{B}']").get_attribute("data-level") == "green"
    assert A in page.locator("#alarm").inner_text() and B not in page.locator("#alarm").inner_text()
    page.select_option("select[name=level]", "red")
    page.click("form[method=get] button")
    assert page.locator("tr[data-terminal]").count() == 1
    page.click(f"a:text('{A}')")
    assert page.locator("#level").get_attribute("data-level") == "red"
    assert "idcard" in page.locator("#devices").inner_text()
    assert page.locator("#history tr").count() >= 2


def test_a_moved_banjian_shows_on_the_terminals_query(page, ops, tmp_path):
    data = tmp_path / "terminal"
    data.mkdir(mode=0o700)
    no, client = terminal_submits(ops, data, "application", {
        "matter_code": "370100-001", "matter_name": "居住证办理", "phone": CITIZEN["phone"], "delivery": "post",
        "materials": [], "form": {"title": "居住证申请表", "fields": [
            {"label": "住址", "value": CITIZEN["address"], "source": "identity", "changed": False}]}})
    assert fetch(client, no).status_words == "已收到申请"
    login(page, ops)
    page.goto(ops.url + "/ops/work")
    row = page.locator(f"tr[data-tracking='{no}']")
    assert "居住证办理" in row.inner_text()
    seen(page)
    for button, words in (("受理", "开始办理"), ("审核", "正在审核"), ("办结", "办好了")):
        page.locator(f"tr[data-tracking='{no}'] button:text-is('{button}')").click()
        assert page.locator(".flash").count() == 1
        result = fetch(client, no)                         # what 办件查询 on the terminal shows
        assert result.status_words == words
    assert [s.words for s in result.steps] == ["已收到申请", "开始办理", "正在审核", "办好了"]
    assert page.locator(f"tr[data-tracking='{no}']").get_attribute("data-status") == "completed"
    # 不予受理 needs its reason, and the terminal shows it
    other, _ = terminal_submits(ops, data, "application", {"matter_name": "临时身份证明", "materials": []})
    page.reload()
    page.fill(f"tr[data-tracking='{other}'] input[name=reason]", "材料不齐：缺户口簿首页")
    page.locator(f"tr[data-tracking='{other}'] button:text-is('不予受理')").click()
    result = fetch(client, other)
    assert result.status_words == "没有收下" and "缺户口簿首页" in result.steps[-1].note
    seen(page)
    page.goto(ops.url + "/ops/")
    seen(page)
    assert_no_personal_data(page)


def test_a_real_name_bad_review_is_a_case_that_goes_overdue_and_is_closed(page, ops, tmp_path):
    data = tmp_path / "terminal"
    data.mkdir(mode=0o700)
    no, client = terminal_submits(ops, data, "evaluation", {
        "standard": "GB/T 39735-2020", "level": 1, "level_words": "非常不满意", "bad": True, "real_name": True,
        "reasons": ["slow", "many_trips"], "callback_phone": CITIZEN["phone"], "callback_required": True,
        "rectify_within_working_days": 5, "indicators": {"overall": 1}})
    login(page, ops)
    page.goto(ops.url + "/ops/cases/evaluation")
    row = page.locator(f"tr[data-tracking='{no}']")
    assert "办事慢" in row.inner_text() and "138****5678" in row.inner_text()
    assert "overdue" not in (row.get_attribute("class") or "")
    ops.clock_file.write_text(str(10 * 86400))   # ten days later (the platform's clock): past 5 working days
    page.reload()
    assert "overdue" in page.locator(f"tr[data-tracking='{no}']").get_attribute("class")
    assert "超期 1 件" in page.locator("#overdue-count").inner_text()
    seen(page)
    for step, text in (("回访", "已电话联系，了解情况"), ("整改", "增加一个窗口，缩短等候"), ("反馈", "已告知整改结果，群众认可")):
        page.fill(f"tr[data-tracking='{no}'] input[name=text]", text)
        page.locator(f"tr[data-tracking='{no}'] button:text-is('{step}')").click()
    assert page.locator(f"tr[data-tracking='{no}']").count() == 0   # closed cases leave the open list
    page.goto(ops.url + "/ops/cases/evaluation?closed=1")
    closed = page.locator(f"tr[data-tracking='{no}']")
    assert closed.get_attribute("data-state") == "closed" and "群众认可" in closed.inner_text()
    seen(page)
    assert fetch(client, no).status_words == "办好了"
    assert_no_personal_data(page)


def test_posts_need_the_csrf_token_and_the_cookie_is_guarded(page, ops):
    login(page, ops)
    cookie = [c for c in page.context.cookies() if c["name"] == "heze_ops"][0]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    session = requests.Session()
    session.cookies.set("heze_ops", cookie["value"], path="/ops")
    r = session.post(ops.url + "/ops/work/371700-20261120-000001/move", data={"to": "accepted"},
                     allow_redirects=False, timeout=10)
    assert r.status_code == 400      # logged in, but no CSRF token: refused
    html = session.get(ops.url + "/ops/work", timeout=10).text
    token = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    r = session.post(ops.url + "/ops/logout", data={"csrf": token}, allow_redirects=False, timeout=10)
    assert r.status_code == 302
