"""``eiso demo`` serves with its task worker beside it: one command, and both stop together."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"EISO_VAR_DIR": str(var_dir), "EISO_HTTPS": "0", "PYTHONUNBUFFERED": "1"})
    return env


def _gone(pid: int) -> bool:
    """No such process any more (or only its zombie entry, waiting for a parent to reap it)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status


def _wait(predicate, what: str, attempts: int = 600):
    for _ in range(attempts):  # bounded polling, not a timing assertion
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"never: {what}")


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-var")
    subprocess.run([sys.executable, "-m", "eiso", "migrate", "--no-input", "-v0"], env=_env(path), check=True,
                   timeout=300)
    return path


def _start(var_dir: Path, log: Path):
    port = _free_port()
    out = log.open("w")
    process = subprocess.Popen([sys.executable, "-m", "eiso", "demo", "--no-load", "--port", str(port)],
                               env=_env(var_dir), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def worker_pid():
        found = re.search(r"eiso db_worker, pid (\d+)", log.read_text())
        return int(found.group(1)) if found else None

    def serving():
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200  # noqa: S310
        except OSError:
            return process.poll() is not None and AssertionError(log.read_text())

    try:
        pid = _wait(worker_pid, "the worker started")
        assert _wait(serving, "the server answered") is True, log.read_text()
    except BaseException:
        process.kill()
        raise
    return process, pid


def _is_worker(pid: int) -> bool:
    return b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes() and not _gone(pid)


def test_ctrl_c_stops_the_server_and_its_worker(var_dir, tmp_path):
    process, worker = _start(var_dir, tmp_path / "demo.log")
    assert _is_worker(worker)
    process.send_signal(signal.SIGINT)  # to the demo only: it must stop its worker itself
    assert process.wait(60) is not None
    _wait(lambda: _gone(worker), "the worker stopped")


def test_the_worker_dies_with_a_killed_server(var_dir, tmp_path):
    process, worker = _start(var_dir, tmp_path / "demo.log")
    assert _is_worker(worker)
    process.kill()
    process.wait(30)
    _wait(lambda: _gone(worker), "the orphaned worker stopped")
