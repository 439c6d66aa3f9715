"""菏心意 self-service terminal: the application layer (settings, session, identity, flows, CLI)."""

__version__ = "0.1.0"
