from django.utils.translation import gettext_lazy as _

from core.apps import ProgrammeAppConfig, SourceFixture


class CounterConfig(ProgrammeAppConfig):
    default = True
    name = "counter"
    verbose_name = _("総合窓口・キャッシュレス決済")
    url_prefix = "counter"
    source_fixtures = (
        # Sites, services, methods, requests, plans and the printed totals of the papers.
        SourceFixture("counter.json", "2022-10-24", "2022.11.1 会議資料（総合窓口）"),
        # Reconstructed demo rows behind the printed totals (counter/reconstruct.py).
        SourceFixture("counter_demo.json", "2022-10-24", "再構成したデモデータ"),
    )

    def ready(self):
        from core.registry import NavItem, navigation
        from reports.changes import register_change_source
        from reports.dashboard import register_panel
        from reports.workbook import register_sheet

        from .changes import CounterPlanChanges, CounterRequestChanges
        from .panels import CounterPanel
        from .sheets import CashlessDataSheet, CounterDataSheet, CounterFormSheet

        navigation.register(NavItem("counter", _("総合窓口"), "counter:summary", 40))
        register_panel(CounterPanel)
        register_sheet(CounterFormSheet)
        register_sheet(CounterDataSheet)
        register_sheet(CashlessDataSheet)
        register_change_source(CounterRequestChanges)
        register_change_source(CounterPlanChanges)
