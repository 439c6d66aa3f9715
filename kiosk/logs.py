"""Logging to the console and a rotating file in data_dir, every record through one redaction filter."""
from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from common.private_files import tighten

from kiosk.redact import Redactor

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


_active: list[Redactor] = [Redactor()]   # the shapes only, until a terminal installs its own


def active_redactor() -> Redactor:
    """The redactor every log record goes through now."""
    return _active[0]


def redact(text: str) -> str:
    """Mask personal data in `text` with the installed redactor (the terminal's, once it runs)."""
    return _active[0](text)


class RedactingFilter(logging.Filter):
    """Renders each record's message (args included) and exception text, then masks personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not getattr(record, "_redacted_exc", False):
            # format the traceback now so that its text passes through the filter as well; formatters
            # use exc_text when it is set, so the raw exception text is never rendered
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record._redacted_exc = True
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Every log file it opens, the first and each one after a rollover, is 0600 whatever the umask."""

    def _open(self):
        stream = super()._open()
        os.chmod(self.baseFilename, 0o600)
        return stream


_installed: list[logging.Handler] = []
_base_factory = logging.getLogRecordFactory()


def _redacting_record_factory(*args, **kwargs) -> logging.LogRecord:
    """Redact at the source, so that every handler (ours, Kivy's, a test's) sees masked text."""
    record = _base_factory(*args, **kwargs)
    RedactingFilter().filter(record)
    return record


def install_redaction(redactor: Redactor | None = None) -> None:
    """Mask personal data in every log record from now on, whoever handles it (idempotent).

    `redactor` (the terminal core's) also masks the values its session remembered: the citizen's
    name, address, typed phone numbers."""
    if redactor is not None:
        _active[0] = redactor
    if logging.getLogRecordFactory() is not _redacting_record_factory:
        logging.setLogRecordFactory(_redacting_record_factory)


class LibraryChatterFilter(logging.Filter):
    """Drops what python-escpos says on the root logger at INFO ("Network printer enabled" and "Closing
    Network connection" for every status poll, every 10 s): a day of it would push a fortnight of the
    terminal's own log out of rotation. Its warnings and errors still pass."""

    QUIET = (f"{os.sep}escpos{os.sep}",)

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno < logging.WARNING and record.name == "root"
                    and any(part in record.pathname for part in self.QUIET))


def setup_logging(data_dir: Path, level: str = "INFO", filename: str = "kiosk.log",
                  max_bytes: int = 5_000_000, backups: int = 5, console: bool = True) -> Path:
    """Install the redacted handlers on the root logger (idempotent); returns the log file path."""
    install_redaction()
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()

    log_path = Path(data_dir) / filename
    log_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    for old in [log_path] + [log_path.with_name(f"{log_path.name}.{n}") for n in range(1, backups + 1)]:
        tighten(old)  # left 0644 by an older version
    redactor = RedactingFilter()
    file_handler = PrivateRotatingFileHandler(log_path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.addFilter(LibraryChatterFilter())
        handler.addFilter(redactor)
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
        _installed.append(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    return log_path


def setup_from_settings(settings, console: bool = True) -> Path:
    return setup_logging(settings.data_dir, settings.get("logging", "level"), settings.get("logging", "file"),
                         settings.getint("logging", "max_bytes"), settings.getint("logging", "backups"), console)
