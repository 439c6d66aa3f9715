"""The terminal core, without Kivy: one object that owns a citizen's visit and every shared service.

    terminal = Terminal(settings)           # session, devices, voice, guide library, log redaction
    terminal.start(services=True)           # devices in the background, outbox + sync worker, catalogue
                                            # (a front end: start(services=False), then after its first
                                            # frame start_services_in_background())
    terminal.identify(identity)             # a card record or a code, as kiosk.identity.Identity
    flow = terminal.open_flow("apply", matter="...")
    ... flow.choose(...), flow.set_phone(...), flow.next() ...
    local_id = flow.submit()                # durable in the encrypted outbox; "submitted" event
    result = terminal.track("371700-20261127-000123", check_code="1234")   # 办件查询 (blocking)
    flow = terminal.evaluate(local_id)      # 好差评 of that submission (or of the hall: evaluate())
    flow = terminal.complain()              # 吐槽找茬
    flow = terminal.book()                  # 预约取号
    local_id = terminal.call_for_help("mobility")   # 呼叫帮办: one tap sends it
    terminal.end_session()                  # wipe; "session_wiped" event

Everything a front end needs to follow arrives on one event stream, `terminal.events`
(common.events.EventSource), as (event, data) with no personal data in `data` but for "device_detail":
  "device"          {"device", "event", "state"?}   a device changed state, a card or code arrived
  "device_detail"   {"device", "event", "payload", "at"}  the same, with the driver's own object (a card
                                                    record, a code, a DeviceStatus, a DeviceError) and when
                                                    it came: for the screen on show only (it may be
                                                    personal: no follower logs or keeps it)
  "outbox"          {"event", ...}                  enqueued / delivered / dead / alert / connectivity
  "identified"      {"source"}                      the session has a citizen
  "submitted"       {"local_id", "kind", "note"}    a submission is durable; show its receipt
  "session_wiped"   {"reason"}                      everything personal is gone
  "idle"            {"phase", "left"}               the idle timer warns or expired
Events arrive on the thread that caused them (a driver's, the sync worker's, the caller's); the Kivy
App hands them to the UI thread through one Clock trigger.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any, Callable

from common.events import EventSource
from kiosk.devices_hub import DeviceHub
from kiosk.flows import FLOWS, flow_class
from kiosk.idle import IdlePhase, IdleTimer
from kiosk.logs import install_redaction
from kiosk.redact import Redactor
from kiosk.session import Session
from kiosk.submit import SubmitError, receipt_state, submit

if TYPE_CHECKING:   # the flows and the print service are imported when first used, after the first frame
    from kiosk.flows.base import Flow
    from kiosk.flows.tracking import TrackingResult
    from kiosk.printing import PrintService

log = logging.getLogger(__name__)

# device events worth a front end's attention (camera frames go only to the screen that shows them)
DEVICE_EVENTS = ("state", "card_presented", "card_removed", "code", "error")


class Terminal:
    """One self-service terminal: a citizen's visit and the services it uses, owned in one place."""

    def __init__(self, settings, hub: DeviceHub | None = None, *, voice=None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.redactor = Redactor()
        install_redaction(self.redactor)  # no log line carries what this terminal's session remembers
        self.events = EventSource()
        self.session = Session(clock=clock, redactor=self.redactor)
        self.hub = hub if hub is not None else DeviceHub(settings)
        if voice is None:
            from kiosk.voice import Voice
            voice = Voice.from_settings(settings)
        self.voice = voice
        self.idle = IdleTimer(settings.getfloat("ui", "idle_timeout"), settings.getfloat("ui", "idle_warning"),
                              clock=clock)
        self.sync = None          # kiosk.sync_service.SyncService once services run
        self._printing: PrintService | None = None
        self._printing_lock = threading.Lock()
        self.catalogue = None     # kiosk.guides.store.CatalogueRefresher once services run
        self.flow: Flow | None = None
        from kiosk.maintenance.eventlog import EventLog
        self.eventlog = EventLog(settings.data_dir)   # device events, alerts, sync outcomes for staff
        self.events.subscribe(self.eventlog.on_core_event)
        self._platform = None
        self._platform_lock = threading.Lock()
        self._library = None
        self._code_checker = None
        self._lexicon = None
        self._lexicon_waiters: list[Callable[[Any], None]] = []
        self._lexicon_lock = threading.Lock()
        self._unsubscribe: list[Callable[[], None]] = []
        self._followed: dict[int, Callable[[], None]] = {}     # id(device) -> stop following it
        self._devices_thread: threading.Thread | None = None
        self._services_thread: threading.Thread | None = None
        self._services_lock = threading.Lock()   # stop() waits for services being started
        self._stopped = False

    # -- shared services ----------------------------------------------------------------------
    @property
    def platform(self):
        """The terminal's one platform client for questions a citizen waits for (tracking, codes,
        the platform check). Use it inside `with terminal.platform_lock:` from any thread; the sync
        worker keeps a client of its own on its own thread (a requests session is not shared)."""
        url = self.settings.get("platform", "url").rstrip("/")
        client = self._platform
        if client is None or client.base_url != url or client.token != self.settings.get("platform", "token"):
            # made on first use (the demo platform sets the address at start), again if staff change it
            from offline_cache.platform_client import PlatformClient
            if client is not None:
                client.close()
            self._platform = PlatformClient.from_settings(self.settings)
        return self._platform

    @property
    def printing(self) -> PrintService:
        """Receipts after submissions and the A4 jobs of the session (kiosk/printing.py); made on first
        use, at the latest by start(): it sweeps spooled PDFs a crash left behind."""
        with self._printing_lock:
            if self._printing is None:
                from kiosk.printing import PrintService
                self._printing = PrintService(self)
            return self._printing

    @property
    def platform_lock(self) -> threading.Lock:
        return self._platform_lock

    @property
    def library(self):
        """The guide library (the content pack), reloaded when a catalogue sync replaced it."""
        if self._library is None:
            from kiosk.guides.store import GuideLibrary
            self._library = GuideLibrary(self.settings)
        else:
            self._library.refresh_if_changed()
        return self._library

    def when_lexicon_ready(self, callback: Callable[[Any], None]) -> None:
        """Call `callback(lexicon)` once the pinyin lexicon (kiosk/pinyin_ime.py) is built: at once when it
        is, else on the thread that builds it (about a second, started by the first caller)."""
        with self._lexicon_lock:
            if self._lexicon is None:
                self._lexicon_waiters.append(callback)
                if len(self._lexicon_waiters) > 1:
                    return     # already being built
                callback = None
            lexicon = self._lexicon
        if callback is not None:
            callback(lexicon)
            return
        threading.Thread(target=self._build_lexicon, name="pinyin-lexicon", daemon=True).start()

    def _build_lexicon(self) -> None:
        from kiosk.pinyin_ime import guide_words, shared_lexicon
        try:
            words = guide_words(self.library.full_pack)
        except Exception:  # no guide words only makes the ranking plainer
            log.exception("guide words unavailable for the pinyin lexicon")
            words = []
        lexicon = shared_lexicon(words)
        with self._lexicon_lock:
            self._lexicon = lexicon
            waiters, self._lexicon_waiters = self._lexicon_waiters, []
        for waiter in waiters:
            try:
                waiter(lexicon)
            except Exception:
                log.exception("a lexicon waiter failed")

    @property
    def outbox(self):
        return self.sync.outbox if self.sync is not None else None

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self, services: bool = True, devices: bool = True) -> None:
        """Devices come up on a background thread; with `services`, the outbox, its sync worker and
        the catalogue refresher start too, before this returns (a front end that must show its first
        frame first starts devices here and the services with `start_services_in_background`)."""
        self.printing.start()
        self.eventlog.read_alert_log(self.settings.data_dir)
        if devices:
            self._devices_thread = self.hub.start_all_in_background(on_device=self._follow_device)
        if services:
            self._start_services()

    def start_services_in_background(self, before: Callable[[], None] | None = None) -> threading.Thread:
        """Start the outbox, its sync worker and the catalogue refresher on a thread of their own, after
        `before()` (the demo starts its local platform there, which sets [platform] url). The front end
        calls this once its first frame is on the display: nothing of it is needed to draw the attract
        screen, and opening the outbox, the platform client and the guide store cost about a second."""
        def run() -> None:
            try:
                if before is not None:
                    before()
            except Exception:
                log.exception("preparing the services failed; starting them anyway")
            self._start_services()

        self._services_thread = threading.Thread(target=run, name="services-start", daemon=True)
        self._services_thread.start()
        return self._services_thread

    def wait_services(self, timeout: float | None = None) -> bool:
        """Block until services started in the background are up; True when they are (or none were)."""
        thread = self._services_thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _start_services(self) -> None:
        with self._services_lock:
            if self._stopped or self.sync is not None:
                return
            from kiosk.sync_service import start_sync
            self.sync = start_sync(self.settings, self.hub.statuses)
            if self.sync.outbox is not None:
                self._unsubscribe.append(self.sync.outbox.events.subscribe(self._outbox_event))
            from kiosk.guides.store import CatalogueRefresher
            self.catalogue = CatalogueRefresher(self.settings, platform=lambda: self.platform,
                                                lock=self.platform_lock).start()

    def _follow_device(self, device) -> None:
        unsubscribe = device.events.subscribe(
            lambda event, payload, name=device.name: self._device_event(name, event, payload))
        self._followed[id(device)] = unsubscribe
        self._unsubscribe.append(unsubscribe)

    def _device_event(self, name: str, event: str, payload: Any) -> None:
        if event not in DEVICE_EVENTS:
            return
        data: dict[str, Any] = {"device": name, "event": event}
        if event == "state":
            data["state"] = payload.state.value
        self.events.emit("device", data)   # never the card record or the code itself
        self.events.emit("device_detail", {"device": name, "event": event, "payload": payload, "at": time.monotonic()})

    def replace_device(self, section: str, device) -> Any:
        """Put `device` in `section`'s place (a reader swapped while the terminal runs) and follow it, as
        the devices started with the terminal are followed; returns the one it replaces."""
        old = self.hub.devices[section]
        stop_following = self._followed.pop(id(old), None)
        if stop_following is not None:
            stop_following()
        self.hub.devices[section] = device
        if id(device) not in self._followed:
            self._follow_device(device)
        return old

    def _outbox_event(self, event: str, data: dict) -> None:
        if event == "alert":
            log.error("staff alert from the outbox: %s", data.get("code"))
        self.events.emit("outbox", {"event": event, **data})

    def stop(self) -> None:
        """Stop devices and services and wipe the session (the process is ending)."""
        with self._services_lock:
            self._stopped = True      # services still starting in the background will not start now
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        if self._printing is not None:
            self._printing.stop()
        self.hub.stop_all()
        if self.sync is not None:
            self.sync.stop()
        if self.catalogue is not None:
            self.catalogue.stop()
        self.end_session("stop")
        if self._platform is not None:
            self._platform.close()
        self.voice.stop()

    # -- what a citizen does ---------------------------------------------------------------------
    def identify(self, identity) -> None:
        """A card, code or form identified the citizen."""
        self.session.identify(identity)
        self.idle.touch()
        self.events.emit("identified", {"source": identity.source.value})

    def open_flow(self, name: str, **start: Any) -> Flow:
        """Start citizen service `name` (kiosk/flows FLOWS) afresh at its first step."""
        self.flow = flow_class(name).open(self, **start)
        self.idle.touch()
        return self.flow

    def track(self, number: str, check_code: str = "") -> TrackingResult:
        """办件查询 of a 办件编号 or a receipt number (with another terminal's 查询码); blocks on the network.
        The tracking flow stays open at the answer, or at its 查询码 step when the number needs one."""
        return self.open_flow("tracking").query(number, check_code)

    def evaluate(self, target: str | None = None) -> Flow:
        """好差评: the evaluation flow, of one of this visit's submissions (its receipt number) when given,
        else at its first step (the hall, or which of this visit's submissions)."""
        flow = self.open_flow("evaluation")
        if target is not None:
            flow.choose_target(target)
        return flow

    def complain(self) -> Flow:
        """吐槽找茬: the complaint flow at its first step."""
        return self.open_flow("complaint")

    def book(self) -> Flow:
        """预约取号: the appointment flow at its first step."""
        return self.open_flow("appointment")

    def call_for_help(self, reason: str, came_from: str = "") -> str:
        """呼叫帮办: send the call at once (the reason tapped, the screen it came from); the local number."""
        return self.open_flow("help", came_from=came_from).call(reason)

    def current_flow(self, name: str) -> Flow | None:
        """The open flow called `name`, if it is the one the citizen is in."""
        return self.flow if self.flow is not None and self.flow.name == name else None

    def submit(self, kind: str, payload: dict[str, Any], attachments=(), note: str = "") -> str:
        """Store a submission durably and announce its receipt; raises SubmitError with plain words."""
        self.idle.pause()
        try:
            local_id = submit(self.sync, self.session, kind, payload, attachments)
        finally:
            self.idle.resume()
        self.events.emit("submitted", {"local_id": local_id, "kind": kind, "note": note})
        return local_id

    def receipt_state(self, local_id: str) -> dict[str, Any]:
        """pending | delivered | dead, the 办件编号 once delivered, and whether the network is up."""
        return receipt_state(self.sync, local_id)

    def check_code(self, text: str):
        """Verify a scanned 居民码/企业码 (offline for RC1, else the platform; blocking). Never raises."""
        if self._code_checker is None:
            from kiosk.codes import CodeChecker
            self._code_checker = CodeChecker.from_settings(self.settings, client=self.platform,
                                                           lock=self.platform_lock)
        return self._code_checker.check(text)

    def diagnose(self) -> dict[str, Any]:
        """The self-check staff see (kiosk/diagnostics.py), with this terminal's live devices and outbox."""
        from kiosk.diagnostics import report
        sync = self.sync
        return report(self.settings, self.hub.statuses(), sync.outbox if sync else None,
                      sync.problem if sync else "outbox not started", client=self.platform,
                      lock=self.platform_lock)

    def set_elderly(self, elderly: bool) -> None:
        """长辈模式 on or off for this visit: the session remembers it (the flows put it in their payloads)
        and the idle timer takes the mode's longer or shorter limits."""
        self.session.elderly = elderly
        suffix = "_elderly" if elderly else ""
        self.idle.set_limits(self.settings.getfloat("ui", "idle_timeout" + suffix),
                             self.settings.getfloat("ui", "idle_warning" + suffix))

    def say(self, text: str) -> bool:
        """Read `text` aloud where there is a speaker."""
        return self.voice.say(text)

    def end_session(self, reason: str = "end") -> None:
        """Wipe everything personal; every follower hears "session_wiped"."""
        self.flow = None
        self.voice.stop()
        identity = self.session.identity
        # which card was read this visit ("" for none): the front end reminds the citizen to take it
        card = identity.source.value if identity is not None and identity.source.value in ("idcard", "sscard") else ""
        self.session.wipe()
        self.idle.reset()
        self.events.emit("session_wiped", {"reason": reason, "card": card})

    # -- the idle timer ------------------------------------------------------------------------
    def check_idle(self) -> tuple[IdlePhase, float]:
        """Called by the front end a few times a second while a citizen is served: warns, then wipes."""
        phase, left = self.idle.check()
        if phase is IdlePhase.EXPIRED:
            log.info("session ended by idle timeout")
            self.end_session("idle")
        elif phase is IdlePhase.WARNING:
            self.events.emit("idle", {"phase": phase.value, "left": left})
        return phase, left


__all__ = ["Terminal", "SubmitError", "FLOWS"]
