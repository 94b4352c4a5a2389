from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The dashboard and the meeting workbook, composed from what the areas register."""

    name = "reports"
    verbose_name = _("ダッシュボードと会議資料")

    def ready(self):
        from .sheets import ChangesDataSheet, ChangesFormSheet, FiguresSheet
        from .workbook import register_sheet

        register_sheet(ChangesFormSheet)
        register_sheet(ChangesDataSheet)
        register_sheet(FiguresSheet)
