"""Fault injection for sync tests: an httpx transport wrapper and a loopback TCP proxy.

``FaultTransport`` wraps the real transport and applies scripted faults per request:

* ``"lost"``     forward the request (RT commits it), then raise ``ReadError``: the answer is lost
* ``"reset"``    raise ``ConnectError`` without sending (connection reset before the request)
* ``"timeout"``  forward, then raise ``ReadTimeout`` (slow server, client gave up after commit)
* ``"500"``      answer 500 without forwarding; ``"500-after"`` forwards first, then answers 500
* ``"429"``      answer 429 with ``Retry-After: 7``; ``"429-bare"`` without the header

``SlowProxy`` is a real TCP proxy on 127.0.0.1 that can delay answers or drop/reset connections,
for faults that must go through sockets (the client's own timeout firing).
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections import Counter, deque
from collections.abc import Callable

import httpx


class FaultTransport(httpx.BaseTransport):
    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        match: Callable[[httpx.Request], bool] | None = None,
    ) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.script: deque[str] = deque()
        self.match = match or (lambda req: req.method != "GET")
        self.applied: Counter[str] = Counter()
        self.forwarded = 0

    def fail_next(self, *faults: str) -> None:
        self.script.extend(faults)

    def random_faults(self, rng, rate: float, faults: list[str], reads: float = 0.0) -> None:
        """From now on, fail each write with probability ``rate`` (reads with ``reads``)."""
        self.rng, self.rate, self.faults, self.read_rate = rng, rate, faults, reads

    rng = None

    def _pick(self, request: httpx.Request) -> str | None:
        if self.script and self.match(request):
            return self.script.popleft()
        if self.rng is not None:
            rate = self.rate if request.method != "GET" else self.read_rate
            if self.rng.random() < rate:
                return self.rng.choice(self.faults)
        return None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        fault = self._pick(request)
        if fault is None:
            return self._forward(request)
        self.applied[fault] += 1
        if fault == "reset":
            raise httpx.ConnectError("connection reset by peer (injected)", request=request)
        if fault == "500":
            return httpx.Response(500, json={"message": "Internal Server Error"}, request=request)
        if fault == "429":
            return httpx.Response(
                429,
                headers={"Retry-After": "7"},
                request=request,
                json={"message": "Too Many Requests"},
            )
        if fault == "429-bare":
            return httpx.Response(429, request=request, text="slow down")
        resp = self._forward(request)
        resp.read()
        resp.close()
        if fault == "lost":
            raise httpx.ReadError("connection closed before the answer (injected)", request=request)
        if fault == "timeout":
            raise httpx.ReadTimeout("timed out waiting for the answer (injected)", request=request)
        if fault == "500-after":
            return httpx.Response(502, text="<html>Bad Gateway</html>", request=request)
        if fault == "garbage":
            return httpx.Response(resp.status_code, text="{not json", request=request)
        raise ValueError(f"unknown fault {fault}")

    def _forward(self, request: httpx.Request) -> httpx.Response:
        self.forwarded += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def _read_http_message(sock: socket.socket) -> bytes:
    """Read one HTTP/1.x message (headers + Content-Length body, or until close)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = None
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    if length is None:
        if head.startswith(b"HTTP/"):  # a response without length: read to close
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
        return head + b"\r\n\r\n" + body
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


class SlowProxy:
    """Loopback proxy to ``target_port``. ``mode``: "pass" | "delay" | "drop" | "reset"."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.mode = "pass"
        self.delay = 0.0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with contextlib.closing(conn):
            try:
                while True:
                    req = _read_http_message(conn)
                    if not req:
                        return
                    mode = self.mode
                    if mode == "reset":
                        conn.setsockopt(
                            socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                        )
                        return
                    # make the upstream close after one answer so we can read to the end
                    req = req.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1)
                    with socket.create_connection(("127.0.0.1", self.target_port)) as up:
                        up.sendall(req)
                        resp = _read_http_message(up)
                    if mode == "drop":  # committed upstream, answer never arrives
                        return
                    if mode == "delay":
                        time.sleep(self.delay)
                    conn.sendall(resp)
                    if b"connection: close" in resp.lower().split(b"\r\n\r\n")[0]:
                        return
            except OSError:
                return

    def close(self) -> None:
        self._stop = True
        with contextlib.suppress(OSError):
            self.sock.close()


WRITES = ("reply", "comment", "set_fields", "create_ticket", "create_return")


class Killed(Exception):
    """The process died with its request on the way."""


class DyingBackend:
    """A real backend whose next write is held back and the process "killed": the request lands
    later (``land``), while the next process is already running."""

    def __init__(self, inner):
        self.inner = inner
        self.late = []

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name not in WRITES:
            return attr

        def call(*args, **kwargs):
            self.late.append(lambda: attr(*args, **kwargs))
            raise Killed(name)

        return call

    def land(self):
        while self.late:
            self.late.pop(0)()
