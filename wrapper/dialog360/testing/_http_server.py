"""The fake server's listening socket and connection threads (`FakeHTTPServer`)."""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from dialog360.testing._backend import Backend
from dialog360.testing._limits import JOIN_TIMEOUT, LISTEN_BACKLOG

logger = logging.getLogger("dialog360.testing")


class FakeHTTPServer(socketserver.TCPServer):
    """The listening socket plus one daemon thread per connection, all tracked so that
    `stop_serving()` can wake and join every one of them promptly."""

    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        backend: Backend,
        handler: Callable[[Any, Any, FakeHTTPServer], socketserver.BaseRequestHandler],
    ) -> None:
        self.backend = backend
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._connection_threads: set[threading.Thread] = set()
        # Writing to this pair wakes the accept loop at once (serve_forever would poll).
        self._wake_reader, self._wake_writer = socket.socketpair()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        try:
            super().__init__(address, handler)
        except BaseException:
            self._wake_reader.close()
            self._wake_writer.close()
            raise
        self.socket.setblocking(False)

    def serve(self) -> None:
        """Accept connections until `stop_serving()`; each one is served on its own thread."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self.stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self.socket and not self.stopping.is_set():
                        self._accept()

    def _accept(self) -> None:
        try:
            request, client_address = self.socket.accept()
        except OSError:  # the client gave up between select() and accept()
            return
        request.setblocking(True)
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address),
            name="dialog360-fake-connection",
            daemon=True,
        )
        with self._lock:
            self._connection_threads.add(thread)
        thread.start()

    def _serve_connection(self, request: socket.socket, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            with self._lock:
                self._connection_threads.discard(threading.current_thread())

    def stop_serving(self, accept_thread: threading.Thread) -> None:
        """Stop accepting, close the listening socket, then wake and join every connection
        thread (idle keep-alive reads, fault waits, blocked writes)."""
        with self._lock:
            self.stopping.set()
            connections = list(self._connections)
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")
        accept_thread.join()
        self.server_close()
        self._wake_reader.close()
        self._wake_writer.close()
        for sock in connections:
            _shutdown(sock)
        deadline = time.monotonic() + JOIN_TIMEOUT
        while True:
            with self._lock:
                threads = list(self._connection_threads)
            if not threads:
                return
            for thread in threads:
                thread.join(max(deadline - time.monotonic(), 0.0))
            if time.monotonic() >= deadline:
                logger.warning("fake server: %d connection threads did not stop", len(threads))
                return

    def track_connection(self, sock: socket.socket) -> None:
        """Remember an open connection; shut it at once if the server is already stopping."""
        with self._lock:
            if not self.stopping.is_set():
                self._connections.add(sock)
                return
        _shutdown(sock)

    def untrack_connection(self, sock: socket.socket) -> None:
        """Forget a connection that is closing."""
        with self._lock:
            self._connections.discard(sock)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Client disconnects are routine for a fault-injecting server; anything else is a bug."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            logger.debug("fake server: connection error: %r", error)
        else:
            logger.exception("fake server: error while handling a request")


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
