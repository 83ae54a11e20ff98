"""An import run in a thread of its own, beside what the test does meanwhile on its connection."""

import threading

from django.db import connection


def started_in_a_thread(outcome: dict, call) -> threading.Thread:
    """``call()`` started in a thread: its result in ``outcome["summary"]``, or its exception in
    ``outcome["error"]`` (the test checks it); the thread's own connection closed at its end."""

    def run():
        try:
            outcome["summary"] = call()
        except Exception as exc:  # noqa: BLE001 (the outcome is checked by the test)
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread
