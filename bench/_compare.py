"""A benchmark's figure beside the straightforward way's (issue 16 §1): the same work, on the
same data, done as a typical Django app would write it — a loop over members reading each
one's facts with its own queries and saving row by row. Where that way would run for
hours, it is timed on a sample and scaled to the whole, and the line says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Timed:
    seconds: float
    queries: int
    value: Any


def timed(fn: Callable[[], T]) -> Timed:
    """Run `fn` once, counting its queries on the default connection."""
    from django.db import connection

    count = [0]

    def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        start = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - start
    return Timed(seconds, count[0], value)


def report(
    what: str,
    ours: Timed,
    baseline: Timed,
    *,
    scale: float = 1.0,
    sample: str = "",
    label: str = "straightforward ORM",
) -> None:
    """Print kiemdiem's figure, the straightforward way's and their ratio. With `scale` > 1
    the baseline ran on a sample (`sample` says which) and its time and queries are scaled
    to the whole."""
    base_s = baseline.seconds * scale
    base_q = round(baseline.queries * scale)
    ratio = base_s / ours.seconds if ours.seconds > 0 else float("inf")
    scaled = f"timed on {sample} and scaled ×{scale:,.0f}" if scale != 1 else ""
    ours_q = f" ({ours.queries:,} queries)" if ours.queries or base_q else ""
    base_notes = ", ".join(x for x in (f"{base_q:,} queries" if base_q else "", scaled) if x)
    print(
        f"{what}: kiemdiem {_secs(ours.seconds)}{ours_q} · "
        f"{label} {_secs(base_s)}{f' ({base_notes})' if base_notes else ''} · "
        f"{ratio:,.1f}× faster",
        flush=True,
    )


def _secs(s: float) -> str:
    return f"{s * 1000:,.0f} ms" if s < 1 else f"{s:,.2f} s"


@contextmanager
def atomic_rollback() -> Any:
    """A block whose writes are undone at the end: a baseline that saves rows must leave
    the data as the next measurement expects it."""
    from django.db import transaction

    class _Undo(Exception):
        pass

    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass
