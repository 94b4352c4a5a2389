"""The workbook's own sheets: every registered panel's figures with definition and source,
and the changes since the previous meeting that the areas contribute."""

import datetime as dt
import re

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from core.figures import Figure
from core.formsheet import ListedForm
from core.history import FieldChange
from core.spreadsheets import (
    PERCENT_FORMAT,
    Formatted,
    data_sheet,
    setup_page,
)
from core.templatetags.japanese import wareki_datetime

from .changes import Comparison, change_sources, comparison
from .dashboard import panels
from .workbook import Sheet, WorkbookContext


def source_paper(panel, figure: Figure, day: dt.date) -> str:
    """The papers a panel's figure came from (2022-11-01 会議資料（総合窓口）), or "".

    Read from the data the panel's app loaded from the papers (``source_fixtures``): the first
    papers dated on or after the figure's newest data (the data they printed), or, for a figure
    that does not say how new its data is, the latest papers up to the day. Data changed after
    every paper was loaded came from no paper: nothing is named.
    """
    config = apps.get_containing_app_config(type(panel).__module__)
    papers = sorted(
        (dt.date.fromisoformat(f.recorded_on), f.reason)
        for f in getattr(config, "source_fixtures", ())
        if "資料" in f.reason
    )
    papers = [(on, reason) for on, reason in papers if on <= day]
    if figure.updated_on is not None:
        later = [(on, reason) for on, reason in papers if on >= figure.updated_on]
        return _paper_name(later[0][1]) if later else ""
    return _paper_name(papers[-1][1]) if papers else ""


def _paper_name(reason: str) -> str:
    """2022.3.14 行政経営戦略会議資料 → 2022-03-14 行政経営戦略会議資料 (the Western date)."""

    def iso(match: re.Match) -> str:
        year, month, day = (int(part) for part in match.groups())
        return dt.date(year, month, day).isoformat()

    return re.sub(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})", iso, reason)


class FiguresSheet(Sheet):
    key = "figures"
    title = "指標(データ)"
    order = 900

    def visible_to(self, user) -> bool:
        return any(panel.visible_to(user) for panel in panels)

    def write(self, ws, context: WorkbookContext) -> None:
        rows = []
        for panel in panels:
            if context.user is not None and not panel.visible_to(context.user):
                continue
            for figure in panel.sheet_figures(context.as_of):
                row = list(figure.sheet_row(source_paper(panel, figure, context.as_of.day)))
                if figure.is_rate and row[1] is not None:
                    row[1] = Formatted(row[1], PERCENT_FORMAT)  # 0.669 shown as 66.9%
                rows.append(row)
        data_sheet(
            ws,
            Figure.SHEET_HEADER,
            rows,
            widths=[30, 14, 8, 10, 12, 12, 10, 10, 60, 24, 36, 12],
        )
        setup_page(ws, landscape=True, title_rows="1:1")


class ChangesSheet(Sheet):
    """Base of the two sheets of 「前回の会議からの変更」: visible to who may see any area."""

    def visible_to(self, user) -> bool:
        return any(source.visible_to(user) for source in change_sources)

    def rows(self, context: WorkbookContext) -> tuple[Comparison, list[list]]:
        """One row per field changed (a change with no field, e.g. a deletion: one row)."""
        found = comparison(context.as_of, context.user, limit=None)
        rows = []
        for area in found.areas:
            for group in area.groups:
                for change in group.changes:
                    when = timezone.localtime(change.when).replace(tzinfo=None)
                    head = [str(area.source.title), group.label, when, change.user, change.action]
                    tail = [change.subject, change.object_label]
                    for part in change.fields or [FieldChange("", "", "")]:
                        rows.append(
                            [*head, *tail, part.label, part.before, part.after, change.reason]
                        )
        return found, rows


CHANGES_FORM_WIDTHS = (14, 22, 16, 12, 6, 14, 40, 40)


class ChangesFormSheet(ChangesSheet):
    """前回の会議からの変更, to print with the papers: A4 landscape, one line per field."""

    key = "changes_form"
    title = "前回の会議からの変更"
    order = 25

    def write(self, ws, context: WorkbookContext) -> None:
        found, rows = self.rows(context)
        if found.baseline is None:
            heading = _("前回の会議からの変更（%(date)s時点）：比較する会議がありません") % {
                "date": context.as_of.label
            }
        else:
            heading = _("%(baseline)sからの変更（%(date)s時点）") % {
                "baseline": found.baseline.label,
                "date": context.as_of.label,
            }
        header = [
            _("区分"),
            _("対象"),
            _("日時"),
            _("変更者"),
            _("操作"),
            _("項目"),
            _("変更前"),
            _("変更後"),
        ]
        form = ListedForm(ws, heading, header, CHANGES_FORM_WIDTHS)
        for area, target, when, user, action, _subject, _label, field, before, after, _r in rows:
            form.add([area, target, wareki_datetime(when), user, action, field, before, after])
        form.finish(empty=_("変更なし") if found.baseline is not None else None)


class ChangesDataSheet(ChangesSheet):
    """The same changes as a machine-readable table (one header row, one value per cell)."""

    key = "changes_data"
    title = "前回の会議からの変更(データ)"
    order = 26
    HEADER = (
        "区分", "対象", "日時", "変更者", "操作", "種類", "名称", "項目", "変更前", "変更後", "理由",
    )  # fmt: skip

    def write(self, ws, context: WorkbookContext) -> None:
        _found, rows = self.rows(context)
        data_sheet(ws, self.HEADER, rows, widths=[14, 22, 18, 12, 6, 14, 20, 14, 40, 40, 24])
        for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
            row[0].number_format = "yyyy-mm-dd hh:mm"
        setup_page(ws, landscape=True, title_rows="1:1")
