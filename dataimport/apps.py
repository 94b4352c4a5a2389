from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataImportConfig(AppConfig):
    """Spreadsheet imports: parse, validate, preview, apply all or nothing; their audit."""

    name = "dataimport"
    verbose_name = _("Excel・CSV取込")
    default_auto_field = "django.db.models.BigAutoField"
