from django.utils.translation import gettext_lazy as _

from core.apps import ProgrammeAppConfig, SourceFixture


class ProjectsConfig(ProgrammeAppConfig):
    default = True
    name = "projects"
    verbose_name = _("DX推進スケジュール")
    url_prefix = "schedule"
    source_fixtures = (
        # The papers: "全体のスケジュール（2022.3.14の行政経営戦略会議資料より変更なし）".
        SourceFixture("schedule.json", "2022-03-14", "2022.3.14 行政経営戦略会議資料"),
        SourceFixture("initiatives.json", "2022-10-24", "2022.11.1 会議資料（10/24時点）"),
        # Its own file: an installation loaded before the specialists were modelled gets them.
        SourceFixture("specialists.json", "2022-10-24", "2022.11.1 会議資料（10/24時点）"),
    )

    def ready(self):
        from core.registry import NavItem, navigation
        from reports.changes import register_change_source
        from reports.dashboard import register_panel
        from reports.workbook import register_sheet

        from .changes import ScheduleChanges
        from .panels import SchedulePanel
        from .sheets import (
            ScheduleConcernsDataSheet,
            ScheduleDataSheet,
            ScheduleFormSheet,
            SchedulePlansDataSheet,
        )

        navigation.register(NavItem("schedule", _("全体のスケジュール"), "projects:schedule", 10))
        navigation.register(NavItem("initiatives", _("その他の取組"), "projects:initiatives", 20))
        register_panel(SchedulePanel)
        register_sheet(ScheduleFormSheet)
        register_sheet(ScheduleDataSheet)
        register_sheet(SchedulePlansDataSheet)
        register_sheet(ScheduleConcernsDataSheet)
        register_change_source(ScheduleChanges)
