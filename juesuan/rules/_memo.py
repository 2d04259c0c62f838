"""Memos kept across checks, registered in one place so that they can be bounded and forgotten.

Every memo here holds values that are pure functions of their keys (the name of a catalogue
code in a year, the plan of a combination of layouts, the level words of a government level):
a document can never see another document's values, only the same answer sooner. That also
makes them safe to share between the threads of a long-running process (the web server): a
``dict``'s ``get`` and item assignment are atomic, a race only computes an entry twice, and a
memo that reaches its bound is emptied, never half-updated.

* :class:`Memo`: a bounded dictionary (``get``, ``put``), for memos keyed by several things;
* :func:`cached`: ``functools.lru_cache`` for a pure function, registered here;
* :func:`clear_all`: forget every memo (a benchmark measures a document that shares nothing
  with the ones before it; correctness never needs it).

Memos that live for one check only are not here: see ``Context.memo`` and :func:`per_check`
in :mod:`juesuan.rules.context`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

__all__ = ["Memo", "cached", "clear_all", "memos"]

F = TypeVar("F", bound=Callable[..., Any])

_REGISTERED: list[Any] = []     # every Memo and every cached function (their cache_clear)


class Memo:
    """A bounded memo: ``get(key, default)`` and ``put(key, value) -> value``.

    ``limit`` entries at most: when full it is emptied before the next entry (the keys are
    few — layouts, catalogue rows, levels — and a batch keeps reusing the same ones).
    """

    __slots__ = ("name", "limit", "_d", "get")

    def __init__(self, name: str, limit: int = 4096):
        self.name = name
        self.limit = limit
        self._d: dict = {}
        self.get = self._d.get          # the dictionary's own get: called by the hundred per check
        _REGISTERED.append(self)

    def put(self, key: Any, value: Any) -> Any:
        if len(self._d) >= self.limit:
            self._d.clear()
        self._d[key] = value
        return value

    def clear(self) -> None:
        self._d.clear()

    def __len__(self) -> int:
        return len(self._d)

    def __repr__(self) -> str:
        return f"Memo({self.name!r}, {len(self._d)}/{self.limit})"


def cached(maxsize: int | None = 4096) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)`` for a pure function, registered for :func:`clear_all`."""
    def deco(fn: F) -> F:
        wrapped = lru_cache(maxsize=maxsize)(fn)
        _REGISTERED.append(wrapped)
        return wrapped  # type: ignore[return-value]
    return deco


def clear_all() -> None:
    """Forget everything memoized across checks."""
    for m in _REGISTERED:
        if isinstance(m, Memo):
            m.clear()
        else:
            m.cache_clear()


def memos() -> list[str]:
    """The names of the registered memos (for tests and the docs)."""
    return [m.name if isinstance(m, Memo) else f"{m.__module__}.{m.__qualname__}" for m in _REGISTERED]
