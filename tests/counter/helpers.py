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
    """A daily tally (with its hours) for every site on ``days`` consecutive days from ``start``."""
    rows = []
    for site in sites:
        for d in range(days):
            hours = {h: 5 + (d + h) % 7 for h in range(8, 18)}
            done = {h: 3 + (d + h) % 3 for h in range(8, 18)}
            rows.append(
                ReceptionTally(
                    site=site,
                    day=start + dt.timedelta(days=d),
                    received=sum(hours.values()),
                    handled=sum(done.values()),
                    **{f"r{h:02d}": n for h, n in hours.items()},
                    **{f"h{h:02d}": n for h, n in done.items()},
                )
            )
    ReceptionTally.objects.bulk_create(rows, batch_size=500)
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
