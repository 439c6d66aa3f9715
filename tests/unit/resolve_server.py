"""A tiny stand-in for the platform's POST /api/v1/codes/resolve, run in its own process by the tests.

`python resolve_server.py` prints the port it listens on, then serves until killed. Known codes:
  CODE-RESIDENT -> a resident, CODE-ENTERPRISE -> an enterprise, CODE-EXPIRED -> 410,
  CODE-BUSY -> 503, CODE-BROKEN -> 200 with a body that is not JSON, CODE-BADID -> wrong check digit,
  CODE-SLOW -> answers after 3 s; anything else -> 404. A wrong token -> 401.
"""
from __future__ import annotations

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWERS = {
    "CODE-RESIDENT": (200, {"kind": "resident", "id_number": "11010519491231002X", "name": "赵六"}),
    "CODE-ENTERPRISE": (200, {"kind": "enterprise", "uscc": "91350100M000100Y43", "name": "某某公司"}),
    "CODE-EXPIRED": (410, {"error": {"code": "expired", "message": "已过期"}}),
    "CODE-BUSY": (503, {"error": {"code": "busy", "message": "忙"}}),
    "CODE-BADID": (200, {"kind": "resident", "id_number": "110105194912310021", "name": "赵六"}),
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/api/v1/codes/resolve":
            return self._send(404, b"{}")
        if self.headers.get("Authorization") != "Bearer t0ken" or not self.headers.get("X-Terminal-Id") \
                or not self.headers.get("Idempotency-Key"):
            return self._send(401, b'{"error": {"code": "unauthorized", "message": "x"}}')
        code = json.loads(raw).get("code")
        if code == "CODE-BROKEN":
            return self._send(200, b"<html>oops</html>", "text/html")
        if code == "CODE-SLOW":
            time.sleep(3)
        status, body = ANSWERS.get(code, (404, {"error": {"code": "unknown_code", "message": "无"}}))
        self._send(status, json.dumps(body, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
