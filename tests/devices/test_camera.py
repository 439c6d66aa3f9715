"""The QR camera with real OpenCV capture: a video file written with cv2.VideoWriter and an image sequence."""
from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest
import segno

from devices.camera.base import CameraDevice
from devices.camera.opencv import OpenCvCamera, from_settings
from devices.camera.qr_decode import make_decoder
from devices.camera.simulator import SimulatedCamera, phone_frame
from devices.states import DeviceState

CODE_A = "https://hzzwfw.example.cn/c/AAAA-1111"
CODE_B = "https://hzzwfw.example.cn/c/BBBB-2222"
SIZE = (640, 480)


def frame_with(text: str | None) -> np.ndarray:
    frame = np.full((SIZE[1], SIZE[0], 3), 120, np.uint8)
    cv2.putText(frame, "hall", (20, 460), cv2.FONT_HERSHEY_SIMPLEX, 1, (30, 30, 30), 2)
    if text:
        m = np.array(list(segno.make(text, error="m", micro=False).matrix_iter(border=4)), np.uint8)
        qr = cv2.resize(np.where(m == 1, 0, 255).astype(np.uint8), None, fx=8, fy=8,
                        interpolation=cv2.INTER_NEAREST)
        y, x = 40, 180
        frame[y:y + qr.shape[0], x:x + qr.shape[1]] = qr[..., None]
    return frame


SCRIPT = [None] * 4 + [CODE_A] * 8 + [None] * 2 + [CODE_B] * 6


class Recorder:
    def __init__(self, device) -> None:
        self.events: list[tuple[str, object]] = []
        self.codes: list[str] = []
        self.got_code = threading.Event()
        device.events.subscribe(self)

    def __call__(self, event: str, payload: object) -> None:
        self.events.append((event, payload))
        if event == "code":
            self.codes.append(payload)
            self.got_code.set()

    def states(self) -> list[str]:
        return [p.state.value for e, p in self.events if e == "state"]


def run_to_end(camera: OpenCvCamera) -> None:
    camera.start()
    camera._thread.join(30)
    assert not camera.running
    camera.stop()


def test_video_file_each_code_reported_once(tmp_path):
    path = tmp_path / "hall.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, SIZE)
    assert writer.isOpened()
    for text in SCRIPT:
        writer.write(frame_with(text))
    writer.release()

    camera = OpenCvCamera(str(path), realtime=False, decoder=make_decoder("cascade"), decode_fps=0)
    rec = Recorder(camera)
    run_to_end(camera)
    assert rec.codes == [CODE_A, CODE_B]
    frames = [p for e, p in rec.events if e == "frame"]
    assert len(frames) == len(SCRIPT) and frames[0].shape == (SIZE[1], SIZE[0], 3)
    assert "online" in rec.states()
    assert not camera.capturing


def test_image_sequence_and_decode_rate_limit(tmp_path):
    for i, text in enumerate(SCRIPT):
        cv2.imwrite(str(tmp_path / f"f_{i:03d}.png"), frame_with(text))
    camera = OpenCvCamera(str(tmp_path / "f_%03d.png"), realtime=False, decoder=make_decoder("zxing"),
                          decode_fps=0)
    rec = Recorder(camera)
    run_to_end(camera)
    assert rec.codes == [CODE_A, CODE_B]
    assert camera.frames_read == len(SCRIPT) == camera.frames_decoded

    # a clock that never advances: after the first frame nothing is decoded at 10 per second
    frozen = OpenCvCamera(str(tmp_path / "f_%03d.png"), realtime=False, decode_fps=10, clock=lambda: 100.0)
    rec2 = Recorder(frozen)
    run_to_end(frozen)
    assert frozen.frames_read == len(SCRIPT) and frozen.frames_decoded == 1 and rec2.codes == []


def test_missing_camera_is_power_off_and_retried(tmp_path):
    camera = OpenCvCamera(str(tmp_path / "no-such-camera.avi"), reopen_after=0.05)
    rec = Recorder(camera)
    camera.start()
    errors = []
    for _ in range(200):
        if camera.status().state is DeviceState.POWER_OFF:
            break
        camera._stop.wait(0.02)
    camera._stop.wait(0.2)  # several reopen attempts
    camera.stop()
    errors = [p for e, p in rec.events if e == "error"]
    assert camera.status().state is DeviceState.POWER_OFF
    assert len(errors) == 1 and errors[0].code == "camera_missing" and "身份证" in errors[0].message
    assert not camera.running


def test_stop_releases_a_looping_source(tmp_path):
    for i, text in enumerate([CODE_A, None]):
        cv2.imwrite(str(tmp_path / f"f_{i:03d}.png"), frame_with(text))
    camera = OpenCvCamera(str(tmp_path / "f_%03d.png"), loop=True, realtime=False, decode_fps=0,
                          repeat_interval=3600)
    rec = Recorder(camera)
    camera.start()
    assert rec.got_code.wait(20)
    for _ in range(1000):               # wait until it has gone round the two files a few times
        if camera.frames_read > 6:
            break
        camera._stop.wait(0.01)
    camera.stop()
    assert not camera.running and not camera.capturing
    assert rec.codes == [CODE_A]            # looping past the code again is not a new scan
    assert camera.frames_read > 6           # it did loop
    assert camera.status().detail == "released"


