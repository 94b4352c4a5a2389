from django.utils.translation import gettext_lazy as _

from core.apps import ProgrammeAppConfig, SourceFixture


class PbxConfig(ProgrammeAppConfig):
    default = True
    name = "pbx"
    verbose_name = _("クラウドPBX")
    url_prefix = "pbx"
    source_fixtures = (
        # The contract (R04.2.25) and each site's first planned go-live date. The papers give
        # no date for the first plans: they are recorded from the contract's date.
        SourceFixture("pbx_contract.json", "2022-02-25", "クラウドPBX 契約（R04.2.25）・当初予定"),
        # The revisions the 2022.11.1 papers list "as of 10/24" (no decision dates given).
        SourceFixture("pbx_revisions.json", "2022-10-24", "2022.11.1 会議資料（10/24時点）"),
    )

    def ready(self):
        from core.registry import NavItem, navigation
        from reports.changes import register_change_source
        from reports.dashboard import register_panel
        from reports.workbook import register_sheet

        from .changes import PbxChanges
        from .panels import PbxPanel
        from .sheets import PbxFormSheet, PbxRevisionDataSheet, PbxSiteDataSheet

        navigation.register(NavItem("pbx", _("クラウドPBX"), "pbx:rollout", 40))
        register_panel(PbxPanel)
        register_sheet(PbxFormSheet)
        register_sheet(PbxSiteDataSheet)
        register_sheet(PbxRevisionDataSheet)
        register_change_source(PbxChanges)
