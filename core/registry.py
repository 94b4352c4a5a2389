"""Central registries the areas contribute to (NetBox's registry, pretix's signals).

The core (``core``, ``reports``, ``dataimport``) renders whatever is registered and imports no area's models. An area
registers its entries in its ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Entries with a unique key, read back in their declared order."""

    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        key = entry.key  # type: ignore[attr-defined]
        existing = self._entries.get(key)
        # The same entry may register again when Django re-populates the apps (in tests);
        # two different entries under one key are a mistake.
        if existing is not None and _identity(existing) != _identity(entry):
            raise ValueError(f"{self.name}: {key!r} is registered twice")
        self._entries[key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._entries.values(), key=lambda e: (e.order, e.key)))  # type: ignore[attr-defined]

    def __contains__(self, key: str) -> bool:
        return key in self._entries


def _identity(entry) -> tuple:
    kind = type(entry)
    return (kind.__module__, kind.__qualname__, getattr(entry, "url_name", None))


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation."""

    key: str
    label: str
    url_name: str
    order: int = 100


navigation: Registry[NavItem] = Registry("navigation")