def test_repeat_interval_and_forget_codes():
    now = [0.0]
    camera = CameraDevice(decoder=make_decoder("zxing"), decode_fps=0, repeat_interval=3, clock=lambda: now[0])
    rec = Recorder(camera)
    frame = frame_with(CODE_A)
    for t in (0.0, 1.0, 2.5, 5.0):    # held in view: the gaps stay under 3 s
        now[0] = t
        camera.handle_frame(frame)
    assert rec.codes == [CODE_A]
    now[0] = 9.0                        # shown again after a pause
    camera.handle_frame(frame)
    assert rec.codes == [CODE_A, CODE_A]
    camera.forget_codes()
    camera.handle_frame(frame)
    assert len(rec.codes) == 3


def test_from_settings_builds_the_configured_camera(settings, tmp_path):
    from kiosk.settings import load_settings
    s = load_settings(env={}, overrides={("storage", "data_dir"): str(settings.data_dir),
                                         ("camera", "source"): "2", ("camera", "decoder"): "pyzbar"})
    camera = from_settings(s)
    assert camera.source == 2 and camera.decoder.name == "pyzbar" and camera.decode_interval == pytest.approx(0.1)


def test_simulated_camera_reads_the_code_it_is_shown():
    camera = SimulatedCamera(fps=50, decoder=make_decoder("cascade"), decode_fps=0)
    rec = Recorder(camera)
    camera.start()
    try:
        camera.show_code(CODE_B)
        assert rec.got_code.wait(20)
    finally:
        camera.stop()
    assert rec.codes[0] == CODE_B and not camera.running
    assert make_decoder("zxing").decode(phone_frame(None)) == []


def test_simulated_camera_plays_image_files(tmp_path):
    cv2.imwrite(str(tmp_path / "a.png"), frame_with(CODE_A))
    camera = SimulatedCamera([tmp_path / "a.png"], fps=50, decode_fps=0)
    rec = Recorder(camera)
    camera.start()
    try:
        assert rec.got_code.wait(20)
    finally:
        camera.stop()
    assert rec.codes == [CODE_A]


def test_on_demand_camera_is_only_opened_by_capture(tmp_path, settings):
    from kiosk.devices_hub import DeviceHub
    cv2.imwrite(str(tmp_path / "f_000.png"), frame_with(CODE_A))
    camera = OpenCvCamera(str(tmp_path / "f_%03d.png"), loop=True, realtime=False, decode_fps=0)
    camera.on_demand = True
    rec = Recorder(camera)
    camera.start()                       # what the hub does at boot
    for _ in range(500):
        if camera.status().detail == "idle":
            break
        camera._stop.wait(0.01)
    assert camera.status().detail == "idle" and not camera.running and rec.codes == []
    camera.capture()
    assert rec.got_code.wait(20)
    camera.release()
    assert not camera.running and not camera.capturing
    # the hub builds the simulator from the default config, on demand too
    hub = DeviceHub(settings)
    assert isinstance(hub.get("camera"), SimulatedCamera) and hub.get("camera").on_demand


def test_device_paths_and_urls_are_live_sources():
    assert OpenCvCamera(0).live and OpenCvCamera("/dev/video3").live and OpenCvCamera("rtsp://cam/1").live
    assert not OpenCvCamera("/srv/clip.avi").live and OpenCvCamera("/srv/clip.avi").realtime
    assert not OpenCvCamera(0).realtime


def test_a_camera_that_stops_mid_scan_says_so_once_and_comes_back(tmp_path):
    """A live camera giving frames, then none (USB pulled, driver hung): one camera_stopped error with
    the plain message, powerOff while it stays away, and codes again once frames come back."""
    import time
    frames = [tmp_path / f"f_{i:03d}.png" for i in range(6)]
    for path in frames:
        cv2.imwrite(str(path), frame_with(CODE_A))
    camera = OpenCvCamera(str(tmp_path / "f_%03d.png"), realtime=False, reopen_after=1.0, repeat_interval=0,
                          decode_fps=0)
    camera.live = True            # an image sequence that ends behaves like a camera that stopped
    rec = Recorder(camera)
    camera.start()
    try:
        assert rec.got_code.wait(10)
        saved = {path: path.read_bytes() for path in frames}
        for path in frames:        # the camera is gone: no frames, and it cannot be opened again
            path.unlink()
        deadline = time.monotonic() + 10
        while camera.status().state is not DeviceState.POWER_OFF:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(2.5)            # several reopen attempts while it stays away
        errors = [p for e, p in rec.events if e == "error"]
        assert [e.code for e in errors] == ["camera_stopped"], "told once per outage"
        assert errors[0].message == "摄像头暂时不能使用，请使用身份证办理。"
        assert camera.running and not camera.capturing
        rec.got_code.clear()
        for path, data in saved.items():
            path.write_bytes(data)
        assert rec.got_code.wait(10), "frames and codes come back when the camera does"
    finally:
        camera.stop()
