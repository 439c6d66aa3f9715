"""Reference implementation of the platform API (shared/specs/platform-api.md) for the demo and the tests.

Flask + SQLite. Separate from the terminal: nothing here imports kiosk/ or screens/.
`create_app(db_path, tokens)` builds the WSGI app; `serve(...)` runs it; `platform_server.process`
starts it as a separate process on a free loopback port (tests, demo).
"""


def __getattr__(name: str):
    # Flask is imported only by whoever builds the app: the demo starts the platform as a separate
    # process (platform_server.process), and the kiosk's parent process never needs Flask
    if name in ("create_app", "serve"):
        from platform_server import app
        return getattr(app, name)
    raise AttributeError(f"module 'platform_server' has no attribute {name!r}")
