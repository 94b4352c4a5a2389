"""The meeting workbook: sheets that apps register, assembled in order into one .xlsx.

An app subclasses ``Sheet`` in its own ``sheets.py`` and decorates it with ``@register_sheet``
(pretix's data exporters are the model). Each sheet writes one worksheet from the context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.history import AsOf
from core.registry import Registry


@dataclass(frozen=True)
class WorkbookContext:
    as_of: AsOf
    meeting_id: int | None = None  # the meeting whose papers lead the workbook, if chosen
    user: Any = None  # who downloads: sheets they may not view are left out (None: all)


class Sheet:
    key: str = ""
    title: str = ""  # the worksheet's name (31 characters at most)
    order: int = 100
    permission: str = ""  # the view permission a user needs to receive the sheet

    def visible_to(self, user) -> bool:
        return not self.permission or user.has_perm(self.permission)

    def write(self, ws, context: WorkbookContext) -> None:
        raise NotImplementedError


sheets: Registry[Sheet] = Registry("workbook sheets")


def register_sheet(cls: type[Sheet]) -> type[Sheet]:
    sheets.register(cls())
    return cls


def sheets_for(user) -> list[Sheet]:
    return [sheet for sheet in sheets if user is None or sheet.visible_to(user)]


def build_workbook(context: WorkbookContext) -> Workbook:
    """Every registered sheet the context's user may view, in order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets_for(context.user):
        worksheet = workbook.create_sheet(sheet.title[:31])
        sheet.write(worksheet, context)
    return workbook


def workbook_filename(as_of: AsOf) -> str:
    return _("会議結果報告書_%(date)s.xlsx") % {"date": as_of.label}
