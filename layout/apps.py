from django.utils.translation import gettext_lazy as _

from core.apps import ProgrammeAppConfig, SourceFixture


class LayoutConfig(ProgrammeAppConfig):
    default = True
    name = "layout"
    verbose_name = _("座席計画（レイアウト）")
    url_prefix = "layout"
    source_fixtures = (
        # 「組織改革を反映したレイアウト変更について」, the 2022-11-01 meeting's papers.
        SourceFixture("layout.json", "2022-11-01", "2022.11.1 会議資料（レイアウト変更）"),
    )

    def ready(self):
        from core.registry import NavItem, navigation
        from reports.changes import register_change_source
        from reports.dashboard import register_panel
        from reports.workbook import register_sheet

        from .changes import LayoutChanges
        from .panels import LayoutPanel
        from .sheets import LayoutDataSheet, LayoutFormSheet

        navigation.register(NavItem("layout", _("座席計画"), "layout:table", 40))
        register_panel(LayoutPanel)
        register_sheet(LayoutFormSheet)
        register_sheet(LayoutDataSheet)
        register_change_source(LayoutChanges)
