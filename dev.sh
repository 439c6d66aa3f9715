#!/usr/bin/env bash
# The two set-up commands of the README, for a fresh Debian 12 machine with Python 3.11, as root:
#   ./dev.sh demo          install everything, then start the kiosk in demo mode
#   ./dev.sh test [ARGS]   install everything, then run the whole test suite (ARGS go to pytest)
# Both are idempotent: a second run skips what is already installed.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
VENV=${KIOSK_VENV:-$ROOT/.venv}

APT_PACKAGES=(
  python3 python3-venv python3-dev build-essential  # the virtualenv, compilers for pyscard
  fonts-noto-cjk                                    # CJK text without tofu boxes
  xvfb xauth libgl1 libgl1-mesa-dri libegl1 libmtdev1 # Kivy on a virtual display
  pcscd vsmartcard-vpcd libpcsclite-dev swig pcsc-tools # PC/SC with the virtual smart-card reader
  libzbar0                                          # pyzbar
  espeak-ng                                         # voice; `content draw` also reads the demo videos' subtitles aloud with it
  procps                                            # pgrep/pkill for services
  cups cups-client printer-driver-cups-pdf libcups2-dev # the A4 printer: cupsd, a cups-pdf queue, pycups
  fonts-wqy-zenhei                                  # a TrueType CJK font that PDFs can embed
  xdotool                                           # real key presses for the kiosk-lock test
  chromium                                          # the ops console tests (Playwright drives this browser)
  postgresql                                        # the platform's tests also run on PostgreSQL (a throwaway
                                                    # cluster each test session starts: platform_server/pgtemp.py)
)

log() { printf '\033[1m[dev.sh]\033[0m %s\n' "$*"; }

install_system() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing system packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

install_python() {
  local py=${PYTHON:-python3}
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating virtualenv $VENV"
    "$py" -m venv "$VENV"
  fi
  # reinstall only when the packaging metadata changed
  local stamp="$VENV/.kiosk-installed" want
  want=$(cat setup.cfg pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing the project and its extras into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip setuptools wheel
    "$VENV/bin/python" -m pip install -q -e ".[all]"
    # rapidocr-onnxruntime pulls opencv-python beside opencv-python-headless: both own cv2/, and the
    # terminal wants the headless build's files (no Qt), so they are laid down last
    "$VENV/bin/python" -m pip install -q --force-reinstall --no-deps \
      "opencv-python-headless==$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("opencv-python-headless"))')"
    echo "$want" > "$stamp"
  fi
}

start_pcscd() {
  # pcscd with the vsmartcard virtual reader (vpcd listens on 127.0.0.1:35963 for virtual cards)
  if ! pgrep -x pcscd >/dev/null 2>&1; then
    log "starting pcscd"
    mkdir -p /run/pcscd
    if [ "$(id -u)" -eq 0 ]; then pcscd; else sudo pcscd; fi
    sleep 0.5
  fi
}

start_cupsd() {
  # cupsd with a cups-pdf queue: the A4 printer tests print through the real scheduler and read the PDF
  # that comes out (tests/devices/conftest.py makes its own queues; this one is for trying by hand:
  # KIOSK_PRINTER_DRIVER=cups KIOSK_PRINTER_QUEUE=kiosk-pdf run_kiosk.py print-test a4)
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  # `lpstat -r` exits 0 whether or not the scheduler runs: read what it says instead
  if ! lpstat -r 2>/dev/null | grep -q "scheduler is running"; then
    log "starting cupsd"
    $sudo cupsd
    for _ in $(seq 1 50); do lpstat -r 2>/dev/null | grep -q "scheduler is running" && break; sleep 0.2; done
  fi
  if ! lpstat -p kiosk-pdf >/dev/null 2>&1; then
    log "creating the cups-pdf queue kiosk-pdf"
    $sudo lpadmin -p kiosk-pdf -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  demo)
    install_system
    install_python
    start_pcscd || log "pcscd could not start; the social security card reader stays in simulator mode"
    start_cupsd || log "cupsd could not start; the A4 printer stays in simulator mode"
    export KIOSK_UI_FULLSCREEN=${KIOSK_UI_FULLSCREEN:-false}
    exec "$VENV/bin/python" run_kiosk.py demo "$@"
    ;;
  test)
    install_system
    install_python
    start_pcscd
    start_cupsd
    log "running the test suite under Xvfb"
    set +e
    xvfb-run -a -s "-screen 0 1920x1080x24" "$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
    rc=$?
    set -e
    exit $rc
    ;;
  *)
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
