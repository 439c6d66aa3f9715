"""`pip install .` carries everything the kiosk needs at run time: screens' .kv files, pictograms,
default.ini and the bundled content pack, plus the console script."""
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_runtime_files(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    wheel = next(tmp_path.glob("heze_kiosk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("config/default.ini", "config/content/pack.yaml", "kiosk/data/pictos/home.png",
                   "screens/home.kv", "screens/widgets/widgets.kv", "platform_server/app.py",
                   "offline_cache/outbox.py", "devices/idcard/reader.py"):
        assert needed in names, needed
    assets = [n for n in names if n.startswith("config/content/assets/")]
    assert len(assets) > 10, "pack pictures are packaged"
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "heze-kiosk = screens.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
