"""The counter's workbook sheets: a form laid out like the papers' 総合窓口 pages (with the
charts' numbers as tables), and data sheets by the ministry's rules (one header row, one value
per cell, numbers as numbers, Western dates).

The period is the fiscal year up to the workbook's date (as on the dashboard), or the one given
by the download's options ``counter_start``/``counter_end``/``counter_site``.
"""

from __future__ import annotations

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.figures import Figure
from core.formsheet import outline, row_height
from core.japanese import fiscal_year_label, number, percent, wareki
from core.spreadsheets import MEDIUM, data_sheet, form_cell, set_widths, setup_page
from reports.workbook import Sheet, WorkbookContext

from . import selectors
from .models import CashlessPayment, DataOrigin, Handling, ReceptionTally, Service
from .selectors import HANDLED, RECEIVED, CounterFilter

WIDTHS = (22, 14, 14, 14, 14, 14)
LAST = "F"
FULL_WIDTH = sum(WIDTHS)


class CounterSheet(Sheet):
    permission = "counter.view_receptiontally"
    options = {
        "counter_start": forms.DateField(required=False),
        "counter_end": forms.DateField(required=False),
        "counter_site": forms.IntegerField(required=False, min_value=1),
    }

    def period(self, context: WorkbookContext) -> CounterFilter:
        default = CounterFilter.fiscal_year_to(context.as_of.day)
        start = context.options.get("counter_start") or default.start
        end = context.options.get("counter_end") or default.end
        if start > end:
            start, end = default.start, default.end
        return CounterFilter(start, end, context.options.get("counter_site"))


def _text(ws, row: int, value: str, *, bold=False, size=11, border=False, height=None):
    form_cell(ws, f"A{row}:{LAST}{row}", value, bold=bold, size=size, border=border)
    ws.row_dimensions[row].height = height or row_height(value, FULL_WIDTH - 2, minimum=20)
    return row + 1


def _table(ws, row: int, header: list[str], rows: list[list], widths=None) -> int:
    """A bordered table in columns A… (the first column a label, the others numbers)."""
    top = row
    for column, title in enumerate(header):
        cell = f"{chr(65 + column)}{row}"
        form_cell(ws, cell, title, bold=True, horizontal="center")
    # A header that names its source (集計値（再構成したデモデータ）) wraps: the row fits it.
    ws.row_dimensions[row].height = max(
        row_height(str(title), WIDTHS[column] - 1, minimum=20)
        for column, title in enumerate(header)
    )
    row += 1
    for values in rows:
        for column, value in enumerate(values):
            cell = f"{chr(65 + column)}{row}"
            form_cell(ws, cell, value, horizontal="left" if column == 0 else "right")
        row += 1
    outline(ws, f"A{top}:{chr(64 + len(header))}{row - 1}", MEDIUM)
    return row + 1


def _figure_row(counted: Figure, published: Figure | None) -> list:
    return [
        counted.label,
        counted.display,
        published.display if published else "",
    ]


