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

from core.spreadsheets import data_sheet

from . import datasheet

RULES_TITLE = "記入のきまり"


def header(today: dt.date | None = None) -> list[str]:
    """The items sheet's header: the data sheet's, with the narrowest budget columns."""
    return datasheet.columns(datasheet.MIN_BUDGET_COLUMNS)


def sheets() -> list[tuple[str, list[str]]]:
    """The blank's data sheets, as the data sheet is written: the items, then the plans and
    concerns as long tables (one line per row)."""
    return [
        (datasheet.SHEET_TITLE, header()),
        (datasheet.PLANS_TITLE, list(datasheet.PLAN_HEADER)),
        (datasheet.CONCERNS_TITLE, list(datasheet.CONCERN_HEADER)),
    ]


def rules(sheets: list[tuple[str, list[str]]]) -> list[tuple[str, str, str, str]]:
    """(sheet, column, required or not, what to write) for each column of each sheet."""
    required, optional, blank = _("必須"), _("任意"), _("空欄")
    items = {
        datasheet.ID: (
            blank,
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
        datasheet.AS_OF: (blank, _("ダウンロードした日を示す参考の列です。取り込みません。")),
    }
    parts = {
        datasheet.ID: (blank, _("新しい項目は空欄にします（項目名で結び付けます）。")),
        datasheet.NAME: (required, _("計画・懸案の項目名（1枚目のシートの項目名と同じ）。")),
        datasheet.FISCAL_YEAR: (
            required,
            _(
                "計画の年度を西暦の数字で（例：2022）。計画年度がまだ登録されていない設置では、"
                "ファイルの年度を登録します。"
            ),
        ),
        datasheet.FISCAL_YEAR_LABEL: (blank, _("年度の表記（参考の列です。取り込みません）。")),
        datasheet.LINE: (optional, _("同じ項目（と年度）の中での行の順（1、2、…）。")),
        datasheet.PLAN: (required, _("計画の1行。1行に1件、複数あれば行を分けます。")),
        datasheet.CONCERN: (required, _("懸案の1件。1行に1件、複数あれば行を分けます。")),
    }
    budget = (
        optional,
        _(
            "予算額（千円、0以上の整数）。予算が複数に分かれるときは予算額1、予算額2…に"
            "1つずつ。列は「予算額3（千円）」のように足せます。"
        ),
    )
    described = []
    for title, columns in sheets:
        known = items if title == datasheet.SHEET_TITLE else parts
        for column in columns:
            need, what = known.get(column, budget)
            described.append((title, column, need, what))
    return described


def workbook(today: dt.date | None = None) -> Workbook:
    """The blank: the data sheets' headers and no rows, then the rules; budget cells accept
    whole numbers of 0 or more only."""
    book = Workbook()
    book.remove(book.active)
    for title, columns in sheets():
        sheet = book.create_sheet(title)
        datasheet.write_table(sheet, columns, [])
        if title != datasheet.SHEET_TITLE:
            continue
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
        [_("シート"), _("列"), _("入力"), _("書き方")],
        rules(sheets()),
        [30, 24, 8, 80],
    )
    return book
