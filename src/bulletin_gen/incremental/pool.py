"""Load and render issues across cores; the result is the same, byte for byte, as in one.

Each issue is loaded, and rendered, by one call of the same function wherever it
runs, and results come back in the order they were asked for, so the number of
processes changes only the time a build takes.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from bulletin_gen.errors import BulletinError, ContentError, ContentErrors

Task = TypeVar("Task")
Result = TypeVar("Result")
# Below this many tasks a pool costs more (forking, importing) than it saves.
MIN_TASKS_PER_PROCESS = 2

_state: Any = None  # set once in each worker process by _init


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_tasks(function: Callable[[Any, Task], Result], state: Any, tasks: Sequence[Task],
              jobs: int, done: Callable[[Task], None] | None = None,
              meanwhile: Callable[[], None] | None = None) -> list[Result]:
    """function(state, task) for every task, in order; in a process pool when it pays.

    done(task) is called for each task as its result arrives (a progress bar ticks).
    meanwhile() runs in this process while a pool works (it would only wait otherwise).
    Errors the user can fix (BulletinError) are raised here as in a serial run; content
    errors once every task has run, all of them together (every oversized email, say).
    """
    processes = _processes(len(tasks), jobs)
    if processes <= 1:
        return _collect(((task, functools.partial(function, state, task)) for task in tasks),
                        done)
    # fork shares the loaded site with the workers without pickling it; spawn elsewhere.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    chunk = max(1, min(4, len(tasks) // (processes * 8)))
    # Objects that exist now are shared with the workers by fork; frozen, the collector
    # never walks them in a worker, which would copy every page they are on.
    gc.freeze()
    try:
        with context.Pool(processes, _init, (function, state)) as pool:
            outcomes = pool.imap(_call, tasks, chunksize=chunk)
            if meanwhile is not None:
                meanwhile()
            return _collect(((task, functools.partial(_unwrap, outcome))
                             for task, outcome in zip(tasks, outcomes, strict=True)), done)
    finally:
        gc.unfreeze()


def _collect(calls: Iterable[tuple[Task, Callable[[], Result]]],
             done: Callable[[Task], None] | None) -> list[Result]:
    """Each call's result, in order; the content errors of all of them raised together."""
    results: list[Result] = []
    errors: list[ContentError] = []
    for task, call in calls:
        try:
            results.append(call())
        except ContentErrors as found:
            errors.extend(found.errors)
            continue
        except ContentError as error:
            errors.append(error)
            continue
        if done:
            done(task)
    if errors:
        raise ContentErrors(errors)
    return results


def _processes(tasks: int, jobs: int) -> int:
    return min(jobs, tasks // MIN_TASKS_PER_PROCESS)


@dataclass(frozen=True)
class _Failure:
    """A BulletinError in a worker, in a form that survives the trip back."""
    errors: tuple[tuple[str, int | None, str], ...] = ()
    many: bool = True  # ContentErrors rather than one ContentError
    message: str | None = None


def _init(function: Callable[[Any, Any], Any], state: Any) -> None:
    global _state
    _state = (function, state)
    # Ctrl-C reaches every process of the terminal's group: the build (this worker's
    # parent) stops the pool and says what became of the site; a worker would only print
    # a KeyboardInterrupt traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _call(task: Any) -> Any:
    function, state = _state
    try:
        return function(state, task)
    except ContentErrors as found:
        return _Failure(tuple((e.path, e.line, e.text) for e in found.errors))
    except ContentError as error:
        return _Failure(((error.path, error.line, error.text),), many=False)
    except BulletinError as error:  # its own __init__ would not survive pickling
        return _Failure(message=error.format_message())


def _unwrap(outcome: Any) -> Any:
    if not isinstance(outcome, _Failure):
        return outcome
    if outcome.message is not None:
        raise BulletinError(outcome.message)
    errors = [ContentError(*error) for error in outcome.errors]
    raise ContentErrors(errors) if outcome.many else errors[0]


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while building.

    A build makes millions of short-lived objects (Markdown trees, template output) that
    reference counting frees; at the default threshold (700) the collector still ran
    thousands of times over them, for about 2% of a cold build.
    """
    before = gc.get_threshold()
    gc.set_threshold(20_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)