class CounterFormSheet(CounterSheet):
    key = "counter_form"
    title = "総合窓口"
    order = 40

    def write(self, ws, context: WorkbookContext) -> None:
        as_of, f = context.as_of, self.period(context)
        setup_page(ws)
        set_widths(ws, WIDTHS)
        ws.sheet_view.showGridLines = False
        row = _text(ws, 1, _("総合窓口・キャッシュレス決済"), bold=True, size=16, height=32)
        sites = selectors.site_list(as_of)
        where = selectors.site_names(as_of).get(f.site_id) or _("すべての場所")
        row = _text(
            ws,
            row + 1,
            _("期間：%(start)s～%(end)s　場所：%(site)s　（%(date)s時点）")
            % {
                "start": wareki(f.start),
                "end": wareki(f.until(as_of)),
                "site": where,
                "date": as_of.label,
            },
        )

        services = list(as_of.rows(Service).order_by("order", "id"))
        general = "、".join(s.name for s in services if s.handling == Handling.GENERAL)
        individual = "、".join(s.name for s in services if s.handling == Handling.INDIVIDUAL)
        row = _text(ws, row + 1, _("■ 取扱業務"), bold=True)
        row = _text(ws, row, _("総合窓口：%(names)s") % {"names": general})
        row = _text(ws, row, _("個別窓口：%(names)s") % {"names": individual})
        opened = sorted((s for s in sites if s.opened_on), key=lambda s: (s.opened_on, s.order))
        for each in opened:
            row = _text(
                ws,
                row,
                _("%(site)s 総合窓口開設：%(date)s")
                % {"site": each.name, "date": wareki(each.opened_on)},
            )

        figures = selectors.reception_figures(as_of, f)
        cashless = selectors.cashless(as_of, f)
        published = {
            fig.key.removeprefix("counter_published_"): fig
            for fig in selectors.published_figures(as_of)
        }
        # Each column names where its figures come from (the paper has no footnote for it):
        # the counted figures' source (再構成したデモデータ for the fixtures), the paper's.
        row = _text(ws, row + 1, _("■ 受付の実績"), bold=True)
        row = _table(
            ws,
            row,
            [
                _("指標"),
                _("集計値（%(source)s）") % {"source": figures[0].source.label},
                _("公表値（令和4年11月1日会議資料、%(start)s～%(end)s）")
                % {
                    "start": wareki(selectors.SOURCE_PERIOD[0]),
                    "end": wareki(selectors.SOURCE_PERIOD[1]),
                },
            ],
            [
                _figure_row(figures[0], published.get("received")),
                _figure_row(figures[1], published.get("handled")),
                _figure_row(figures[2], published.get("rate")),
            ],
        )

        row = _text(ws, row + 1, _("■ キャッシュレス決済"), bold=True)
        row = _table(
            ws,
            row,
            [_("決済手段"), _("件数"), _("金額（円）")],
            [[m.name, number(m.count), number(m.amount)] for m in cashless.methods]
            + [[_("合計"), number(cashless.count), number(cashless.amount)]],
        )

        hours = selectors.by_hour(as_of, f)
        busiest = "、".join(b.label for b in selectors.busiest_hours(hours))
        row = _text(
            ws,
            row,
            _("■ 参考1 時間帯別の受付件数（多い時間帯：%(hours)s）") % {"hours": busiest or "-"},
            bold=True,
        )
        row = _table(
            ws,
            row,
            [_("時間帯"), _("総合受付件数"), _("うち総合窓口"), _("受付率")],
            [[b.label, number(b.received), number(b.handled), percent(b.rate)] for b in hours],
        )
        row = _text(ws, row, _("■ 参考2 月ごとの受付率（件数の合計どうしの比）"), bold=True)
        row = _table(
            ws,
            row,
            [_("月"), _("総合受付件数"), _("うち総合窓口"), _("受付率")],
            [
                [b.label, number(b.received), number(b.handled), percent(b.rate)]
                for b in selectors.rate_by_month(as_of, f)
            ],
        )

        row = _text(ws, row, _("■ 各課からの要望"), bold=True)
        for request in selectors.requests(as_of)[:50]:
            row = _text(
                ws, row, f"・{request.text} → {request.get_state_display()}（{request.response}）"
            )
        row = _text(ws, row + 1, _("■ 今後の展開"), bold=True)
        for plan in selectors.plans(as_of)[:50]:
            place = plan.site_name
            row = _text(
                ws,
                row,
                f"・{fiscal_year_label(plan.fiscal_year)} {place} {plan.title}（{plan.get_state_display()}）",
            )
        ws.print_area = f"A1:{LAST}{row}"


class CounterDataSheet(CounterSheet):
    """Receptions per day and site: 日付, 窓口, counts and the rate (a number, 0.0% format)."""

    key = "counter_data"
    title = "総合窓口(データ)"
    order = 41
    HEADER = ("日付", "窓口の場所", "総合受付件数", "うち総合窓口での処理件数", "受付率", "出典")

    def write(self, ws, context: WorkbookContext) -> None:
        as_of, f = context.as_of, self.period(context)
        rows = (
            ReceptionTally.objects.filter(day__gte=f.start, day__lte=f.until(as_of))
            .filter(**({"site_id": f.site_id} if f.site_id else {"site__isnull": False}))
            .values("day", "site__order", "site_id")
            .annotate(
                r=RECEIVED, h=HANDLED, demo=Count("pk", filter=Q(origin=DataOrigin.RECONSTRUCTED))
            )
            .order_by("day", "site__order", "site_id")
        )
        labels = dict(DataOrigin.choices)
        names = selectors.site_names(as_of)  # the sites' names as of the day

        def lines():
            for row in rows.iterator(chunk_size=2000):
                origin = DataOrigin.RECONSTRUCTED if row["demo"] else DataOrigin.SYSTEM
                yield (
                    row["day"],
                    names.get(row["site_id"], ""),
                    row["r"],
                    row["h"],
                    row["h"] / row["r"] if row["r"] else None,
                    str(labels[origin]),
                )

        data_sheet(ws, self.HEADER, lines(), widths=[12, 16, 14, 22, 10, 22])
        for cell in ws["E"][1:]:
            cell.number_format = "0.0%"
        setup_page(ws, landscape=True, title_rows="1:1")


class CashlessDataSheet(CounterSheet):
    key = "counter_cashless_data"
    title = "キャッシュレス決済(データ)"
    order = 42
    HEADER = ("決済日", "窓口の場所", "決済手段", "支払の内容", "件数", "金額（円）", "出典")

    def write(self, ws, context: WorkbookContext) -> None:
        as_of, f = context.as_of, self.period(context)
        rows = CashlessPayment.objects.filter(paid_on__gte=f.start, paid_on__lte=f.until(as_of))
        if f.site_id:
            rows = rows.filter(site_id=f.site_id)
        names = selectors.site_names(as_of)
        rows = rows.select_related("method").order_by("paid_on", "site__order", "method__order")
        data_sheet(
            ws,
            self.HEADER,
            (
                (
                    p.paid_on,
                    names.get(p.site_id, ""),
                    p.method.name,
                    p.get_purpose_display(),
                    p.count,
                    p.amount,
                    p.get_origin_display(),
                )
                for p in rows.iterator(chunk_size=2000)
            ),
            widths=[12, 16, 14, 12, 8, 12, 22],
        )
        setup_page(ws, landscape=True, title_rows="1:1")
