"""More of the seat plan than the papers have: for the query-count tests and the benchmark."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from .models import Building, Floor, SeatPlan, Section

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def generate(buildings: int, floors: int, sections: int, years: tuple[int, ...] = (2023,)) -> int:
    """Add ``buildings`` × ``floors`` × ``sections`` sections with a plan per year (and their
    history, dated 2022-11-01 09:30); returns the number of plans added."""
    first = (Building.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    new_buildings = Building.objects.bulk_create(
        Building(name=f"別館{first + b}", order=first + b, floor_count=floors, named_in_print=True)
        for b in range(buildings)
    )
    new_floors = Floor.objects.bulk_create(
        Floor(building=building, number=n + 1) for building in new_buildings for n in range(floors)
    )
    new_sections = Section.objects.bulk_create(
        Section(floor=floor, name=f"課{s + 1}", order=s + 1)
        for floor in new_floors
        for s in range(sections)
    )
    plans = SeatPlan.objects.bulk_create(
        SeatPlan(
            section=section,
            fiscal_year=year,
            staff_current=10 + i % 7,
            parttime_current=i % 3,
            staff_planned=11 + i % 5,
            parttime_planned=i % 2,
            seats_secured=14 + i % 4,
            seats_needed=12 + i % 6,
            printed_balance=None if i % 5 else 2,
        )
        for i, section in enumerate(new_sections)
        for year in years
    )
    when = dt.datetime(2022, 11, 1, 9, 30, tzinfo=TOKYO)
    for model, rows in (
        (Building, new_buildings),
        (Floor, new_floors),
        (Section, new_sections),
        (SeatPlan, plans),
    ):
        model.history.bulk_history_create(rows, default_date=when, batch_size=500)
    return len(plans)
