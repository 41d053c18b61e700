"""The Redis manager sends a batch's committed events as one message, with each event's JSON text put in as encoded
by the event log (issue 11: one encoding of a line's standings instead of two)."""

import json

from server.realtime.redis_batch import EVENTS, BatchingRedisManager


def test_events_encoded_once_arrive_as_the_same_message_as_events_encoded_here():
    manager = BatchingRedisManager("redis://127.0.0.1:1/0", write_only=True)  # never connects: _send is replaced
    manager.site_key = "site-1"
    sent: list[object] = []
    manager._send = sent.extend  # type: ignore[method-assign]
    events = [(7, [["/ticket", "svc:KTP", "queue_changed", {"standings": {"T001": [0, None, None, True]}, "seq": 7}]]),
              (8, [["/display", None, "ticket_called", {"number": "T001", "seq": 8}]])]
    manager.publish_events(events)
    manager.publish_events(events, encoded=[json.dumps(messages) for _, messages in events])
    plain, encoded = sent
    assert isinstance(encoded, str)
    assert json.loads(encoded) == json.loads(json.dumps(plain))
    assert json.loads(encoded)["method"] == EVENTS and json.loads(encoded)["site"] == "site-1"


def test_a_process_skips_its_own_events_coming_back_from_redis_without_decoding_them():
    events = [(7, [["/display", None, "ticket_called", {"number": "T001", "seq": 7}]])]
    encoded = [json.dumps(messages) for _, messages in events]
    sent: dict[str, list[object]] = {}
    managers = {}
    for name in ("one", "two"):
        manager = BatchingRedisManager("redis://127.0.0.1:1/0", write_only=True)  # never connects
        manager.site_key = "site-1"
        sent[name] = []
        manager._send = sent[name].extend  # type: ignore[method-assign]
        manager.publish_events(events, encoded=encoded)
        managers[name] = manager
    one = managers["one"]
    channel = one.channel.encode()
    heard = [{"channel": channel, "type": "message", "data": text.encode()} for text in (*sent["one"], *sent["two"])]
    one._redis_listen_with_retries = lambda: iter(heard)  # type: ignore[method-assign]
    one.pubsub = type("Subscription", (), {"unsubscribe": lambda self, channel: None})()  # after the last message
    decoded: list[object] = []
    loads = one.json.loads

    class CountingJson:
        dumps = staticmethod(one.json.dumps)

        @staticmethod
        def loads(raw):
            decoded.append(raw)
            return loads(raw)

    one.json = CountingJson
    delivered: list[object] = []
    one.on_events = delivered.extend
    assert list(one._listen()) == []
    assert delivered == [(7, events[0][1])], "the other process's events are delivered"
    assert decoded == [sent["two"][0].encode()], "its own came back and were not decoded"
