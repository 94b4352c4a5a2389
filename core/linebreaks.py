"""Line breaks stored as ``\\n`` in every text field of the programme's models.

A browser sends a textarea's line breaks as CR LF: saving a change form untouched turned each
multi-line text (a plan, a meeting point) from ``\\n`` to ``\\r\\n``, and the history recorded a
change nobody made (「計画：A B → A B」). Imports already read ``\\n``; this keeps every save so.
"""

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save


def _text_fields(model) -> list:
    return [
        f for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
    ]


def normalise_line_breaks(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # fixtures are loaded as they are
        return
    for field in _text_fields(sender):
        value = getattr(instance, field.attname)
        if isinstance(value, str) and "\r" in value:
            setattr(instance, field.attname, value.replace("\r\n", "\n").replace("\r", "\n"))


def normalise_programme_line_breaks() -> None:
    """Connect the normalisation to every programme model (a new area's too)."""
    for config in apps.get_app_configs():
        if getattr(config, "programme_data", False):
            for model in config.get_models():
                if _text_fields(model):
                    pre_save.connect(
                        normalise_line_breaks,
                        sender=model,
                        dispatch_uid=f"core.linebreaks.{model._meta.label}",
                    )
