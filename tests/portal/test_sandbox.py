"""portal.sandbox: a parser over untrusted bytes runs in a child process with a memory and time ceiling."""

import os
import resource
import time

import pytest

from portal.sandbox import TooCostly, run_limited


def _allocate(megabytes):
    return len(bytearray(megabytes * 1024 * 1024))


def _spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return "done"


def _sleep(seconds):
    time.sleep(seconds)


def _fail():
    raise ValueError("hỏng")


def test_the_result_comes_back_from_the_child():
    assert run_limited(_allocate, 10) == 10 * 1024 * 1024
    assert run_limited(os.getpid) != os.getpid()


def test_too_much_memory_is_refused_and_this_process_does_not_grow():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(TooCostly, match="memory"):
        run_limited(_allocate, 300, memory_mb=100)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024


def test_too_much_processor_time_is_refused():
    started = time.monotonic()
    with pytest.raises(TooCostly, match="time"):
        run_limited(_spin, 10, seconds=1)
    assert time.monotonic() - started < 4


def test_a_child_that_waits_is_stopped_at_the_wall_clock_limit():
    started = time.monotonic()
    with pytest.raises(TooCostly, match="time"):
        run_limited(_sleep, 30, seconds=1)
    assert time.monotonic() - started < 4


def test_an_exception_of_the_function_is_raised_in_the_parent():
    with pytest.raises(ValueError, match="hỏng"):
        run_limited(_fail)
