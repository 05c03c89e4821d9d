"""Work done in a child forked from the calling process, whose memory goes back to the machine
when the child ends.

Great Expectations judges pandas frames (every value a Python object) and its allocations are
not given back when a validation ends: a process that judged the 14 slices of findings of
10,000 disclosures held 1.3 GB by the last; each slice judged in a child of its own, the worker
and its children held about 500 MiB at most (proportional set sizes). A child forked from a
process that imported Great Expectations starts at once, with GX imported and its context
built; what it allocates leaves with it.

Only for processes that own no DuckDB connection or thread pool at the fork (the GX worker,
lib/quality/worker.py): a child inherits locks, not the threads that would release them.
"""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Callable
from typing import Any

# The key of an answer that reports the child's error instead of its result.
CHILD_ERROR = "child_error"


def answered_in_a_child(work: Callable[[], Any]) -> str:
    """`work()` run in a forked child, its result as JSON text; an exception comes back as
    {"child_error": "<traceback>"} (see raise_child_error), never as a parent that died."""
    return started_in_a_child(work)()


def started_in_a_child(work: Callable[[], Any]) -> Callable[[], str]:
    """`work()` started in a forked child; the function returned waits for its answer (as
    answered_in_a_child gives it). The caller may start others meanwhile."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: answer, write, and end without the interpreter's teardown
        os.close(read)
        code = 0
        try:
            answer = json.dumps(work(), default=str)  # ASCII: whatever the pipes' encoding
        except BaseException:  # reported to the parent, which raises it
            answer, code = json.dumps({CHILD_ERROR: traceback.format_exc()}), 1
        with os.fdopen(write, "w", encoding="utf-8") as pipe:
            pipe.write(answer)
        os._exit(code)
    os.close(write)

    def answer() -> str:
        with os.fdopen(read, encoding="utf-8") as pipe:
            text = pipe.read()
        os.waitpid(child, 0)
        return text or json.dumps({CHILD_ERROR: "the child process ended without an answer"})

    return answer


def raise_child_error(answer: Any, what: str) -> None:
    """Raise the error a child reported in `answer`, if it reported one."""
    if isinstance(answer, dict) and CHILD_ERROR in answer:
        raise RuntimeError(f"{what} failed:\n{answer[CHILD_ERROR]}")


def in_a_child(work: Callable[[], Any], what: str) -> Any:
    """`work()` run in a forked child: its result (through JSON), or its error raised here."""
    answer = json.loads(answered_in_a_child(work))
    raise_child_error(answer, what)
    return answer


def in_children(works: list[tuple[Callable[[], Any], str]], at_once: int) -> list[Any]:
    """Each `work()` run in a forked child of its own, `at_once` children at a time: their
    results in the order of `works` (through JSON); the first error reported is raised here,
    once every child started has ended."""
    answers: list[str] = []
    waiting: list[Callable[[], str]] = []
    for work, _ in works:
        if len(waiting) == at_once:
            answers.append(waiting.pop(0)())
        waiting.append(started_in_a_child(work))
    answers += [answer() for answer in waiting]
    results = [json.loads(answer) for answer in answers]
    for result, (_, what) in zip(results, works, strict=True):
        raise_child_error(result, what)
    return results
