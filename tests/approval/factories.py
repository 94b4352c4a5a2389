"""Test data for e-approval: departments and monthly counts (never the source papers' figures:
the papers give only the published whole-office rate, 66.9%, and no counts)."""

from __future__ import annotations

import datetime as dt

from approval.models import Department, Measurement, end_of_month

OCTOBER = dt.date(2022, 10, 1)


def department(name: str, start: dt.date | None = OCTOBER, order: int = 0) -> Department:
    return Department.objects.create(
        name=name, order=order, planned_start=start, actual_start=start, cross_department=True
    )


def count(dep: Department, month: dt.date, electronic: int, total: int, **fields) -> Measurement:
    fields.setdefault("period_end", end_of_month(month))
    return Measurement.objects.create(
        department=dep, period_start=month, electronic=electronic, total=total, **fields
    )


def month_after(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)
