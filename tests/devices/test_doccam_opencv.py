"""The real document camera driver (devices/doccam/opencv.py) run on sources made at test time:
an MJPG video and PNG image sequences written with OpenCV, of generated photos of a page on the desk
(devices/doccam/synthetic.py, fixed seeds). cv2.VideoCapture reads a file through the same read loop
as a device index; an image sequence marked live stands in for a camera that is unplugged."""
from __future__ import annotations

import threading
import time

import cv2
import pytest

from devices.doccam import quality, synthetic
from devices.doccam.opencv import MSG_DOCCAM, OpenCvDocumentCamera
from devices.states import DeviceState
from kiosk.review import specimens

SIZE = (1280, 720)
FPS = 10


class Recorder:
    """Every event of a camera, in order, from whichever thread emitted it."""

    def __init__(self, camera) -> None:
        self.events: list[tuple[str, object]] = []
        self.page = threading.Event()
        camera.events.subscribe(self)

    def __call__(self, event: str, payload: object) -> None:
        self.events.append((event, payload))
        if event == "page":
            self.page.set()

    def of(self, name: str) -> list:
        return [p for e, p in self.events if e == name]

    def states(self) -> list[tuple[str, str]]:
        return [(p.state.value, p.detail) for p in self.of("state")]


@pytest.fixture(scope="module")
def shots():
    """An empty desk and a sharp ID card lying on it, as 1280×720 camera frames."""
    card = specimens.id_card_front("王小明", "37170219800101001X")
    return {"desk": synthetic.photo(card, seed=2, size=SIZE, page_present=False).frame,
            "card": synthetic.photo(card, seed=2, size=SIZE).frame,
            "blurred": synthetic.photo(card, seed=2, size=SIZE, blur=4).frame}


def write_video(path, frames) -> None:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, SIZE)
    assert writer.isOpened()
    for frame in frames:
        writer.write(frame)
    writer.release()


def wait_until(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_video_of_a_card_laid_down_is_taken_once_by_itself(tmp_path, shots):
    """Opens, every frame reaches the preview, the card is found, the shot fires once when the card
    has lain still and sharp; the file's end is a plain state and the camera is released."""
    script = [shots["desk"]] * 5 + [shots["blurred"]] * 5 + [shots["card"]] * 15
    write_video(tmp_path / "desk.avi", script)
    camera = OpenCvDocumentCamera(str(tmp_path / "desk.avi"), analyse_fps=FPS, steady_seconds=0.3)
    assert camera.realtime and not camera.live
    rec = Recorder(camera)
    camera.capture()
    try:
        wait_until(lambda: not camera.running)           # paced at 10 frames/s: 2.5 s
    finally:
        camera.release()
    assert rec.states()[0] == ("online", "") and ("online", "end of file") in rec.states()
    frames = rec.of("frame")
    assert len(frames) == camera.frames_read == len(script) and frames[0].shape == (SIZE[1], SIZE[0], 3)
    verdicts = rec.of("verdict")
    assert quality.NO_DOCUMENT in verdicts[0].codes and verdicts[0].quad is None
    assert any(v.codes == ("blurry",) for v in verdicts), "the blurred card is not taken"
    assert verdicts[-1].codes == () and verdicts[-1].quad is not None and verdicts[-1].frame_size == SIZE
    pages = rec.of("page")
    assert len(pages) == 1 and pages[0].auto and pages[0].ok
    assert pages[0].image.shape[1] > pages[0].image.shape[0]         # the card, straightened
    assert not camera.capturing and not camera.running and rec.of("error") == []


def test_release_in_the_middle_closes_the_camera(tmp_path, shots):
    write_video(tmp_path / "desk.avi", [shots["card"]] * 3)
    camera = OpenCvDocumentCamera(str(tmp_path / "desk.avi"), loop=True, analyse_fps=FPS, steady_seconds=0.2)
    rec = Recorder(camera)
    camera.capture()
    try:
        assert rec.page.wait(20)
        wait_until(lambda: camera.frames_read > 6)        # it went round the file again
        assert camera.capturing and camera.running
    finally:
        camera.release()
    assert not camera.running and not camera.capturing
    assert camera.status().state is DeviceState.ONLINE and camera.status().detail == "released"
    assert len(rec.of("page")) == 1, "the same card going round again is not a new shot"
    read = camera.frames_read
    time.sleep(0.3)
    assert camera.frames_read == read, "nothing is read after release"


def test_reading_is_not_held_up_by_a_slow_judge(tmp_path, shots):
    """The file is read as fast as it decodes while each verdict takes 0.2 s: every frame reaches
    the preview, and the judge takes the newest frame each time it is free, skipping the rest."""
    write_video(tmp_path / "desk.avi", [shots["card"]] * 40)

    def slow_judge(frame, **kwargs):
        time.sleep(0.2)
        return quality.judge(frame, **kwargs)

    camera = OpenCvDocumentCamera(str(tmp_path / "desk.avi"), realtime=False, analyse_fps=0, judge=slow_judge)
    camera.capture()
    try:
        wait_until(lambda: not camera.running)
        judged_when_read = camera.frames_judged
    finally:
        camera.release()
    assert camera.frames_read == 40
    assert judged_when_read <= 10, f"{judged_when_read} of 40 frames judged while reading"


def test_a_missing_camera_is_power_off_told_once_and_retried(tmp_path):
    camera = OpenCvDocumentCamera("/dev/video-no-such-camera", reopen_after=0.05)
    assert camera.live
    rec = Recorder(camera)
    camera.probe()
    assert camera.status().state is DeviceState.POWER_OFF
    camera.capture()
    try:
        wait_until(lambda: len(rec.states()) >= 1)
        time.sleep(0.3)                                   # several reopen attempts
        assert camera.running, "the driver keeps trying, it does not crash"
    finally:
        camera.release()
    assert camera.status().state is DeviceState.POWER_OFF and not camera.running
    errors = rec.of("error")
    assert [e.code for e in errors] == ["doccam_missing"] and errors[0].message == MSG_DOCCAM


def test_a_camera_unplugged_mid_run_says_so_once_and_comes_back(tmp_path, shots):
    """A live camera gives frames, then none and cannot be opened again (USB pulled): powerOff with
    one doccam_stopped error while it stays away, and frames and the shot again once it is back."""
    files = [tmp_path / f"f_{i:03d}.png" for i in range(8)]
    for path in files:
        cv2.imwrite(str(path), shots["card"])
    camera = OpenCvDocumentCamera(str(tmp_path / "f_%03d.png"), reopen_after=1.0, analyse_fps=0,
                                  steady_seconds=0.0)
    camera.live = True        # an image sequence that ends behaves like a camera that stopped sending
    rec = Recorder(camera)
    camera.capture()
    try:
        assert rec.page.wait(20)
        saved = {path: path.read_bytes() for path in files}
        for path in files:
            path.unlink()
        wait_until(lambda: camera.status().state is DeviceState.POWER_OFF)
        time.sleep(2.5)                                   # reopen attempts while it stays away
        assert camera.running and not camera.capturing
        assert [e.code for e in rec.of("error")] == ["doccam_stopped"], "told once per outage"
        assert rec.of("error")[0].message == MSG_DOCCAM
        read = camera.frames_read
        for path, data in saved.items():
            path.write_bytes(data)
        wait_until(lambda: camera.frames_read > read and camera.status().state is DeviceState.ONLINE)
    finally:
        camera.release()
    assert not camera.running and not camera.capturing
