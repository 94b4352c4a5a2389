"""A stand-in for a future area app: it declares itself and registers its pieces, nothing else.

Installed by a test with ``modify_settings(INSTALLED_APPS=…)``, it must get its URLs, its
navigation entry, its panel, its sheet and its roles without any change to the core.
"""

from core.apps import ProgrammeAppConfig


class RegistryAppConfig(ProgrammeAppConfig):
    default = True
    name = "tests.registry_app"
    label = "registry_app"
    url_prefix = "registry-app"

    def ready(self):
        # Registered explicitly (not by import side effect): the tests install this app
        # several times in one process, and a module is imported only once.
        from core.registry import NavItem, navigation
        from reports.dashboard import register_panel
        from reports.workbook import register_sheet

        from .contributions import ReceptionTestPanel, ReceptionTestSheet

        navigation.register(NavItem("registry_app", "試験の窓口", "registry_app:receptions", 90))
        register_panel(ReceptionTestPanel)
        register_sheet(ReceptionTestSheet)
