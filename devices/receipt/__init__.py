"""The receipt printer family (80/58 mm thermal, ESC/POS): devices/receipt/base.py says what it can do."""
