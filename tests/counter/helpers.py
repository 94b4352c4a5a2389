"""Making more counter data than the fixtures: hourly tallies and payments at other sites/days."""

import datetime as dt

from counter.models import CashlessPayment, PaymentMethod, ReceptionTally, Site, SiteKind


def more_sites(count: int) -> list[Site]:
    return Site.objects.bulk_create(
        Site(
            name=f"試験支所{i}",
            kind=SiteKind.BRANCH,
            counter_opened_on=dt.date(2020, 4, 1),
            order=100 + i,
        )
        for i in range(count)
    )


def more_tallies(sites: list[Site], days: int, start=dt.date(2022, 4, 1)) -> int:
    """Hourly tallies for every site on ``days`` consecutive days from ``start``."""
    rows = [
        ReceptionTally(
            site=site,
            day=start + dt.timedelta(days=d),
            hour=hour,
            received=5 + (d + hour) % 7,
            handled=3 + (d + hour) % 3,
        )
        for site in sites
        for d in range(days)
        for hour in range(8, 18)
    ]
    ReceptionTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def more_payments(sites: list[Site], days: int, start=dt.date(2022, 4, 1)) -> None:
    methods = list(PaymentMethod.objects.all())
    CashlessPayment.objects.bulk_create(
        [
            CashlessPayment(
                site=site,
                paid_on=start + dt.timedelta(days=d),
                method=method,
                count=2,
                amount=600,
            )
            for site in sites
            for d in range(days)
            for method in methods
        ],
        batch_size=2000,
    )
