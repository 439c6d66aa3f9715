"""Resident ID card readers (二代证, GA 467 SAM module on a serial port).

  base.py           IdCardDevice: the family's operations
  reader.py         IdCardReader: the driver (pyserial)           [idcard] driver = sam
  sam_protocol.py   the GA 467 frames, commands and statuses (codec, no I/O)
  text.py           the 256-byte card text block of all four card types (codec)
  sam_simulator.py  SamSimulator: a SAM reader with demo cards on a pty (tests, bench, the simulator)
  simulator.py      SimulatedIdCardReader: the real driver talking to SamSimulator   driver = simulator
"""
