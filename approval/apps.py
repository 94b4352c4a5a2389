from django.utils.translation import gettext_lazy as _

from core.apps import ProgrammeAppConfig, SourceFixture


class ApprovalConfig(ProgrammeAppConfig):
    default = True
    name = "approval"
    verbose_name = _("電子決裁")
    url_prefix = "approval"
    source_fixtures = (
        # The papers of the 2022-11-01 meeting, page 電子決裁について (slides dated 2022/11/1).
        SourceFixture("approval.json", "2022-11-01", "2022.11.1 会議資料「電子決裁について」"),
    )

    def ready(self):
        from core.registry import NavItem, navigation
        from reports.changes import register_change_source
        from reports.dashboard import register_panel
        from reports.workbook import register_sheet

        from .changes import ApprovalChanges, ApprovalPlanChanges
        from .panels import ApprovalPanel
        from .sheets import ApprovalCountsSheet, ApprovalFormSheet, ApprovalRolloutSheet

        navigation.register(NavItem("approval", _("電子決裁"), "approval:page", 40))
        register_panel(ApprovalPanel)
        register_sheet(ApprovalFormSheet)
        register_sheet(ApprovalRolloutSheet)
        register_sheet(ApprovalCountsSheet)
        register_change_source(ApprovalChanges)
        register_change_source(ApprovalPlanChanges)
