"""Running a parser over a file someone uploaded, with a ceiling on its memory and time.

Some files cost far more to parse than their size says: a 97 KB PDF whose cross-reference stream
inflates to 100 MB held pyHanko for 99 s and 2.7 GB. A size limit on the upload does not bound
that. ``run_limited`` runs the parsing in a child process (forked, so it starts at once with
everything already imported) whose address space may grow by ``memory_mb`` at most and whose
processor time is ``seconds`` at most; the parent also waits no longer than twice that. The
child returns its result through a pipe, pickled, and leaves with ``os._exit``: it never closes
or touches what it inherited (the database connection, open files).

Over a limit, ``TooCostly`` is raised in the parent, which carries on; the caller tells the user
in Vietnamese. Only for trusted code over untrusted bytes: the function and its result must
pickle. Linux only (``/proc``), as the portal's servers are.
"""

import os
import pickle
import resource
import select
import signal
import time
import warnings


class TooCostly(Exception):
    """The parsing needed more memory or time than it was given."""


def _address_space():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise OSError("VmSize not found in /proc/self/status")


def _child(function, args, memory_mb, seconds, pipe):
    try:
        ceiling = _address_space() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        outcome = (True, function(*args))
    except MemoryError:
        outcome = (False, "memory")
    except BaseException as error:  # the parent re-raises it as its own
        outcome = (False, error)
    try:
        payload = pickle.dumps(outcome)
    except Exception as error:
        payload = pickle.dumps((False, TypeError(f"result does not pickle: {error}")))
    with os.fdopen(pipe, "wb") as out:
        out.write(payload)


def run_limited(function, *args, memory_mb=512, seconds=5):
    """``function(*args)``, computed in a child process within ``memory_mb`` more megabytes of
    address space and ``seconds`` of processor time; TooCostly past either. An exception the
    function raises is raised here."""
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # A development server's threads: the child runs only this function, then _exit.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:
        os.close(read_end)
        try:
            _child(function, args, memory_mb, seconds, write_end)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks, deadline = [], time.monotonic() + 2 * seconds
    waiting = select.poll()  # not select(): a server's descriptors may number past FD_SETSIZE
    waiting.register(read_end, select.POLLIN)
    with os.fdopen(read_end, "rb") as pipe:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not waiting.poll(remaining * 1000):
                # stuck without using the processor: past the wall-clock limit
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise TooCostly("time")
            chunk = os.read(pipe.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    if not chunks:  # killed by the processor-time limit (SIGXCPU, then SIGKILL) before writing
        raise TooCostly("time")
    succeeded, value = pickle.loads(b"".join(chunks))
    if succeeded:
        return value
    if value == "memory":
        raise TooCostly("memory")
    raise value
