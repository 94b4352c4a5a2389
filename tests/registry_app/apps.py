"""A stand-in for a future area app: it contributes a panel and a sheet, and nothing else."""

from django.apps import AppConfig


class RegistryAppConfig(AppConfig):
    name = "tests.registry_app"
    label = "registry_app"

    def ready(self):
        # Registered explicitly (not by import side effect): the tests install this app
        # several times in one process, and a module is imported only once.
        from seiyo_dx.dashboard import panels
        from seiyo_dx.workbook import sheets

        from .contributions import ReceptionTestPanel, ReceptionTestSheet

        panels.register(ReceptionTestPanel())
        sheets.register(ReceptionTestSheet())
