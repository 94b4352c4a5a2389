"""The blank data sheet: the schedule's import template for a new installation.

A city that starts empty downloads it, fills one row per item and uploads it through the
schedule's import (``imports.ScheduleImporter``): the same header, written by the same writer
(``datasheet.columns`` and ``datasheet.write_table``) as the data sheet staff download and edit,
with no rows; a second sheet states each column's rules. Uploaded as it is, it changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.japanese import fiscal_year_of
from core.spreadsheets import data_sheet

from . import datasheet
from .models import ProgrammeYear

RULES_TITLE = "記入のきまり"
NEW_INSTALLATION_YEARS = 3  # plan columns of a blank for an installation with no 計画年度 yet


def blank_years(today: dt.date) -> list[int]:
    """The plan columns: the registered 計画年度, or (none yet) this fiscal year and the next
    two; a column may be added or removed before the upload (「令和N年度の計画」)."""
    years = list(ProgrammeYear.objects.order_by("start_year").values_list("start_year", flat=True))
    if years:
        return years
    first = fiscal_year_of(today)
    return list(range(first, first + NEW_INSTALLATION_YEARS))


def header(today: dt.date) -> list[str]:
    return datasheet.columns(blank_years(today), datasheet.MIN_BUDGET_COLUMNS)


def rules(header: list[str]) -> list[tuple[str, str, str]]:
    """(column, required or not, what to write) for each column of ``header``."""
    required, optional = _("必須"), _("任意")
    fixed = {
        datasheet.ID: (
            _("空欄"),
            _("新しい項目は空欄にします（取込のときに番号が付きます）。変更しないでください。"),
        ),
        datasheet.CATEGORY: (
            required,
            _(
                "項目の区分（例：窓口フロントスタッフ）。区分の中の行の順が表示順になります。"
                "区分がまだ登録されていない設置では、ファイルの区分を登録します。"
            ),
        ),
        datasheet.NAME: (required, _("項目名。1行で、ほかの項目と同じ名前にはできません。")),
        datasheet.STATUS: (
            required,
            _(
                "状況（例：完了、継続、完了予定）。状況がまだ登録されていない設置では、"
                "ファイルの状況を登録します（「完了」は完了として数えます）。"
            ),
        ),
        datasheet.BUDGET_TOTAL: (
            optional,
            _("予算額1・予算額2…の合計。空欄にすると計算します。入力するなら合計と同じ数。"),
        ),
        datasheet.INCLUDED_IN: (
            optional,
            _("予算をほかの項目に含めるとき、その項目名。入力したら予算額は空欄にします。"),
        ),
        datasheet.CONCERNS: (optional, _("懸案など。1行に1件（セル内で改行）。")),
        datasheet.AS_OF: (_("空欄"), _("ダウンロードした日を示す参考の列です。取り込みません。")),
    }
    described = []
    for column in header:
        if column in fixed:
            need, what = fixed[column]
        elif column.endswith("の計画"):
            need, what = (
                optional,
                _(
                    "その年度の計画。1行に1件（セル内で改行）。年度の列は「令和N年度の計画」の形で"
                    "足したり除いたりできます。計画年度がまだ登録されていない設置では、"
                    "ファイルの年度を登録します。"
                ),
            )
        else:
            need, what = (
                optional,
                _(
                    "予算額（千円、0以上の整数）。予算が複数に分かれるときは予算額1、予算額2…に"
                    "1つずつ。列は「予算額3（千円）」のように足せます。"
                ),
            )
        described.append((column, need, what))
    return described


def workbook(today: dt.date) -> Workbook:
    """The blank: the data sheet's header and no rows, then the rules; budget cells accept
    whole numbers of 0 or more only."""
    columns = header(today)
    book = Workbook()
    sheet = book.active
    sheet.title = datasheet.SHEET_TITLE
    datasheet.write_table(sheet, columns, [])
    amounts = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        showErrorMessage=True,
        errorTitle=_("予算額"),
        error=_("予算額は0以上の整数（千円）で入力してください。"),
    )
    for position, column in enumerate(columns, start=1):
        if column.startswith("予算額") and column != datasheet.BUDGET_TOTAL:
            letter = get_column_letter(position)
            amounts.add(f"{letter}2:{letter}1000")
    sheet.add_data_validation(amounts)
    data_sheet(
        book.create_sheet(RULES_TITLE),
        [_("列"), _("入力"), _("書き方")],
        rules(columns),
        [24, 8, 90],
    )
    return book
