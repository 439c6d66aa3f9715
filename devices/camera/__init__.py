"""Cameras that read 居民码 / 企业码 QR codes.

  base.py        CameraDevice: the family's operations and the frame handling every camera shares
  opencv.py      OpenCvCamera: the driver (cv2.VideoCapture)                  [camera] driver = opencv
  qr_decode.py   the decoder cascade (pyzbar, zxing-cpp, image preparation; codec, no I/O)
  simulator.py   SimulatedCamera: image files or a generated phone screen      driver = simulator
"""
