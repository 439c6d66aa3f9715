"""Social security card readers (社会保障卡 over PC/SC).

  base.py        SsCardDevice: the family's operations
  reader.py      SsCardReader: the driver (pyscard, pcscd)                  [sscard] driver = pcsc
  data.py        reading and decoding EF05/EF06 over any APDU transport (codec)
  vpcd_card.py   SocialSecurityApplet (a virtual card) and VpcdCard (inserts it into pcscd's vpcd reader)
  simulator.py   SimulatedSsCardReader: data.py against the applet in-process    driver = simulator
"""
