"""Automatic pre-review of captured pages (审查要点自动校核), offline, no Kivy.

  ocr.py        the OCR engine (rapidocr-onnxruntime, PP-OCR models inside its wheel), imported lazily
  rules.py      the review rules per kind of material: id_card_front, id_card_back, hukou_page, form, generic
  prereview.py  photo -> quality verdict -> page -> OCR -> rules, as the kiosk and `prereview` run it
  specimens.py  rendered documents with chosen names, numbers and dates (tests, bench, demo)

Neither a page nor any text read from it ever reaches a log line.
"""
