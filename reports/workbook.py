"""The meeting workbook: sheets that apps register, assembled in order into one .xlsx.

An app subclasses ``Sheet`` in its own ``sheets.py`` and registers it in its
``AppConfig.ready()`` (pretix's data exporters are the model). A sheet declares the options it
needs as form fields (``options``, like pretix's ``export_form_fields``); the download view
reads them from the request and hands them over in ``WorkbookContext.options``. The core knows
no area: the meeting whose papers lead the workbook is an option of the meetings app's sheets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.history import AsOf
from core.organisation import organisation
from core.registry import Registry


@dataclass(frozen=True)
class WorkbookContext:
    """One download: the date, the options the user chose, and who downloads.

    ``as_of`` is shared by every sheet of the download, so what an area reads for it
    (``AsOf.once``) is read once per workbook.
    """

    as_of: AsOf
    options: Mapping[str, Any] = field(default_factory=dict)
    user: Any = None  # who downloads: sheets they may not view are left out (None: all)


class Sheet:
    key: str = ""
    title: str = ""  # the worksheet's name (31 characters at most)
    order: int = 100
    permission: str = ""  # the view permission a user needs to receive the sheet
    # Options the sheet reads from the download's query string: name → form field.
    options: Mapping[str, forms.Field] = {}

    def visible_to(self, user) -> bool:
        return not self.permission or user.has_perm(self.permission)

    def included(self, context: WorkbookContext) -> bool:
        """Whether this download holds the sheet: a meeting's forms only when a meeting is chosen."""
        return True

    def file_title(self, context: WorkbookContext) -> str | None:
        """What the file is, if this sheet's options make it something (会議資料_令和4年11月1日)."""
        return None

    def write(self, ws, context: WorkbookContext) -> None:
        raise NotImplementedError


sheets: Registry[Sheet] = Registry("workbook sheets")


def register_sheet(cls: type[Sheet]) -> type[Sheet]:
    sheets.register(cls())
    return cls


def sheets_for(user) -> list[Sheet]:
    return [sheet for sheet in sheets if user is None or sheet.visible_to(user)]


def sheets_in(context: WorkbookContext) -> list[Sheet]:
    """The sheets of one download: those its user may view and its options call for."""
    return [sheet for sheet in sheets_for(context.user) if sheet.included(context)]


def options_form(chosen: list[Sheet], data=None) -> forms.Form:
    """A form of every option the given sheets declare (an option shared by sheets once)."""
    fields: dict[str, forms.Field] = {}
    for sheet in chosen:
        for name, option in sheet.options.items():
            fields.setdefault(name, option)
    form_class = type("WorkbookOptionsForm", (forms.Form,), dict(fields))
    return form_class(data)


def build_workbook(context: WorkbookContext) -> Workbook:
    """Every registered sheet the context's user may view and its options call for, in order."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets_in(context):
        worksheet = workbook.create_sheet(sheet.title[:31])
        sheet.write(worksheet, context)
    return workbook


def workbook_filename(context: WorkbookContext) -> str:
    """会議資料_令和4年11月1日.xlsx when a sheet's options make it a meeting's papers, else
    西予市DX推進_令和8年11月28日時点.xlsx: the name says what the user chose, nothing more."""
    for sheet in sheets_in(context):
        title = sheet.file_title(context)
        if title:
            return f"{title}.xlsx"
    return _("%(brand)s_%(date)s時点.xlsx") % {
        "brand": organisation().brand,
        "date": context.as_of.label,
    }
