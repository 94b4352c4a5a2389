"""The workbook's own sheet: every registered panel's figures with definition and source."""

from core.figures import Figure
from core.spreadsheets import data_sheet, setup_page

from .dashboard import panels
from .workbook import Sheet, WorkbookContext


class FiguresSheet(Sheet):
    key = "figures"
    title = "指標(データ)"
    order = 900

    def visible_to(self, user) -> bool:
        return any(panel.visible_to(user) for panel in panels)

    def write(self, ws, context: WorkbookContext) -> None:
        figures = [
            figure
            for panel in panels
            if context.user is None or panel.visible_to(context.user)
            for figure in panel.figures(context.as_of)
        ]
        data_sheet(
            ws,
            Figure.SHEET_HEADER,
            [figure.sheet_row() for figure in figures],
            widths=[24, 14, 8, 12, 12, 10, 10, 60, 24],
        )
        setup_page(ws, landscape=True, title_rows="1:1")
