"""A real TCP proxy between the terminal and the platform that misbehaves on purpose.

Modes (switchable while running):
  pass             forward both ways
  reset_after_commit
                   forward the request; as soon as the platform starts answering a POST (it has
                   committed by then) reset the client's connection (RST) instead of forwarding the answer:
                   the classic duplicate trap. `resets_left` limits how many times.
  delay            hold the platform's answer `delay` seconds before forwarding it
  drop             accept and close at once (connection reset before anything is sent)
  blackhole        accept and never answer (the client's read timeout fires)
"""
from __future__ import annotations

import socket
import struct
import threading
import time


class TcpProxy:
    """Listens on a free loopback port and forwards to (host, port)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode = "pass"
        self.delay = 0.0
        self.resets_left = 0
        self.resets_done = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closing = False
        self._sockets: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    def set_mode(self, mode: str, *, delay: float = 0.0, resets: int = 0) -> None:
        """Switch behaviour for new traffic."""
        with self._lock:
            self.mode, self.delay, self.resets_left = mode, delay, resets

    def close(self) -> None:
        """Stop listening and cut every open connection."""
        self._closing = True
        self._listener.close()
        with self._lock:
            for s in list(self._sockets):
                _close(s)

    # -- internals -------------------------------------------------------------------------------
    def _accept_loop(self) -> None:
        while not self._closing:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                mode = self.mode
                self._sockets.add(client)
            if mode == "drop":
                _reset(client)
                continue
            if mode == "blackhole":
                continue  # kept open, never answered; closed by close()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=30)
        except OSError:
            _reset(client)
            return
        with self._lock:
            self._sockets.add(upstream)
        state = {"post": False}
        t = threading.Thread(target=self._pipe_up, args=(client, upstream, state), daemon=True)
        t.start()
        try:
            while True:
                data = upstream.recv(65536)
                if not data:
                    break
                with self._lock:
                    mode, delay = self.mode, self.delay
                    trap = mode == "reset_after_commit" and state["post"] and self.resets_left > 0
                    if trap:
                        self.resets_left -= 1
                        self.resets_done += 1
                if trap:
                    _reset(client)
                    break
                if mode == "delay" and delay:
                    time.sleep(delay)
                client.sendall(data)
        except OSError:
            pass
        finally:
            _close(upstream)
            _close(client)
            with self._lock:
                self._sockets.discard(upstream)
                self._sockets.discard(client)

    @staticmethod
    def _pipe_up(client: socket.socket, upstream: socket.socket, state: dict) -> None:
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                if data.startswith(b"POST "):
                    state["post"] = True
                elif data[:4] in (b"GET ", b"HEAD", b"PUT "):
                    state["post"] = False
                upstream.sendall(data)
        except OSError:
            pass
        finally:
            try:
                upstream.shutdown(socket.SHUT_WR)
            except OSError:
                pass


def _reset(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0): the peer sees 'connection reset by peer'."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        # wake the thread blocked in recv() on this socket (it holds the file open, which would
        # delay the RST until the client's timeout); SHUT_RD sends nothing to the peer
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    _close(sock)


def _close(sock: socket.socket) -> None:
    try:
        sock.close()
    except OSError:
        pass
