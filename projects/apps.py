from django.utils.translation import gettext_lazy as _

from seiyo_dx.apps import ProgrammeAppConfig, SourceFixture


class ProjectsConfig(ProgrammeAppConfig):
    default = True
    name = "projects"
    verbose_name = _("DX推進スケジュール")
    source_fixtures = (
        # The papers: "全体のスケジュール（2022.3.14の行政経営戦略会議資料より変更なし）".
        SourceFixture("schedule.json", "2022-03-14", "2022.3.14 行政経営戦略会議資料"),
        SourceFixture("initiatives.json", "2022-10-24", "2022.11.1 会議資料（10/24時点）"),
    )

    def ready(self):
        from seiyo_dx.registry import NavItem, navigation

        from . import panels, sheets  # noqa: F401  (they register themselves)

        navigation.register(NavItem("schedule", _("全体のスケジュール"), "projects:schedule", 10))
        navigation.register(NavItem("initiatives", _("その他の取組"), "projects:initiatives", 20))
