"""Slows down key and link guessing: a client that causes too many authentication failures in a minute
gets 429 for the rest of that minute.

Failures are 401 answers (unknown, malformed or revoked API keys; refused counsellor sign-ins) and 404
answers to test links (``/v1/take/…``, ``/t/…``). Counts are per client address, kept in memory by each
server process (a restart forgets them), for at most ``MAX_CLIENTS`` addresses at a time.
"""
import time
from collections import OrderedDict, deque

from api.errors import problem_response

WINDOW_SECONDS = 60.0
MAX_CLIENTS = 10_000
GUESSABLE_PREFIXES = ("/v1/take/", "/t/")


def is_failure(method: str, path: str, status: int) -> bool:
    """Whether an answer counts as a failed guess."""
    return status == 401 or (status == 404 and path.startswith(GUESSABLE_PREFIXES))


class FailureCounter:
    """Failures per client within the last ``WINDOW_SECONDS`` (a sliding window of timestamps)."""

    def __init__(self, limit: int, clock=time.monotonic):
        self.limit, self.clock = limit, clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, client: str) -> deque[float]:
        times = self._seen.get(client)
        if times is None:
            return deque()
        cutoff = self.clock() - WINDOW_SECONDS
        while times and times[0] <= cutoff:
            times.popleft()
        return times

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again; 0 when it is not limited."""
        times = self._recent(client)
        if len(times) < self.limit:
            return 0
        return max(1, int(times[-self.limit] + WINDOW_SECONDS - self.clock()) + 1)

    def add(self, client: str) -> None:
        times = self._recent(client)
        times.append(self.clock())
        self._seen[client] = times
        self._seen.move_to_end(client)
        while len(self._seen) > MAX_CLIENTS:
            self._seen.popitem(last=False)


class AuthFailureLimitMiddleware:
    """Answers 429 (with ``Retry-After``) to a client over the failure limit; counts its failures."""

    def __init__(self, app, per_minute: int):
        self.app, self.counter = app, FailureCounter(per_minute)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "unknown"
        wait = self.counter.retry_after(client)
        if wait:
            await problem_response(429, "Too many failed attempts",
                                   f"Too many wrong keys, sign-ins or test links from your address; retry in "
                                   f"{wait} s.", None, scope["path"], {"Retry-After": str(wait)})(scope, receive, send)
            return
        status = 500

        async def watch(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watch)
        if is_failure(scope["method"], scope["path"], status):
            self.counter.add(client)
