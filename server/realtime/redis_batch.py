"""The Socket.IO Redis manager: a batch's messages in one round trip, committed events as one message per batch for
the relay (realtime/relay.py), and a subscriber that is back within a second of Redis.

python-socketio's RedisManager sends every emit as its own PUBLISH: with several messages per event and a
group-commit batch of dozens of events, the writer spent a fifth of a process's CPU waiting on Redis round trips
(measured with two processes on PostgreSQL). Inside `batched()` the messages are collected and sent in order through
one pipeline; the other processes receive them exactly as before, in the same order.

Committed events travel differently (issue 16): `publish_events` sends a batch's events with their `seq` as one
message, and the receiving side hands them to `on_events` (the relay puts them in `seq` order with its own) instead
of emitting them as they come. The stock subscriber waits 1, 2, 4… up to 60 s between attempts to reach Redis again,
so cross-process messages stayed lost for up to half a minute after Redis was back; this one retries every half
second."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import socketio

log = logging.getLogger(__name__)
EVENTS = "antre_events"  # the message method carrying committed events
RETRY_SECS = 0.5  # between attempts to subscribe again while Redis is away
CONNECT_TIMEOUT_SECS = 1.0  # a Redis host that does not answer must not hold the writer for minutes


class BatchingRedisManager(socketio.RedisManager):  # type: ignore[misc]
    def __init__(self, url: str, channel: str = "flask-socketio", **kwargs: Any) -> None:
        kwargs.setdefault("redis_options", {"socket_connect_timeout": CONNECT_TIMEOUT_SECS})
        super().__init__(url, channel=channel, **kwargs)
        self._batch = threading.local()  # only the thread publishing a batch collects; other emits go at once
        self.on_events: Callable[[list[tuple[int, Any]]], None] | None = None  # set by the relay
        # Which site's events: Redis pub/sub ignores the database number, so two sites (or test runs) on one Redis
        # hear each other's channel; only events with this site's key are taken.
        self.site_key = ""
        self.subscribed = False
        self.dropped = 0  # messages not published since Redis went away
        self._publish_paused_until = 0.0

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Collect this thread's publishes until the block ends, then send them in one pipeline."""
        if getattr(self._batch, "messages", None) is not None:  # nested: the outer block sends
            yield
            return
        self._batch.messages = []
        try:
            yield
        finally:
            messages, self._batch.messages = self._batch.messages, None
            if messages:
                self._send(messages)

    def publish_events(self, events: list[tuple[int, Any]], encoded: list[str] | None = None) -> None:
        """Send committed events [(seq, messages)] to the other processes now, as one message; `encoded`: each
        event's messages as JSON text already (the event log's), put in as they are instead of encoded again."""
        if encoded is None:
            self._send([{"method": EVENTS, "events": events, "site": self.site_key, "host_id": self.host_id}])
            return
        body = ",".join(f"[{seq},{text}]" for (seq, _), text in zip(events, encoded, strict=True))
        self._send([f'{self._head()},"events":[{body}]}}'])

    def _head(self) -> str:
        """How this process's messages of events begin (also how it knows them when Redis gives them back)."""
        return str(self.json.dumps({"method": EVENTS, "site": self.site_key, "host_id": self.host_id}))[:-1]

    def _publish(self, data: Any) -> Any:
        messages = getattr(self._batch, "messages", None)
        if messages is None:
            self._send([data])
            return None
        messages.append(data)
        return None

    def _send(self, messages: list[Any]) -> None:
        """Publish in one pipeline. While Redis is away the messages are dropped without trying again for
        RETRY_SECS, so a Redis host that does not answer costs the writer one connect timeout per retry, not one per
        batch; committed events reach the other processes from the event log meanwhile (realtime/relay.py)."""
        if time.monotonic() < self._publish_paused_until:
            self.dropped += len(messages)
            return
        for retries_left in (1, 0):  # as the stock manager: a second try after reconnecting
            try:
                if not self.connected:
                    self._redis_connect()
                pipe = self.redis.pipeline(transaction=False)
                for data in messages:  # a str is a message encoded already
                    pipe.publish(self.channel, data if isinstance(data, str) else self.json.dumps(data))
                pipe.execute()
                if self.dropped:
                    log.warning("publishing to redis again (%d message(s) dropped while it was away)", self.dropped)
                    self.dropped = 0
                return
            except Exception as exc:
                self.connected = False
                if not retries_left:
                    if not self.dropped:
                        log.error("Cannot publish to redis (%s): dropping messages, retrying every %.1f s",
                                  exc, RETRY_SECS)
                    self.dropped += len(messages)
                    self._publish_paused_until = time.monotonic() + RETRY_SECS

    def _listen(self) -> Iterator[Any]:
        """The stock messages, parsed; committed events go to `on_events`. This process's own events come back
        too (every subscriber gets every message): known by their beginning, they are skipped without decoding —
        each batch's events were otherwise decoded once more in the process that sent them, for nothing."""
        own = self._head().encode()
        for raw in super()._listen():
            if isinstance(raw, bytes) and raw.startswith(own):
                continue
            try:
                data = self.json.loads(raw)
            except ValueError:
                continue
            if not isinstance(data, dict) or data.get("method") != EVENTS:
                yield data
            elif data.get("host_id") != self.host_id and data.get("site") == self.site_key \
                    and self.on_events is not None:
                try:
                    self.on_events([(int(seq), messages) for seq, messages in data.get("events", [])])
                except Exception:  # one bad message must not end the subscriber
                    log.exception("delivering events from redis failed")

    def _redis_listen_with_retries(self) -> Iterator[Any]:
        """Subscribe, and subscribe again every RETRY_SECS while Redis is away (one log line per outage)."""
        failing = False
        while True:
            try:
                if not self.subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    self.subscribed = True
                    if failing:
                        log.warning("redis is back: receiving again")
                    failing = False
                yield from self.pubsub.listen()
            except Exception as exc:
                self.subscribed = False
                if not failing:
                    log.warning("Redis unreachable (%s): retrying every %.1f s", exc, RETRY_SECS)
                failing = True
                time.sleep(RETRY_SECS)
