"""Hardware drivers, one package per device family, each with its simulator twin beside it. No Kivy here.

  devices/<family>/base.py       the family's abstract base: `operations` and one method per operation
  devices/<family>/<backend>.py  a driver (and its `from_settings` factory)
  devices/<family>/<codec>.py    protocol codecs: bytes in, records out, no I/O
  devices/<family>/simulator.py  the simulator twin (same base, same events)
  devices/base.py, states.py, checkdigit.py, nations.py   shared by every family

How to add a family (receipt printer, A4 printer, document camera, ...): docs/devices.md.
"""
