"""One validator for every text a person types: no control characters.

A vertical tab (U+000B) saved once made every .xlsx export fail for everyone. Tab, line feed and
carriage return are text (a textarea sends CR LF); U+0000–U+001F otherwise and U+007F are not.
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value) -> None:
    if isinstance(value, str):
        found = CONTROL_CHARACTERS.search(value)
        if found:
            raise ValidationError(
                _("見えない制御文字（U+%(code)04X）が含まれています。入力し直してください。"),
                code="control_character",
                params={"code": ord(found.group())},
            )


def guard_text_fields() -> None:
    """Add the validator to every text field of the programme's models (forms, admin, clean).

    Set on the field's validator list at start-up, not in its declaration, so migrations do not
    change; a new area's models get it with nothing to write.
    """
    for config in apps.get_app_configs():
        if not getattr(config, "programme_data", False):
            continue
        for model in config.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField):
                    if no_control_characters not in field.validators:
                        field.__dict__["validators"] = [*field.validators, no_control_characters]
