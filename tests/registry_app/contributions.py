from core.figures import Figure, FigureSource
from reports.dashboard import AsOf, Panel
from reports.workbook import Sheet, WorkbookContext


def reception_figure(as_of: AsOf) -> Figure:
    return Figure(
        key="registry_app.receptions",
        label="試験の受付件数",
        value=1234,
        unit="件",
        definition="試験用のアプリが登録した指標。",
        source=FigureSource.RECONSTRUCTED,
        period_end=as_of.day,
    )


class ReceptionTestPanel(Panel):
    key = "registry_app"
    title = "試験のパネル"
    order = 50
    template_name = "registry_app/panel.html"

    def figures(self, as_of):
        return [reception_figure(as_of)]

    def get_context(self, as_of):
        return {"figures": self.figures(as_of), "day": as_of.day}


class ReceptionTestSheet(Sheet):
    key = "registry_app"
    title = "試験のシート"
    order = 35

    def write(self, ws, context: WorkbookContext) -> None:
        ws["A1"] = "試験のシート"
        ws["B1"] = context.as_of.day
