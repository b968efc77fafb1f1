"""Load and render issues across cores; the result is the same, byte for byte, as in one.

Each issue is loaded, and rendered, by one call of the same function wherever it
runs, and results come back in the order they were asked for, so the number of
processes changes only the time a build takes.
"""

from __future__ import annotations

import collections
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
              meanwhile: Callable[[], None] | None = None, here: bool = True) -> list[Result]:
    """function(state, task) for every task, in order; across processes when it pays.

    This process works too (here), beside jobs - 1 others: it would only wait otherwise,
    and each process more holds its own copy of what it touches (the build's memory).
    Without here, jobs others do the work: what this process would have made and thrown
    away (Markdown's trees, when loading) leaves its memory full of holes, which processes
    forked from it later fill, each copying every page it writes to.
    done(task) is called for each task as it is finished (a progress bar ticks).
    meanwhile() runs in this process first, while the others start on the tasks; not at
    all when no other process works (it is what this process would otherwise wait for).
    Errors the user can fix (BulletinError) are raised here as in a serial run; content
    errors once every task has run, all of them together (every oversized email, say).
    """
    processes = _processes(len(tasks), jobs, meanwhile is not None and not here)
    if processes == 0 or (processes == 1 and here):
        return _collect([_outcome(function, state, task, done) for task in tasks])
    # fork shares the loaded site with the workers without pickling it; spawn elsewhere.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    # Objects that exist now are shared with the workers by fork; frozen, the collector
    # never walks them in a worker, which would copy every page they are on.
    gc.freeze()
    try:
        workers = processes - 1 if here else processes
        with context.Pool(workers, _init, (function, state)) as pool:
            return _collect(_shared_out(pool, function, state, tasks, workers, done,
                                        meanwhile, here))
    finally:
        gc.unfreeze()


def _shared_out(pool: Any, function: Callable[[Any, Task], Result], state: Any,
                tasks: Sequence[Task], workers: int, done: Callable[[Task], None] | None,
                meanwhile: Callable[[], None] | None, here: bool) -> list[Any]:
    """Every task's outcome, in order: the pool takes tasks from the front, a few at a
    time so that it never waits, and (here) this process from the back, until they meet."""
    outcomes: list[Any] = [None] * len(tasks)
    front, back = 0, len(tasks)
    waiting: collections.deque[tuple[int, Any]] = collections.deque()

    def feed() -> None:
        nonlocal front
        while front < back and len(waiting) < 4 * workers:
            waiting.append((front, pool.apply_async(_call, (tasks[front],))))
            front += 1

    def arrived(block: bool) -> None:
        while waiting and (block or waiting[0][1].ready()):
            index, result = waiting.popleft()
            outcomes[index] = result.get()
            _tick(outcomes[index], tasks[index], done)
            block = False

    feed()
    if meanwhile is not None:
        meanwhile()
    while front < back or waiting:
        feed()
        arrived(block=False)
        if here and front < back:
            back -= 1
            outcomes[back] = _outcome(function, state, tasks[back], done)
        else:
            arrived(block=True)
    return outcomes


def _outcome(function: Callable[[Any, Task], Result], state: Any, task: Task,
             done: Callable[[Task], None] | None) -> Any:
    outcome = _capture(function, state, task)
    _tick(outcome, task, done)
    return outcome


def _tick(outcome: Any, task: Any, done: Callable[[Any], None] | None) -> None:
    if done is not None and not isinstance(outcome, _Failure):
        done(task)


def _collect(outcomes: Iterable[Any]) -> list[Any]:
    """Each outcome's result, in order; the content errors of all of them raised together."""
    results: list[Any] = []
    errors: list[ContentError] = []
    for outcome in outcomes:
        try:
            results.append(_unwrap(outcome))
        except ContentErrors as found:
            errors.extend(found.errors)
        except ContentError as error:
            errors.append(error)
    if errors:
        raise ContentErrors(errors)
    return results


def _processes(tasks: int, jobs: int, beside: bool) -> int:
    """How many processes share the tasks; 0 or 1 with this one: none forked.

    beside: this process has work of its own meanwhile, so even a single task goes to
    another process (an edit's one issue is loaded while this one compiles the templates).
    """
    if beside and jobs > 1 and tasks:
        return max(1, min(jobs, tasks // MIN_TASKS_PER_PROCESS))
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
    return _capture(function, state, task)


def _capture(function: Callable[[Any, Any], Any], state: Any, task: Any) -> Any:
    """function(state, task), or the error the user can fix that it raised, as a _Failure."""
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
    thousands of times over them, for about 2% of a cold build. Not much less often:
    at 20,000 the garbage in cycles between two runs left a rendering process 10 MB
    larger after a few hundred issues (each process holds its own), for no time saved.
    """
    before = gc.get_threshold()
    gc.set_threshold(5_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)
