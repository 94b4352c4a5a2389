"""E-approval's sheets in the meeting workbook: a form laid out like the papers' 電子決裁 page
and two machine-readable data sheets (the rollout; the counts with the published rates)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core.figures import FigureSource
from core.formsheet import bullets, row_height
from core.japanese import number
from core.spreadsheets import data_sheet, form_cell, form_date, set_widths, setup_page
from reports.workbook import Sheet, WorkbookContext

from . import selectors

WIDTHS = (16, 30, 13, 13, 13, 11)
LAST = get_column_letter(len(WIDTHS))
FULL_WIDTH = sum(WIDTHS)
PERCENT_FORMAT = "0.0%"


class ApprovalFormSheet(Sheet):
    """電子決裁について: ○当初の計画 / ○変更 / ○現状 (with the rollout) / ○今後の予定 / ※参考
    (the published rate with its period, and the rates counted from the data)."""

    key = "approval_form"
    title = "電子決裁"
    order = 55
    permission = "approval.view_measurement"

    def write(self, ws, context: WorkbookContext) -> None:
        as_of = context.as_of
        form_cell(ws, f"A1:{LAST}1", _("電子決裁について"), bold=True, size=14, border=False)
        ws.row_dimensions[1].height = 26
        self.line(ws, 2, _("（%(date)s時点）") % {"date": as_of.label})
        row = 4
        for section in selectors.plan_sections(as_of):
            row = self.heading(ws, row, f"○{section.heading}")
            row = self.bullets(ws, row, section.lines)
            if section.stage == "current":
                row = self.rollout_table(ws, row + 1, as_of) + 1
        if not any(s.stage == "current" for s in selectors.plan_sections(as_of)):
            row = self.heading(ws, row, _("○導入状況"))
            row = self.rollout_table(ws, row, as_of) + 1
        row = self.heading(ws, row, _("※参考"))
        for figure in selectors.published_figures(as_of):
            text = _("%(period)sの期間における電子決裁率 %(rate)s（%(source)s）") % {
                "period": figure.period_label,
                "rate": figure.formatted,
                "source": figure.source.label,
            }
            row = self.line(ws, row, text)
        current = selectors.current_rates(as_of)
        whole = current.whole
        if current.month is None:
            row = self.line(
                ws, row, _("件数から計算した電子決裁率：－（決裁件数が登録されていません）")
            )
        else:
            text = _(
                "%(period)sの電子決裁率（全庁）%(rate)s"
                "（電子決裁 %(e)s件／決裁 %(t)s件、%(n)s部の合計、%(source)s）"
            ) % {
                "period": whole.period_label,
                "rate": whole.formatted,
                "e": number(whole.numerator),
                "t": number(whole.denominator),
                "n": current.department_count,
                "source": whole.source.label,
            }
            row = self.line(ws, row, text)
            target = _("目標なし") if current.target is None else f"{current.target}%"
            row = self.line(
                ws,
                row,
                _("%(year)sの目標：%(target)s　%(attainment)s")
                % {
                    "year": current.fiscal_year_label,
                    "target": target,
                    "attainment": current.attainment,
                },
            )
            row = self.counts_table(ws, row + 1, current)
        set_widths(ws, WIDTHS)
        setup_page(ws)
        ws.sheet_view.showGridLines = False
        ws.print_area = f"A1:{LAST}{max(row - 1, 2)}"

    @staticmethod
    def line(ws, row: int, text: str) -> int:
        form_cell(ws, f"A{row}:{LAST}{row}", text, border=False)
        ws.row_dimensions[row].height = row_height(text, FULL_WIDTH, minimum=18)
        return row + 1

    @staticmethod
    def heading(ws, row: int, text: str) -> int:
        form_cell(ws, f"A{row}:{LAST}{row}", text, bold=True, border=False, wrap=False)
        ws.row_dimensions[row].height = 20
        return row + 1

    def bullets(self, ws, row: int, lines: list[str]) -> int:
        for line in lines:
            row = self.line(ws, row, bullets([line]))
        return row

    @staticmethod
    def header(ws, row: int, titles: list[str]) -> None:
        for column, title in enumerate(titles, start=1):
            form_cell(
                ws, f"{get_column_letter(column)}{row}", title, bold=True, horizontal="center"
            )

    def rollout_table(self, ws, row: int, as_of) -> int:
        self.header(
            ws, row, [_("部"), _("状況"), _("開始日"), _("開始予定日"), _("部をまたがる決裁")]
        )
        row += 1
        for item in selectors.rollout(as_of):
            values = [
                item.name,
                item.status,
                item.actual_start,
                item.planned_start,
                _("対応") if item.cross_department else _("未対応"),
            ]
            for column, value in enumerate(values, start=1):
                if column in (3, 4):  # 開始日, 開始予定日: date cells printed in the era
                    form_date(ws, f"{get_column_letter(column)}{row}", value)
                else:
                    form_cell(ws, f"{get_column_letter(column)}{row}", value)
            row += 1
        return row

    def counts_table(self, ws, row: int, current) -> int:
        self.header(
            ws, row, [_("部"), _("期間"), _("電子決裁件数"), _("決裁件数"), _("電子決裁率")]
        )
        row += 1
        whole = current.whole
        entries = [
            (d.name, d.period_label, d.electronic, d.total, d.rate_text)
            for d in current.departments
        ]
        entries.append(
            (_("全庁"), whole.period_label, whole.numerator, whole.denominator, whole.formatted)
        )
        for name, period, electronic, total, rate in entries:
            form_cell(ws, f"A{row}", name)
            form_cell(ws, f"B{row}", period)
            form_cell(ws, f"C{row}", electronic, horizontal="right", number_format="#,##0")
            form_cell(ws, f"D{row}", total, horizontal="right", number_format="#,##0")
            form_cell(ws, f"E{row}", rate, horizontal="right")
            row += 1
        return row


class ApprovalRolloutSheet(Sheet):
    """電子決裁_導入状況(データ): one department a row."""

    key = "approval_rollout"
    title = "電子決裁_導入状況(データ)"
    order = 56
    permission = "approval.view_measurement"
    HEADER = ("部", "状況", "開始日", "開始予定日", "部をまたがる決裁", "備考", "基準日")

    def write(self, ws, context: WorkbookContext) -> None:
        day = context.as_of.day
        rows = [
            (
                r.name,
                r.status,
                r.actual_start,
                r.planned_start,
                "はい" if r.cross_department else "いいえ",
                r.notes or None,
                day,
            )
            for r in selectors.rollout(context.as_of)
        ]
        data_sheet(ws, self.HEADER, rows, widths=[16, 10, 12, 12, 14, 40, 12])
        setup_page(ws, landscape=True, title_rows="1:1")


COUNT_HEADER = (
    "部", "期間開始", "期間終了", "電子決裁件数", "決裁件数", "電子決裁率", "出典", "備考",
)  # fmt: skip
COUNT_WIDTHS = [16, 12, 12, 12, 12, 12, 24, 40]


def count_sheet_rows(counts):
    """The counts as data-sheet rows: the rate as a ratio (0.669, shown 66.9%), none for a zero
    total; the source in words."""
    labels = dict(FigureSource.choices)
    for name, start, end, electronic, total, source, note in counts:
        rate = selectors.rate_of(electronic, total)
        yield (
            name,
            start,
            end,
            electronic,
            total,
            None if rate is None else float(rate),
            str(labels.get(source, source)),
            note or None,
        )


class ApprovalCountsSheet(Sheet):
    """電子決裁_件数(データ): the counts of the chart's months (the last MONTHS_CHARTED months
    with counts; one department and period a row) with their rate, then the published rates
    (counts empty: only the rate was published). Every count, all years, is the page's
    download (the same columns)."""

    key = "approval_counts"
    title = "電子決裁_件数(データ)"
    order = 57
    permission = "approval.view_measurement"
    RATE_COLUMN = 6

    def write(self, ws, context: WorkbookContext) -> None:
        as_of = context.as_of

        def rows():
            since = selectors.recent_months_start(as_of)
            yield from count_sheet_rows(selectors.count_rows(as_of, since) if since else [])
            for rate in selectors.published_rates(as_of):
                yield (
                    _("全庁"),
                    rate.period_start,
                    rate.period_end,
                    None,
                    None,
                    float(rate.rate) / 100,
                    str(FigureSource.PUBLISHED.label),
                    rate.source,
                )

        data_sheet(ws, COUNT_HEADER, rows(), widths=COUNT_WIDTHS)
        for (cell,) in ws.iter_rows(min_row=2, min_col=self.RATE_COLUMN, max_col=self.RATE_COLUMN):
            if cell.value is not None:
                cell.number_format = PERCENT_FORMAT
        setup_page(ws, landscape=True, title_rows="1:1")
