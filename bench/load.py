"""HTTP load on loopback with the standard library: logged-in sessions and timed GET loops."""

import contextlib
import http.client
import math
import random
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie


class Session:
    """One browser: its own keep-alive connection and cookie jar."""

    def __init__(self, host: str, port: int, timeout: float = 30.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.label = ""  # who this browser is (a role), for the per-role figures
        self.resent = 0  # GETs sent again after the server closed the kept-alive connection (reported)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        all_headers = {"Accept-Language": "vi", "Accept": "text/html", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        reused = self.conn is not None and self.conn.sock is not None
        try:
            response, data = self._send(method, path, body, all_headers)
        except (ConnectionResetError, BrokenPipeError):
            # A kept-alive connection the server closed while it was idle (gunicorn's --keep-alive):
            # a browser sends a GET again on a new connection, and so does this client, once.
            self.close()
            if not (reused and method == "GET"):
                raise
            self.resent += 1
            try:
                response, data = self._send(method, path, body, all_headers)
            except Exception:
                self.close()
                raise
        except Exception:
            self.close()
            raise
        for raw in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.close()
        return response.status, data

    def _send(self, method: str, path: str, body: bytes | None, headers: dict):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        return response, response.read()

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    def login(self, username: str, password: str, login_path: str = "/accounts/login/") -> None:
        """GET the login page for the CSRF cookie, POST the credentials, expect a redirect."""
        status, _body = self.get(login_path)
        if status != 200 or "csrftoken" not in self.cookies:
            raise RuntimeError(f"GET {login_path} answered {status} without a csrftoken cookie")
        form = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": self.cookies["csrftoken"]}).encode()
        status, _body = self.request("POST", login_path, body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{self.host}:{self.port}{login_path}"})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed (HTTP {status})")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class Result:
    path: str
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    resent: int = 0  # GETs sent again on a new connection (Session.resent): printed beside the errors
    statuses: dict = field(default_factory=dict)
    by_label: dict = field(default_factory=dict)  # session label (role) -> its latencies in ms

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def label_percentile(self, label: str, p: float) -> float:
        ordered = sorted(self.by_label.get(label, []))
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else math.nan

    @property
    def max_ms(self) -> float:
        return max(self.latencies_ms, default=math.nan)


def drive(sessions: list[Session], path: str, seconds: float, warmup: bool = True,
          think_s: float = 0.0) -> Result:
    """Every session GETs ``path`` in a loop until ``seconds`` have passed; one thread each.

    ``think_s`` = 0 is a saturation test (each client fires again at once). With a think time each
    client pauses a random 0.5–1.5 × ``think_s`` between requests, as a person reading a page does,
    and sends its first request at a random moment within the first ``think_s``: people do not all
    click at the same instant, and every client at once is the saturation test's case (started
    together, the clients' first requests are a tenth of a 10 s run's and set its p95). The pauses
    are seeded per client so runs are comparable.
    """
    if warmup:
        for session in sessions:
            with contextlib.suppress(Exception):  # a failing warm-up shows in the timed run
                session.get(path)
    result = Result(path)
    lock = threading.Lock()
    start = time.perf_counter()
    deadline = start + seconds

    def loop(session: Session, seed: int) -> None:
        pauses = random.Random(seed)
        latencies, errors, statuses, resent = [], 0, {}, session.resent
        if think_s:
            time.sleep(think_s * pauses.uniform(0.0, 1.0))
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                status, _body = session.get(path)
            except Exception as exc:  # noqa: BLE001 - any failure is an error of the page
                status = type(exc).__name__
            latencies.append((time.perf_counter() - t0) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status != 200:
                errors += 1
            if think_s:
                time.sleep(min(think_s * pauses.uniform(0.5, 1.5), max(0.0, deadline - time.perf_counter())))
        with lock:
            result.latencies_ms.extend(latencies)
            result.by_label.setdefault(session.label, []).extend(latencies)
            result.errors += errors
            result.resent += session.resent - resent
            for key, n in statuses.items():
                result.statuses[key] = result.statuses.get(key, 0) + n

    threads = [threading.Thread(target=loop, args=(s, i), daemon=True) for i, s in enumerate(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    result.seconds = time.perf_counter() - start
    return result


def alone(sessions: list[Session], path: str, repeats: int) -> Result:
    """One request at a time, nobody else on the server: each session in turn GETs ``path``
    ``repeats`` times (after one warm-up request), so the figures are the page's own latency."""
    result = Result(path)
    start = time.perf_counter()
    for session in sessions:
        with contextlib.suppress(Exception):  # a failing warm-up shows in the timed requests
            session.get(path)
        for _ in range(repeats):
            t0 = time.perf_counter()
            try:
                status, _body = session.get(path)
            except Exception as exc:  # noqa: BLE001 - any failure is an error of the page
                status = type(exc).__name__
            ms = (time.perf_counter() - t0) * 1000
            result.latencies_ms.append(ms)
            result.by_label.setdefault(session.label, []).append(ms)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status != 200:
                result.errors += 1
    result.seconds = time.perf_counter() - start
    return result
