"""The document camera family: the simulator takes a steady good page by itself, once; the big
button takes any frame; release stops the thread; the hub builds the configured driver."""
import threading

import pytest

from devices.doccam.base import DocumentCameraDevice, TakenPage
from devices.doccam.encode import CONTENT_TYPE, decode_image, encode_page
from devices.doccam.simulator import SimulatedDocumentCamera
from devices.doccam import synthetic
from kiosk.devices_hub import DeviceHub
from kiosk.review import specimens


def _collect(camera, event):
    got, arrived = [], threading.Event()

    def on(name, payload):
        if name == event:
            got.append(payload)
            arrived.set()
    camera.events.subscribe(on)
    return got, arrived


@pytest.fixture
def camera():
    cam = SimulatedDocumentCamera(fps=30, analyse_fps=30, steady_seconds=0.2)
    yield cam
    cam.release()


def test_a_steady_good_page_is_taken_by_itself_once(camera):
    pages, arrived = _collect(camera, "page")
    camera.place(specimens.id_card_front("王小明", "37170219800101001X"), seed=2)
    camera.capture()
    assert arrived.wait(10)
    judged = camera.frames_judged
    while camera.frames_judged < judged + 10:
        threading.Event().wait(0.05)
    assert len(pages) == 1, "a page lying still is taken once, not at every frame"
    page = pages[0]
    assert isinstance(page, TakenPage) and page.auto and page.ok
    assert page.image.shape[1] > page.image.shape[0]            # the card, straightened, landscape
    assert "image" not in repr(page) or "array" not in repr(page)


def test_a_new_page_is_taken_again(camera):
    pages, arrived = _collect(camera, "page")
    camera.place(specimens.id_card_front("王小明", "37170219800101001X"), seed=2)
    camera.capture()
    assert arrived.wait(10)
    camera.place(None)                       # the card taken away …
    threading.Event().wait(0.3)
    camera.place(specimens.id_card_back("2016.01.01", "2036.01.01"), seed=3)   # … and the back laid down
    deadline = threading.Event()
    for _ in range(100):
        if len(pages) >= 2:
            break
        deadline.wait(0.1)
    assert len(pages) == 2


def test_the_big_button_takes_a_bad_frame_with_its_problems(camera):
    camera.auto_take = False
    pages, arrived = _collect(camera, "page")
    verdicts, _ = _collect(camera, "verdict")
    camera.place(synthetic.photo(specimens.id_card_front("王小明", "37170219800101001X"), seed=2, blur=4).frame,
                 as_photo=True)
    camera.capture()
    camera.take()
    assert arrived.wait(10)
    assert pages[0].codes == ("blurry",) and not pages[0].auto
    assert verdicts and verdicts[0].codes == ("blurry",) and verdicts[0].quad is not None


def test_release_stops_the_camera(camera):
    camera.capture()
    assert camera.running
    camera.release()
    assert not camera.running


def test_a_taken_page_is_a_jpeg_sized_for_reading():
    page = specimens.form("生育登记表", {"姓名": "王小明"}, ["姓名"], signature=True)
    big = synthetic.photo(page, seed=1, size=(3000, 2400), fill=0.95, tilt=0).frame
    data = encode_page(big, long_side=1600)
    back = decode_image(data)
    assert CONTENT_TYPE == "image/jpeg" and data[:2] == b"\xff\xd8"
    assert max(back.shape[:2]) == 1600 and len(data) < 400_000
    assert decode_image(b"not an image") is None


def test_the_hub_builds_the_configured_document_camera(settings):
    hub = DeviceHub(settings)
    camera = hub.get("doccam")
    assert isinstance(camera, DocumentCameraDevice) and camera.can("take") and camera.can("place")
    hub.start_all()
    assert not camera.running, "the document camera is opened only while the capture screen shows it"
    hub.stop_all()


def test_a_slow_judge_does_not_hold_the_preview_down():
    """Judging runs beside the reading thread: with a judge that takes 0.25 s a frame and a camera
    giving 50 frames a second, frames keep coming and the judge skips the stale ones (before, each
    frame waited for its verdict and every frame was judged)."""
    from devices.doccam import quality

    def slow_judge(frame, **kwargs):
        threading.Event().wait(0.25)
        return quality.judge(frame, **kwargs)

    cam = SimulatedDocumentCamera(fps=50, analyse_fps=0, steady_seconds=0.2, judge=slow_judge)
    verdicts, _ = _collect(cam, "verdict")
    cam.place(specimens.id_card_front("王小明", "37170219800101001X"), seed=2)
    cam.capture()
    try:
        for _ in range(400):
            if cam.frames_judged >= 4:
                break
            threading.Event().wait(0.05)
    finally:
        cam.release()
    assert cam.frames_judged >= 4 and len(verdicts) >= 4
    assert cam.frames_read >= 3 * cam.frames_judged, (cam.frames_read, cam.frames_judged)
    assert verdicts[-1].quad is not None and verdicts[-1].codes == ()
