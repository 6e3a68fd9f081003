"""A fake Sentry ingestion endpoint on 127.0.0.1, for tests (core/tests/test_observe.py).

An HTTP server in a thread (port 0: any free port) that keeps every envelope
sentry-sdk posts to it, decompressed::

    with FakeSentry() as fake:
        init_sentry(fake.dsn)
        ...
        fake.events()        # the error events, as sentry-sdk sent them
"""

import gzip
import json
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSentry(ThreadingHTTPServer):
    """A Sentry ingestion endpoint on 127.0.0.1: keeps every envelope it receives."""

    def __init__(self):
        self.envelopes: list[bytes] = []
        self.received = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding", "")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "deflate":
                    body = zlib.decompress(body)
                elif encoding == "br":
                    import brotli

                    body = brotli.decompress(body)
                fake.envelopes.append(body)
                fake.received.set()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    def events(self) -> list[dict]:
        found = []
        for envelope in self.envelopes:
            lines = envelope.split(b"\n")
            for header, payload in zip(lines[1::2], lines[2::2], strict=False):
                if json.loads(header).get("type") == "event":
                    found.append(json.loads(payload))
        return found

    @property
    def dsn(self) -> str:
        host, port = self.server_address[:2]
        return f"http://publickey@{host}:{port}/1"

    def __enter__(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
