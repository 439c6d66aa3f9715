"""维护模式 without Kivy: the device self-tests, the event log, the diagnostics bundle.

  kiosk/maintenance/results.py    Result (what one self-test found) and Context (what it may use)
  kiosk/maintenance/device_tests.py   one self-test per device family, through `operations`/`can()`
  kiosk/maintenance/system_tests.py   touch (the grid of targets), sound, network, storage
  kiosk/maintenance/tests.py      the list of self-tests (TESTS) and how to run them
  kiosk/maintenance/eventlog.py   device events, alerts and sync outcomes as a redacted list
  kiosk/maintenance/bundle.py     the redacted diagnostics zip for a USB stick or a folder

The screens (screens/maintenance*.py) only show what these return; `run_kiosk.py diagnose --selftest`
runs the self-tests that need no person at the terminal.
"""
