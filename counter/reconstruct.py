"""The reconstructed demo rows behind the papers' printed totals (run once; output committed).

The papers (2022-11-01 meeting) give only totals for 2022-05-09 … 2022-10-21 and two charts whose
numbers did not survive: receptions per hour of day (参考1: busiest at 10時台 and 13〜14時台) and the
rate handled at the general counter over time (参考2: rising gradually). This script makes daily
tallies with their hours at 本庁 and daily cashless payments that sum exactly to the printed totals and have those
shapes. It is deterministic (a fixed seed and integer apportionment), so running it again writes
the same files:

    python -m counter.reconstruct        # writes fixtures/counter_demo.json

Every figure computed from these rows is labelled 再構成したデモデータ; the printed totals are kept
beside them as published figures (fixtures/counter.json).

Why fixtures and not a generator run by seed_demo: the rows are small (116 daily tallies with their hours at
本庁, the same again as the all-sites totals, and about 200 payment rows), reviewable, and loaded by the same path as every other
source fixture; the generator stays here only to show how they were made.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

SEED = 20221101
PERIOD = (dt.date(2022, 5, 9), dt.date(2022, 10, 21))
RECEIVED, HANDLED = 13_796, 8_061
# d払い, auPay, PayPay: (payments, yen) as printed.
CASHLESS = {1: (73, 43_900), 2: (42, 13_200), 3: (106, 61_020)}
MAIN_SITE = 1  # 本庁
# National holidays that fall on weekdays in the period (the office is closed).
HOLIDAYS = {dt.date(2022, 7, 18), dt.date(2022, 9, 19), dt.date(2022, 9, 23), dt.date(2022, 10, 10)}
# Office hours 8:30–17:15: receptions start in the 8時台 and end in the 17時台. 参考1's peaks.
HOUR_WEIGHTS = {
    8: 0.35,
    9: 0.95,
    10: 1.45,
    11: 1.05,
    12: 0.55,
    13: 1.35,
    14: 1.3,
    15: 1.0,
    16: 0.8,
    17: 0.2,
}
WEEKDAY_WEIGHTS = {0: 1.25, 1: 1.0, 2: 0.95, 3: 0.95, 4: 1.05}  # Mondays busiest
RATE_START, RATE_END = 0.53, 0.64  # 参考2: rising gradually (rescaled to the exact total)
YEN_STEP = 10  # payments are whole tens of yen
MIN_PAYMENT = 200

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "counter_demo.json"


def apportion(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Integers proportional to ``weights`` summing exactly to ``total`` (largest remainder),
    each at most its cap; ties go to the earlier position, so the result is deterministic."""
    scale = sum(weights)
    shares = [total * w / scale for w in weights]
    result = [int(s) for s in shares]
    if caps is not None:
        result = [min(r, c) for r, c in zip(result, caps, strict=True)]
    left = total - sum(result)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - int(shares[i])), i))
    while left > 0:
        moved = False
        for i in order:
            if left == 0:
                break
            if caps is None or result[i] < caps[i]:
                result[i] += 1
                left -= 1
                moved = True
        if not moved:
            raise ValueError("the caps leave no room for the total")
    return result


def office_days() -> list[dt.date]:
    day, days = PERIOD[0], []
    while day <= PERIOD[1]:
        if day.weekday() < 5 and day not in HOLIDAYS:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def tallies(rng: random.Random) -> list[dict]:
    days = office_days()
    cells = [(day, hour) for day in days for hour in HOUR_WEIGHTS]
    weights = [
        WEEKDAY_WEIGHTS[day.weekday()] * HOUR_WEIGHTS[hour] * rng.uniform(0.75, 1.25)
        for day, hour in cells
    ]
    received = apportion(RECEIVED, weights)
    span = (PERIOD[1] - PERIOD[0]).days
    rates = [
        (RATE_START + (RATE_END - RATE_START) * (day - PERIOD[0]).days / span)
        * rng.uniform(0.9, 1.1)
        for day, _hour in cells
    ]
    handled = apportion(HANDLED, [r * n for r, n in zip(rates, received, strict=True)], received)
    by_day: dict[dt.date, dict] = {}
    for (day, hour), n, h in zip(cells, received, handled, strict=True):
        fields = by_day.setdefault(
            day,
            {"site": MAIN_SITE, "day": day.isoformat(), "received": 0, "handled": 0,
             "origin": "reconstructed"},
        )  # fmt: skip
        fields["received"] += n
        fields["handled"] += h
        fields[f"r{hour:02d}"] = n
        fields[f"h{hour:02d}"] = h
    rows = []
    for site in (MAIN_SITE, None):  # 本庁, then the all-sites totals (the same: the only site open)
        for fields in by_day.values():
            rows.append(
                {
                    "model": "counter.receptiontally",
                    "pk": len(rows) + 1,
                    "fields": {**fields, "site": site},
                }
            )
    return rows


def payments(rng: random.Random) -> list[dict]:
    days = office_days()
    rows = []
    for method, (count, yen) in CASHLESS.items():
        # Each payment on a day drawn at random (later days a little likelier: use grew).
        day_weights = [1 + i / len(days) for i in range(len(days))]
        on_day = rng.choices(range(len(days)), weights=day_weights, k=count)
        units = apportion(
            yen // YEN_STEP - count * MIN_PAYMENT // YEN_STEP,
            [rng.choice((0.2, 0.5, 1, 1, 2, 3)) for _ in range(count)],
        )
        per_day: dict[int, list[int]] = {}
        for index, unit in zip(on_day, units, strict=True):
            per_day.setdefault(index, []).append(MIN_PAYMENT + unit * YEN_STEP)
        for index in sorted(per_day):
            rows.append(
                {
                    "model": "counter.cashlesspayment",
                    "pk": len(rows) + 1,
                    "fields": {
                        "site": MAIN_SITE,
                        "paid_on": days[index].isoformat(),
                        "method": method,
                        "purpose": "fee",
                        "count": len(per_day[index]),
                        "amount": sum(per_day[index]),
                        "origin": "reconstructed",
                    },
                }
            )
    return rows


def build() -> list[dict]:
    rng = random.Random(SEED)
    return tallies(rng) + payments(rng)


def main() -> None:
    rows = build()
    FIXTURE.write_text(
        "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n",
        encoding="utf-8",
    )
    print(f"{FIXTURE}: {len(rows)} rows")


if __name__ == "__main__":
    main()
