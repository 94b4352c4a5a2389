"""The organisation an installation serves: its city, office, brand and the texts its forms print.

Set per installation in ``settings.SEIYO_ORGANISATION`` (read from the environment:
``SEIYO_CITY``, ``SEIYO_BRAND``, ``SEIYO_OFFICE``, ``SEIYO_DEPARTMENT``,
``SEIYO_AGENDA_FORM_NUMBER``); 西予市 is the demo's value. Templates read it as
``organisation`` (the context processor below), code through ``organisation()``: nothing else
writes the city's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Organisation:
    city: str
    brand: str  # the header, the admin and the file names: 西予市DX推進
    office: str  # 政策企画部 政策推進課 情報推進室
    department: str  # the 部課名 a new agenda paper starts with
    agenda_form_number: str  # 様式第2号(第4条関係)

    @property
    def admin_header(self) -> str:
        return _("%(brand)s 管理") % {"brand": self.brand}


def organisation() -> Organisation:
    configured = dict(getattr(settings, "SEIYO_ORGANISATION", {}))
    city = configured.get("city", "")
    return Organisation(
        city=city,
        brand=configured.get("brand") or _("%(city)sDX推進") % {"city": city},
        office=configured.get("office", ""),
        department=configured.get("department", ""),
        agenda_form_number=configured.get("agenda_form_number", ""),
    )


def brand() -> str:
    return organisation().brand


def admin_header() -> str:
    return organisation().admin_header


# For what is set once at start-up (the admin site's titles, an app's name): read when shown.
lazy_brand = lazy(brand, str)
lazy_admin_header = lazy(admin_header, str)


def organisation_context(request) -> dict:
    return {"organisation": organisation()}
