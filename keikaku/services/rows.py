"""Rows: a query's rows turned into typed values lazily, for lists that a caller pages through.

Slicing runs one query for that slice only; ``len()`` and ``count()`` count in the database; iterating
maps every row. The API's paginator (django-ninja) takes one as it takes a queryset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar, overload

from django.db.models import QuerySet

T = TypeVar("T")


class Rows(Generic[T]):
    def __init__(self, qs: QuerySet[Any], fn: Callable[[Any], T]) -> None:
        self._qs, self._fn = qs, fn

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._fn(x) for x in self._qs[i]]
        return self._fn(self._qs[i])

    def __iter__(self) -> Iterator[T]:
        return (self._fn(x) for x in self._qs)

    def __len__(self) -> int:
        return self.count()

    def fetch(self) -> list[T]:
        """All of them, in one query (``list(rows)`` would count first)."""
        return [self._fn(x) for x in self._qs]

    def count(self) -> int:
        return self._qs.count()

    def all(self) -> Rows[T]:
        """Itself (django-ninja's paginator counts with ``.all().count()``)."""
        return self
