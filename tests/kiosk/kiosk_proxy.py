"""A loopback TCP proxy in front of the test server: it can withhold the first answer (a client-side timeout
after the server committed) and can vanish (the server unreachable, as a pulled cable or a crash looks)."""

from __future__ import annotations

import socket
import threading

HOLD_SECS = 10.0


class TcpProxy:
    """Forwards connections to 127.0.0.1:`target`. With `hold_first`, the first connection's answer is read
    from the server and dropped, and later connections wait until the server has answered that first one."""

    def __init__(self, target: int, *, hold_first: bool = False) -> None:
        self.target, self.hold_first = target, hold_first
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.first_answered = threading.Event()
        self.connections = 0
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        """Stop listening and cut every connection: from now on the server looks down."""
        with self._lock:
            sockets, self._sockets = [self.listener, *self._sockets], []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the other side
            sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self._lock:
                index = self.connections
                self.connections += 1
            threading.Thread(target=self._serve, args=(client, index), daemon=True).start()

    def _serve(self, client: socket.socket, index: int) -> None:
        held = self.hold_first and index == 0
        if self.hold_first and index > 0:
            self.first_answered.wait(HOLD_SECS)  # the retry reaches the server only after the first request
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target))
        except OSError:
            client.close()
            return
        with self._lock:
            self._sockets += [client, upstream]
        threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
        self._pipe(upstream, client, held)

    def _pipe(self, source: socket.socket, sink: socket.socket, drop: bool) -> None:
        try:
            while data := source.recv(65536):
                if drop:
                    self.first_answered.set()
                    continue
                sink.sendall(data)
        except OSError:
            pass  # one side went away
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
