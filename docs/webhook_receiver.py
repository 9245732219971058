#!/usr/bin/env python3
"""A tiny webhook receiver for trying GrowthOS webhooks locally (standard library only).

    WEBHOOK_SECRET=whsec_... python3 docs/webhook_receiver.py [port]   # default port 9000

Prints every delivery and checks its Standard Webhooks signature with the secret: the same
check the `standardwebhooks` libraries make (see docs/webhooks.md). Answers 204 when the
signature verifies, 400 otherwise (GrowthOS then retries with backoff).
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

SECRET = os.environ.get("WEBHOOK_SECRET", "")
TOLERANCE_SECONDS = 5 * 60


def verify(headers, body):
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature", "")
    if not (SECRET and msg_id and timestamp):
        return False
    try:
        if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
            return False
    except ValueError:  # not a number of seconds
        return False
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
    # During a secret rotation the header carries one signature per secret: any may match.
    # Compared as bytes: compare_digest refuses str with non-ASCII characters.
    return any(
        hmac.compare_digest(sig.partition(",")[2].encode("utf-8", "replace"), expected)
        for sig in signatures.split()
        if sig.startswith("v1,")
    )


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not verify(self.headers, body):
            # Read nothing from a body that did not verify: it may not even be JSON.
            print(f"NOT VERIFIED  webhook-id={self.headers.get('webhook-id')}", flush=True)
            self.send_response(400)
            self.end_headers()
            return
        event = json.loads(body)
        print(f"verified  {event['type']}  webhook-id={event['id']}")
        print(json.dumps(event, indent=2), flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9000
    if not SECRET:
        print("WEBHOOK_SECRET is not set: deliveries will not verify", file=sys.stderr)
    print(f"Listening on http://127.0.0.1:{port}/", flush=True)
    HTTPServer(("127.0.0.1", port), Handler).serve_forever()
