"""Long computations of background work run at a lower CPU priority, in a thread of their own on the
caller's database connection; the caller's own thread (which then holds the locks of a switch)
keeps its priority (``eiso.core.priority``)."""

import os
import threading

import pytest
from django.db import connection
from django.utils import timezone, translation

from eiso.core import priority

pytestmark = pytest.mark.skipif(not hasattr(os, "getpriority"), reason="no Unix CPU priority here")


def now_running():
    return threading.get_ident(), os.getpriority(os.PRIO_PROCESS, 0)


def in_a_thread(body):
    """``body()`` in a thread of its own (on Linux a priority is the thread's: the tests' stays)."""
    seen = {}
    thread = threading.Thread(target=lambda: seen.update(value=body()))
    thread.start()
    thread.join()
    return seen["value"]


def test_without_a_background_block_a_computation_runs_in_the_callers_thread():
    assert priority.lowered(now_running) == now_running()
    with priority.background(0):
        assert priority.lowered(now_running) == now_running()


def test_in_a_background_block_it_runs_lower_in_its_own_thread_and_the_caller_keeps_its_priority():
    before = os.getpriority(os.PRIO_PROCESS, 0)
    nice = min(before + 5, 19)
    with priority.background(nice):
        ident, inside = priority.lowered(now_running)
        outer, nested = priority.lowered(lambda: (threading.get_ident(), priority.lowered(now_running)))
        assert os.getpriority(os.PRIO_PROCESS, 0) == before
    assert ident != threading.get_ident() and inside == nice
    assert nested == (outer, nice)  # a lowered computation's own calls run in its thread
    assert os.getpriority(os.PRIO_PROCESS, 0) == before


def test_where_a_priority_is_the_whole_process_s_a_computation_runs_in_the_callers_thread(monkeypatch):
    monkeypatch.setattr(priority.sys, "platform", "darwin")  # lowering one thread would lower the worker for good
    with priority.background(min(os.getpriority(os.PRIO_PROCESS, 0) + 5, 19)):
        assert priority.lowered(now_running) == now_running()


def test_a_priority_above_the_callers_is_not_taken():
    start = max(os.getpriority(os.PRIO_PROCESS, 0), 7)

    def body():
        os.setpriority(os.PRIO_PROCESS, 0, start)  # a thread may always lower its own priority
        with priority.background(start - 4):  # would raise it (which could not be undone)
            return priority.lowered(now_running)[1]

    assert in_a_thread(body) == start


@pytest.mark.django_db
def test_the_computation_uses_the_callers_connection_and_context_and_its_errors_reach_the_caller():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE eiso_priority_probe (n integer)")

    def write():
        with connection.cursor() as cursor:  # the caller's temporary table: the caller's connection
            cursor.execute("INSERT INTO eiso_priority_probe (n) VALUES (1)")
        return translation.get_language(), timezone.get_current_timezone_name()

    with (priority.background(min(os.getpriority(os.PRIO_PROCESS, 0) + 1, 19)), translation.override("en"),
          timezone.override("Asia/Tokyo")):
        assert priority.lowered(write) == ("en", "Asia/Tokyo")
        with pytest.raises(ZeroDivisionError):
            priority.lowered(lambda: 1 / 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM eiso_priority_probe")
        assert cursor.fetchone()[0] == 1
        cursor.execute("DROP TABLE eiso_priority_probe")
