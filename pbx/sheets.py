"""The rollout in the meeting workbook: a form like the papers' 「クラウドPBXについて」 page, a
data sheet of the sites and one of the revisions (one value per cell, dates as dates)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.formsheet import bullets, fitting_width, row_height
from core.japanese import EMPTY, wareki, wareki_abbr
from core.spreadsheets import data_sheet, form_cell, set_widths, setup_page
from reports.workbook import Sheet, WorkbookContext

from . import selectors
from .models import Porting

FORM_WIDTHS = (14, 12, 26, 22, 14, 12)
FULL = "A{row}:F{row}"
DATE_FORMAT = "yyyy-mm-dd"


def story_text(row: selectors.SiteRow) -> str:
    """本庁 当初10/17→10/24→未定（番ポ申請中）: the line of the papers, from the data.

    A long chain (``with_last_steps``) is printed as the papers would: the first plan, how
    many changes are left out, the last few (当初10/17→（ほか47回変更）→11/1→11/5→未定)."""
    labels = [label for label, _superseded in row.story]
    text = f"{row.name} 当初" + "→".join(labels)
    if row.state == selectors.State.LIVE:
        text += f" {selectors.short_date(row.went_live_on)}運用開始"
        if row.went_live_on == row.first_planned_on and not row.revision_count:
            text += _("（予定どおり）")
    elif not row.revision_count:
        text += _(" 予定どおり")
    if row.porting == Porting.APPLIED:
        text += _("（番ポ申請中）")
    elif row.porting:
        text += _("（番ポ%(state)s）") % {"state": row.porting_label}
    if row.note:
        text += f"（{row.note}）"
    return text


class PbxFormSheet(Sheet):
    key = "pbx_form"
    title = "クラウドPBX"
    order = 50
    permission = "pbx.view_site"

    def write(self, ws, context: WorkbookContext) -> None:
        as_of = context.as_of
        setup_page(ws)
        contract = selectors.contract_as_of(as_of)
        # Every site, each with its chain bounded as the papers print it: the query count and
        # the size of the sheet do not grow with the number of revisions.
        rows = selectors.with_last_steps(list(selectors.site_rows(as_of)), as_of.day)
        header = (
            _("施設"),
            _("当初予定"),
            _("変更の経過"),
            _("状況"),
            _("番号ポータビリティ"),
            _("遅れ"),
        )
        table = [
            (
                site.name,
                selectors.short_date(site.first_planned_on),
                " → ".join(label for label, _superseded in site.story),
                site.state_label,
                site.porting_label or EMPTY,
                site.slip_label,
            )
            for site in rows
        ]
        # Every column but the chain of changes on one line: no 番号ポータビリテ／ィ.
        widths = [
            minimum
            if column == 2
            else fitting_width([header[column], *(r[column] for r in table)], minimum)
            for column, minimum in enumerate(FORM_WIDTHS)
        ]
        set_widths(ws, widths)
        title = _("クラウドPBXについて（%(date)s時点）") % {"date": as_of.label}
        form_cell(ws, FULL.format(row=1), title, bold=True, size=14, border=False, wrap=False)
        row = 2
        width = sum(widths)

        def section(heading: str, lines: list[str]) -> None:
            nonlocal row
            form_cell(ws, FULL.format(row=row), f"○{heading}", bold=True, border=False)
            row += 1
            text = bullets(lines) if lines else _("（記載なし）")
            form_cell(ws, FULL.format(row=row), text, vertical="top", border=False)
            ws.row_dimensions[row].height = row_height(text, width, minimum=18)
            row += 1

        if contract is not None:
            section(_("当初の計画"), _lines(contract.original_plan))
            revised = _lines(contract.revised_plan) or [
                _("%(signed)s付けで契約を締結（履行期限 %(due)s）")
                % {"signed": wareki_abbr(contract.signed_on), "due": wareki(contract.due_on)}
            ]
            section(_("変更後の計画"), revised)
        section(_("現状"), [story_text(site) for site in rows])

        row += 1
        for column, text in enumerate(header, start=1):
            form_cell(ws, ws.cell(row, column).coordinate, text, bold=True, horizontal="center")
        ws.print_title_rows = f"{row}:{row}"
        for site, values in zip(rows, table, strict=True):
            row += 1
            for column, value in enumerate(values, start=1):
                horizontal = "right" if column == 6 else "left"
                form_cell(ws, ws.cell(row, column).coordinate, value, horizontal=horizontal)
            if site.deadline_warning:
                row += 1
                form_cell(
                    ws, FULL.format(row=row), _("注意：%(text)s") % {"text": site.deadline_warning}
                )
        row += 2
        if contract is not None:
            note = _("履行期限 %(due)s（あと%(days)s日）。遅延回数 %(slips)s回。") % {
                "due": wareki(contract.due_on),
                "days": (contract.due_on - as_of.day).days,
                "slips": sum(site.slip_count for site in rows),
            }
            form_cell(ws, FULL.format(row=row), note, border=False)


def _lines(text: str) -> list[str]:
    return [line.strip().lstrip("・") for line in text.splitlines() if line.strip()]


SITE_HEADER = (
    "施設",
    "当初の運用開始予定日",
    "現在の運用開始予定日",
    "未定",
    "運用開始日（実績）",
    "状況",
    "番号ポータビリティ",
    "予定変更の回数",
    "遅延回数",
    "遅れ（日）",
    "履行期限",
    "履行期限の注意",
    "基準日",
)
REVISION_HEADER = (
    "施設",
    "決定日",
    "決定日が資料にある",
    "変更後の運用開始予定日",
    "未定",
    "番号ポータビリティ",
    "遅延",
    "理由",
    "備考",
)


def site_data_rows(as_of):
    for site in selectors.site_rows(as_of):
        yield (
            site.name,
            site.first_planned_on,
            site.planned_on,
            "未定" if site.undecided else "",
            site.went_live_on,
            site.state_label,
            site.porting_label,
            site.revision_count,
            site.slip_count,
            site.slip_days,
            site.due_on,
            site.deadline_warning,
            as_of.day,
        )


def revision_data_rows(as_of):
    """The revisions up to the day, their sites named as they were on the day."""
    labels = dict(Porting.choices)
    for (
        name,
        decided_on,
        known,
        planned_on,
        undecided,
        porting,
        slipped,
        reason,
        note,
    ) in selectors.revisions_as_of(as_of):
        yield (
            name,
            decided_on,
            "はい" if known else "いいえ",
            planned_on,
            "未定" if undecided else "",
            str(labels[porting]) if porting else "",
            "はい" if slipped else "",
            reason,
            note,
        )


class PbxSiteDataSheet(Sheet):
    key = "pbx_sites"
    title = "クラウドPBX_施設(データ)"
    order = 51
    permission = "pbx.view_site"

    def write(self, ws, context: WorkbookContext) -> None:
        data_sheet(ws, SITE_HEADER, site_data_rows(context.as_of), widths=[14] * len(SITE_HEADER))


class PbxRevisionDataSheet(Sheet):
    key = "pbx_revisions"
    title = "クラウドPBX_予定変更(データ)"
    order = 52
    permission = "pbx.view_revision"

    def write(self, ws, context: WorkbookContext) -> None:
        data_sheet(
            ws,
            REVISION_HEADER,
            revision_data_rows(context.as_of),
            widths=[14] * len(REVISION_HEADER),
        )
