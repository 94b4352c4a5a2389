"""The executive dashboard: panels that apps register, rendered in order, all as of one date.

An app subclasses ``Panel`` in its own ``panels.py`` and decorates it with ``@register_panel``
(imported from its ``AppConfig.ready()``); the core imports no area's models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from core.figures import Figure
from core.history import AsOf
from core.registry import Registry


class Panel:
    """A dashboard panel. Subclasses set the class attributes and fill ``get_context``."""

    key: str = ""
    title: str = ""
    order: int = 100
    template_name: str = ""
    link_url_name: str | None = None
    link_label: str = ""
    permission: str = ""  # the view permission a user needs to see the panel

    def visible_to(self, user) -> bool:
        return not self.permission or user.has_perm(self.permission)

    def get_context(self, as_of: AsOf) -> dict:
        """What the panel's template needs, computed in the database (constant queries)."""
        return {}

    def figures(self, as_of: AsOf) -> list[Figure]:
        """The panel's headline figures (also listed in the workbook's 指標 sheet)."""
        return []

    def sheet_figures(self, as_of: AsOf) -> list[Figure]:
        """Every figure the panel shows, for the workbook's 指標 sheet: the headline figures,
        and the counts a panel shows as a chart or a list (a panel overrides this)."""
        return self.figures(as_of)


panels: Registry[Panel] = Registry("dashboard panels")


def register_panel(cls: type[Panel]) -> type[Panel]:
    panels.register(cls())
    return cls


@dataclass(frozen=True)
class DateShortcut:
    """Dates the as-of picker offers (a meeting's date, …), contributed by apps."""

    key: str
    label: str
    dates: Callable[[], list[tuple[dt.date, str]]]
    order: int = 100
    permission: str = ""  # the dates name meetings: only for who may see them

    def visible_to(self, user) -> bool:
        return not self.permission or user.has_perm(self.permission)


date_shortcuts: Registry[DateShortcut] = Registry("as-of date shortcuts")
