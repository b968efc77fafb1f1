"""`check --online`: ask every external link whether it still answers."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from bulletin_gen import __version__

TIMEOUT = 10.0
WORKERS = 8
CACHE_SECONDS = 24 * 60 * 60
CACHE_FILE = Path(".bulletin-cache") / "links.json"
USER_AGENT = f"bulletin-gen/{__version__} (link check)"


@dataclass(frozen=True)
class Answer:
    url: str
    status: int | None  # the HTTP status, None when the server could not be reached
    reason: str
    checked: float  # when, in seconds since the epoch: the cache keeps answers for a day

    @property
    def broken(self) -> bool:
        """A definite "not there" (4xx); a 5xx or no answer may be passing."""
        return self.status is not None and 400 <= self.status < 500

    @property
    def unreachable(self) -> bool:
        return self.status is None or self.status >= 500


def check_links(urls: list[str], root: Path, now: float | None = None) -> dict[str, Answer]:
    """Answers for every URL: from the day-old cache, or asked 8 at a time."""
    now = time.time() if now is None else now
    cache_path = root / CACHE_FILE
    cached = _read_cache(cache_path)
    answers = {url: cached[url] for url in urls
               if url in cached and now - cached[url].checked < CACHE_SECONDS}
    missing = sorted({url for url in urls if url not in answers})
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for answer in pool.map(ask, missing):
            answers[answer.url] = answer
    _write_cache(cache_path, {**cached, **answers}, now)
    return answers


def ask(url: str) -> Answer:
    """HEAD the URL; where HEAD is refused or fails, GET it."""
    answer = _request(url, "HEAD")
    if answer.status is None or answer.status >= 400:
        answer = _request(url, "GET")
    return answer


def _request(url: str, method: str) -> Answer:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return Answer(url, response.status, response.reason or "OK", time.time())
    except urllib.error.HTTPError as error:
        return Answer(url, error.code, str(error.reason), time.time())
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Answer(url, None, f"no answer ({reason})", time.time())


def _read_cache(path: Path) -> dict[str, Answer]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {url: Answer(**entry) for url, entry in raw.items()}
    except (OSError, ValueError, TypeError):
        return {}  # no cache yet, or an unreadable one: ask again


def _write_cache(path: Path, answers: dict[str, Answer], now: float) -> None:
    fresh = {url: asdict(answer) for url, answer in sorted(answers.items())
             if now - answer.checked < CACHE_SECONDS}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(fresh, indent=1) + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only checkout still gets its answers, just not cached
