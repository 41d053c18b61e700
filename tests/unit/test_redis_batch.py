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
