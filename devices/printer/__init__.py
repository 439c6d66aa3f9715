"""The A4 printer family (CUPS): devices/printer/base.py says what it can do."""
