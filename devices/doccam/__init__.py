"""Document cameras (高拍仪): a UVC camera looking down at the desk, taking pictures of papers.

  base.py        DocumentCameraDevice: the family's operations, frame analysis and the automatic shot
  page.py        finding the page in a frame and straightening it (contour + perspective; codec, no I/O)
  quality.py     the quality verdict of one frame: blurry, glare, too_dark, incomplete, no_document
  encode.py      a taken page as a JPEG sized for reading
  opencv.py      OpenCvDocumentCamera: the driver (cv2.VideoCapture)           [doccam] driver = opencv
  simulator.py   SimulatedDocumentCamera: image files or a generated page        driver = simulator
  synthetic.py   generated photos of a page on a desk (seeded; tests, bench, simulator)
"""
