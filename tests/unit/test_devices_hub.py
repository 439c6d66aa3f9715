"""The hub builds drivers on first use and starts them all on request; unknown drivers become NoDevice."""
import sys

from devices.states import DeviceState
from kiosk.devices_hub import DEVICE_SECTIONS, DeviceHub
from kiosk.settings import load_settings


def test_lazy_build_then_start_and_stop(data_dir):
    settings = load_settings(env={}, overrides={("storage", "data_dir"): str(data_dir),
                                                ("camera", "driver"): "none", ("scanner", "driver"): "none"})
    hub = DeviceHub(settings)
    assert hub._devices == {}, "nothing is built before it is needed"
    idcard = hub.get("idcard")
    assert list(hub._devices) == ["idcard"] and hub.get("idcard") is idcard
    hub.start_all_in_background().join(10)
    try:
        assert set(hub.devices) == set(DEVICE_SECTIONS)
        states = {s["name"]: s["state"] for s in hub.statuses()}
        assert states["camera"] == DeviceState.NO_DEVICE.value
    finally:
        hub.stop_all()


def test_unknown_driver_is_no_device(data_dir):
    settings = load_settings(env={}, overrides={("storage", "data_dir"): str(data_dir),
                                                ("sscard", "driver"): "acme"})
    hub = DeviceHub(settings)
    assert hub.get("sscard").status().state is DeviceState.NO_DEVICE


def test_the_attract_path_does_not_import_opencv(data_dir):
    import subprocess
    code = ("import sys; from kiosk.settings import load_settings; from kiosk.devices_hub import DeviceHub;"
            f"h = DeviceHub(load_settings(env={{}}, overrides={{('storage','data_dir'): {str(data_dir)!r}}}));"
            "h.get('idcard'); h.get('sscard'); print('cv2' in sys.modules); h.stop_all()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr[-500:]
