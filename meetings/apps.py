from django.utils.translation import gettext_lazy as _

from core.apps import ProgrammeAppConfig, SourceFixture


class MeetingsConfig(ProgrammeAppConfig):
    default = True
    name = "meetings"
    verbose_name = _("会議")
    url_prefix = "meetings"
    source_fixtures = (
        SourceFixture("meeting_2022_11_01.json", "2022-11-24", "会議結果報告書"),
        # Known only from the 2022-11-01 papers: "2022.3.14の行政経営戦略会議資料より変更なし".
        SourceFixture("meeting_2022_03_14.json", "2022-03-14", "2022.3.14 行政経営戦略会議資料"),
    )

    def ready(self):
        from core.registry import NavItem, navigation
        from reports.changes import BaselineSource, baselines, register_change_source
        from reports.dashboard import DateShortcut, date_shortcuts, register_panel
        from reports.workbook import register_sheet

        from . import selectors
        from .changes import MeetingChanges, previous_meeting
        from .panels import CommitmentPanel, MeetingPanel
        from .sheets import AgendaPaperSheet, FollowUpSheet, MeetingReportSheet

        navigation.register(NavItem("meetings", _("会議"), "meetings:list", 30))
        date_shortcuts.register(
            DateShortcut(
                key="meetings",
                label=_("会議の日付"),
                dates=selectors.meeting_dates,
                order=10,
                permission="meetings.view_meeting",
            )
        )
        register_panel(MeetingPanel)
        register_panel(CommitmentPanel)
        register_sheet(MeetingReportSheet)
        register_sheet(AgendaPaperSheet)
        register_sheet(FollowUpSheet)
        register_change_source(MeetingChanges)
        baselines.register(
            BaselineSource("meetings", previous_meeting, permission="meetings.view_meeting")
        )
