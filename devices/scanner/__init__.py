"""QR code scanners (居民码, 企业码, receipt codes).

  base.py        ScannerDevice: the family's operations
  serial.py      SerialScanner: codes as lines over pyserial                 [scanner] driver = serial
  hid.py         HidScanner + HidWedgeDetector: a USB keyboard wedge told from typing by timing   driver = hid
  simulator.py   SimulatedScanner: `scan(text)`                               driver = simulator
"""
