"""Validators every programme model gets at start-up, whatever app it comes from.

- No control characters in text: a vertical tab (U+000B) saved once made every .xlsx export
  fail for everyone. Tab, line feed and carriage return are text (a textarea sends CR LF);
  U+0000–U+001F otherwise and U+007F are not.
- Integers within what the column holds on every supported database: SQLite stores any 64-bit
  integer in a small-integer column, so ``order=70000`` was accepted there and then blocked a
  move to PostgreSQL (smallint: up to 32,767); 2**63 fits no column anywhere.
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext_lazy as _

from .japanese import number

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


# The column ranges of PostgreSQL (Django's portable ones): the narrowest of the databases the
# app runs on, so data valid on SQLite moves to PostgreSQL.
PORTABLE_INTEGER_RANGES = BaseDatabaseOperations.integer_field_ranges


class ColumnMinValueValidator(MinValueValidator):
    message = _("この欄に保存できるのは%(limit)s以上の数です。")

    def __call__(self, value):
        if isinstance(value, int) and self.compare(value, self.limit_value):
            raise ValidationError(
                self.message, code=self.code, params={"limit": number(self.limit_value)}
            )


class ColumnMaxValueValidator(MaxValueValidator):
    message = _("この欄に保存できるのは%(limit)s以下の数です。")

    def __call__(self, value):
        if isinstance(value, int) and self.compare(value, self.limit_value):
            raise ValidationError(
                self.message, code=self.code, params={"limit": number(self.limit_value)}
            )


def column_range(field: models.Field) -> tuple[int, int] | None:
    """The range an integer field's column holds on every supported database."""
    if not isinstance(field, models.IntegerField) or isinstance(field, models.AutoField):
        return None
    return PORTABLE_INTEGER_RANGES.get(field.get_internal_type())


def guard_integer_fields() -> None:
    """Give every integer field of the programme's models the portable range of its column.

    Replaces Django's range validators, which follow the connected database (on SQLite any
    64-bit integer); a validator declared on the field that is stricter is kept and suffices.
    """
    for config in apps.get_app_configs():
        if not getattr(config, "programme_data", False):
            continue
        for model in config.get_models():
            for field in model._meta.concrete_fields:
                bounds = column_range(field)
                if bounds is None:
                    continue
                low, high = bounds
                declared = [*field.default_validators, *field._validators]
                guards = []
                if not any(isinstance(v, MinValueValidator) and _limit(v) >= low for v in declared):
                    guards.append(ColumnMinValueValidator(low))
                if not any(
                    isinstance(v, MaxValueValidator) and _limit(v) <= high for v in declared
                ):
                    guards.append(ColumnMaxValueValidator(high))
                field.__dict__["validators"] = [*declared, *guards]
                if "formfield" not in field.__dict__:
                    field.formfield = _bounded_formfield(field.formfield, low, high)


def _bounded_formfield(formfield, low: int, high: int):
    """The form field with the column's range: ``min``/``max`` in the page, and the same
    Japanese message as the model (Django's own form range follows the connected database)."""

    def bounded(**kwargs):
        form_field = formfield(**kwargs)
        if form_field is None or not hasattr(form_field, "max_value"):
            return form_field
        form_field.min_value = (
            low if form_field.min_value is None else max(form_field.min_value, low)
        )
        form_field.max_value = (
            high if form_field.max_value is None else min(form_field.max_value, high)
        )
        kept = [
            v
            for v in form_field.validators
            if not isinstance(v, MinValueValidator | MaxValueValidator)
            or isinstance(v, ColumnMinValueValidator | ColumnMaxValueValidator)
        ]
        form_field.validators = [
            *kept,
            ColumnMinValueValidator(form_field.min_value),
            ColumnMaxValueValidator(form_field.max_value),
        ]
        form_field.widget.attrs.update(form_field.widget_attrs(form_field.widget))
        return form_field

    return bounded


def _limit(validator) -> int | float:
    limit = validator.limit_value
    return limit() if callable(limit) else limit
