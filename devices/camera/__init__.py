"""Cameras that read 居民码 / 企业码 QR codes.

  base.py        CameraDevice: the family's operations and the frame handling every camera shares
  opencv.py      OpenCvCamera: the driver (cv2.VideoCapture)                  [camera] driver = opencv
  qr_decode.py   the decoders (pyzbar, zxing-cpp, the cascade; codec, no I/O)
  qr_stages.py   the cascade's stages (sharpen, deblur, glare) and where to spend them (code-like regions)
  simulator.py   SimulatedCamera: image files or a generated phone screen      driver = simulator
"""
