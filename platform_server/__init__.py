"""Reference implementation of the platform API (shared/specs/platform-api.md) for the demo and the tests.

Flask + SQLite. Separate from the terminal: nothing here imports kiosk/ or screens/.
`create_app(db_path, tokens)` builds the WSGI app; `serve(...)` runs it; `platform_server.process`
starts it as a separate process on a free loopback port (tests, demo).
"""
from platform_server.app import create_app, serve  # noqa: F401
