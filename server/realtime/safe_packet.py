"""Socket.IO packets checked like REST bodies (issue 17: 3): a payload nested deeper than MAX_JSON_DEPTH is never
handed to the recursive JSON parser (which would fail with a RecursionError and a traceback in the log), and a
payload holding text no database accepts (a lone surrogate, NUL) never reaches a handler. Such an event arrives
without its arguments, so its handler answers as to a request without a token; such a connect arrives without
`auth` and is refused by every namespace that needs a token."""

from __future__ import annotations

import re
from typing import Any

from socketio.packet import BINARY_EVENT, EVENT, Packet

from ..domain.text_input import MAX_JSON_DEPTH, first_bad_string, json_depth

_PAYLOAD_START = re.compile(r"[\[{]")
_EVENT_NAME = re.compile(r'\[\s*"([A-Za-z0-9_]{1,40})"')


class SafePacket(Packet):
    """python-socketio's JSON packet (passed as `serializer`), with the checks above on decoding."""

    def decode(self, encoded_packet: Any) -> int:
        if isinstance(encoded_packet, str):
            raw = encoded_packet.encode("utf-8", "surrogatepass")
            if json_depth(raw) > MAX_JSON_DEPTH:
                start = _PAYLOAD_START.search(encoded_packet)
                count = super().decode(encoded_packet[: start.start()] if start else encoded_packet)
                self._strip(_EVENT_NAME.match(encoded_packet, start.start()) if start else None)
                return count
        count = super().decode(encoded_packet)
        if self.data is not None and first_bad_string(self.data) is not None:
            name = self.data[0] if isinstance(self.data, list) and self.data else None
            self._strip(name if isinstance(name, str) and _EVENT_NAME.match(f'["{name}"') else None)
        return count

    def _strip(self, name: Any) -> None:
        """Keep the packet's kind, namespace and ack id; drop its payload (an event keeps a plain name)."""
        if isinstance(name, re.Match):
            name = name.group(1)
        # A connect without `auth` is refused where a token is needed; other kinds carry nothing we read.
        self.data = [name or "refused_payload"] if self.packet_type in (EVENT, BINARY_EVENT) else None
