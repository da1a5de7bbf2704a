#!/usr/bin/env python3
"""Tiny OAuth2 token endpoint + API for recording what n8n sends. Logs every request as JSON lines."""
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
port, log = int(sys.argv[1]), sys.argv[2]
state = {"n": 0}
class H(BaseHTTPRequestHandler):
    def handle_one(self): pass
    def _log(self, body):
        with open(log, "a") as f:
            f.write(json.dumps({"method": self.command, "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}) + "\n")
    def _send(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status); self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data))); self.end_headers(); self.wfile.write(data)
    def do_POST(self):
        n = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(n).decode()
        self._log(body)
        if self.path.startswith("/token"):
            state["n"] += 1
            resp = {"access_token": "canary-access-%d" % state["n"], "token_type": "Bearer", "expires_in": 3600}
            if "refresh_token" in body:
                resp["refresh_token"] = "canary-refresh-rotated"
            self._send(200, resp)
        else:
            self._send(404, {})
    def do_GET(self):
        self._log("")
        auth = self.headers.get("authorization", "")
        if auth.startswith("Bearer canary-access-"):
            self._send(200, {"ok": True, "auth": "yes"})
        else:
            self._send(401, {"error": "unauthorized"})
    def log_message(self, *a): pass
HTTPServer(("127.0.0.1", port), H).serve_forever()
