from django.utils.translation import gettext_lazy as _

from seiyo_dx.apps import ProgrammeAppConfig, SourceFixture


class MeetingsConfig(ProgrammeAppConfig):
    default = True
    name = "meetings"
    verbose_name = _("会議")
    source_fixtures = (SourceFixture("meeting_2022_11_01.json", "2022-11-24", "会議結果報告書"),)

    def ready(self):
        from seiyo_dx.dashboard import DateShortcut, date_shortcuts
        from seiyo_dx.registry import NavItem, navigation

        from . import panels, selectors, sheets  # noqa: F401

        navigation.register(NavItem("meetings", _("会議"), "meetings:list", 30))
        date_shortcuts.register(
            DateShortcut(
                key="meetings", label=_("会議の日付"), dates=selectors.meeting_dates, order=10
            )
        )
