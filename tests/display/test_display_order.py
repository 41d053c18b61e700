"""The TV handles messages in the order they came off the wire (issue 16: 5): python-engineio would hand each one
to a new thread, and two back-to-back messages could reach the frame loop's queue the other way round."""

import threading

import socketio

from display.client import DisplayClient, in_arrival_order


def test_messages_are_handled_on_the_reading_thread_in_order():
    sio = in_arrival_order(socketio.Client())
    seen: list[tuple[str, threading.Thread]] = []
    sio.eio.on("message", lambda data: seen.append((data, threading.current_thread())))
    for data in ("seq 11", "seq 12", "seq 13"):
        sio.eio._trigger_event("message", data, run_async=True)  # what python-engineio's reader calls
    assert seen == [(d, threading.current_thread()) for d in ("seq 11", "seq 12", "seq 13")]


def test_the_display_client_uses_it():
    client = DisplayClient("http://127.0.0.1:9")
    client.sio.eio.on("message", lambda data: None)
    assert client.sio.eio._trigger_event.__name__ == "in_order"
