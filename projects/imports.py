"""Importing the schedule's data sheets (``datasheet.py``) after staff edited them in Excel.

One row per item, keyed by 項目ID (blank for a new item). Items missing from the file are
removed only when the user asks. Budget lines are matched by position (line k keeps its 内訳
when its amount changes). Plans and concerns come from the workbook's long tables (one line a
row: 項目ID or, for a new item, its name; 年度; 行番号; text), as the export writes them; a
file without those sheets leaves them as they are (an older file's wide columns, one bullet
per line in a cell, are still read). The order of the rows within a category sets the items'
order there.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.japanese import ERAS, fiscal_year_label, number
from dataimport.imports import (
    ADDED,
    CHANGED,
    INVALID,
    CellError,
    Column,
    Importer,
    ParsedTable,
    PartTable,
    Result,
    Row,
    Writer,
    choice,
    compare,
    display_lines,
    display_number,
    integer,
    normalise_label,
    text_lines,
)

from . import datasheet
from .datasheet import (
    AS_OF,
    BUDGET_TOTAL,
    CATEGORY,
    CONCERN,
    CONCERNS,
    FISCAL_YEAR,
    FISCAL_YEAR_LABEL,
    ID,
    INCLUDED_IN,
    LINE,
    NAME,
    PLAN,
    STATUS,
)
from .models import (
    BudgetLine,
    Category,
    Concern,
    FiscalYearPlan,
    ProgrammeYear,
    ScheduleItem,
    Status,
)

ORDER_LABEL = str(ScheduleItem._meta.get_field("order").verbose_name)
CATEGORY_MAX = Category._meta.get_field("name").max_length
STATUS_MAX = Status._meta.get_field("name").max_length
COMPLETE = "完了"  # a status registered from a new installation's file counts as complete
NAME_MAX = ScheduleItem._meta.get_field("name").max_length
CONCERN_MAX = Concern._meta.get_field("text").max_length


def parse_fiscal_year(text: str) -> int | None:
    """A fiscal year as the sheets write it: 2022, 2022年度, 2022年度（令和4年度）, 令和4年度,
    令和元年度, 令和4年度（2022年度）; ``None`` if it is none of these."""
    text = normalise_label(text)
    match = re.fullmatch(r"(\d{4})(?:年度)?(?:\((?:令和|平成|昭和)(?:元|\d+)年度\))?", text)
    if match:
        return int(match[1])
    match = re.fullmatch(r"(令和|平成|昭和)(元|\d+)年度(?:\((\d{4})年度\))?", text)
    if match:
        era = next(era for era in ERAS if era.name == match[1])
        return era.year_one + (1 if match[2] == "元" else int(match[2])) - 1
    return None


def plan_year(header: str) -> int | None:
    """The fiscal year of a plan column: 2023年度（令和5年度）の計画 → 2023 (also 令和5年度の計画)."""
    text = normalise_label(header)
    if not text.endswith("の計画"):
        return None
    return parse_fiscal_year(text.removesuffix("の計画"))


def fiscal_year(value: str) -> int:
    year = parse_fiscal_year(value)
    if year is None:
        raise CellError(
            _("年度は「2022」「2022年度」「令和4年度」のように入力してください（「%(value)s」）。")
            % {"value": value}
        )
    return year


def line_text(value: str) -> str:
    """One line of a plan or of the concerns: one row of the long table."""
    return value


@dataclass(frozen=True)
class PartLine:
    """A row of a long table (plans, concerns): whose item, which year, which line."""

    sheet_row: int
    item_id: int | None
    name: str
    year: int | None
    line: int
    text: str


@dataclass(eq=False)
class Entry:
    """A valid row of the file: what the item should become."""

    row: Row
    item: ScheduleItem | None  # None: a new item
    name: str
    category: Category
    status: Status
    budgets: list[int]
    included_name: str
    plans: dict[int, list[str]]  # start year → lines, for the years the file has a column for
    concerns: list[str]
    included: Entry | None = None
    kept_target: ScheduleItem | None = None  # included in an item the file lacks but keeps
    order: int = 0
    instance: ScheduleItem | None = field(default=None, repr=False)


@dataclass
class SchedulePlan:
    entries: list[Entry]  # existing items first (in a safe renaming order), then new ones
    removals: list[ScheduleItem]  # includers before the items they are included in
    years: dict[int, ProgrammeYear]


class ScheduleImporter(Importer):
    key = "projects.schedule"
    title = gettext_lazy("全体のスケジュール")
    sheet_name = datasheet.SHEET_TITLE
    part_sheets = (datasheet.PLANS_TITLE, datasheet.CONCERNS_TITLE)
    label_column = NAME
    total_row_note = gettext_lazy("合計は予算額から計算されます")
    models = (ScheduleItem, BudgetLine, FiscalYearPlan, Concern)
    instructions = (
        gettext_lazy(
            "「全体のスケジュール」からダウンロードしたファイル（.xlsx・.csv）を編集して取り込みます。"
            "ファイルにない項目は削除しません（確認画面で削除を選んだときだけ削除します）。"
        ),
        gettext_lazy(
            "項目IDが空欄の行は新しい項目として追加します。項目IDは変更しないでください。"
        ),
        gettext_lazy("予算額計は予算額1・予算額2…から計算します。基準日の列は読み飛ばします。"),
        gettext_lazy(
            "計画と懸案は、シート「全体のスケジュール_計画(データ)」「全体のスケジュール_懸案(データ)」に"
            "1行に1つずつ（項目ID・年度・行番号とともに）書きます。新しい項目の行は項目IDを空欄にし、"
            "項目名を書きます。これらのシートがないファイル（CSVなど）では計画と懸案を変更しません。"
            "区分の中の行の順が表示順になります。"
        ),
    )

    @classmethod
    def download_url(cls) -> str:
        return reverse("projects:schedule") + "?export=xlsx"

    @classmethod
    def blank_url(cls) -> str:
        return reverse("projects:schedule_blank")

    def __init__(self):
        self.unknown_plan_columns: dict[str, int | None] = {}
        self.failed_names: set[str] = set()
        self.new_references: dict[type, dict[str, Category | Status]] = {}

    @cached_property
    def empty_lists(self) -> set[type]:
        """The lists a new installation has not filled yet (区分, 状況, 計画年度): the file's
        values are registered with its items. A list once filled checks the file against it."""
        return {model for model in (Category, Status, ProgrammeYear) if not model.objects.exists()}

    def _reference(self, model: type[Category] | type[Status]):
        """For a list still empty: a parser that registers each new name (in the file's order)."""

        def parse(value: str):
            name = value.strip()
            known = self.new_references.setdefault(model, {})
            key = normalise_label(name)
            if key not in known:
                order = len(known) + 1
                known[key] = (
                    Category(name=name, order=order)
                    if model is Category
                    else Status(name=name, order=order, is_complete=key == COMPLETE)
                )
            return known[key]

        return parse

    @cached_property
    def years(self) -> dict[int, ProgrammeYear]:
        return {year.start_year: year for year in ProgrammeYear.objects.all()}

    @cached_property
    def _declared(self) -> list[Column]:
        return [
            Column(ID, integer, required=True, min_value=1),
            Column(
                CATEGORY,
                self._reference(Category)
                if Category in self.empty_lists
                else choice(Category.objects.all()),
                required=True,
                blank=False,
                max_length=CATEGORY_MAX,
            ),
            Column(NAME, required=True, blank=False, one_line=True, max_length=NAME_MAX),
            Column(
                STATUS,
                self._reference(Status)
                if Status in self.empty_lists
                else choice(Status.objects.all()),
                required=True,
                blank=False,
                max_length=STATUS_MAX,
            ),
            Column(datasheet.budget_column(1), integer, required=True, min_value=0),
            Column(BUDGET_TOTAL, integer),
            Column(INCLUDED_IN, one_line=True, required=True),
            Column(CONCERNS, text_lines, max_length=CONCERN_MAX),
            Column(AS_OF, imported=False),
        ]

    def declared_columns(self) -> list[Column]:
        return self._declared

    def column(self, header: str) -> Column | None:
        """Besides the declared columns: 予算額N（千円） for any N, and a plan column per 年度."""
        column = super().column(header)
        if column:
            return column
        label = normalise_label(header)
        budget = re.fullmatch(r"予算額(\d+)\(千円\)", label)
        if budget and int(budget[1]) >= 1:
            return Column(datasheet.budget_column(int(budget[1])), integer, min_value=0)
        if label.endswith("の計画"):
            year = plan_year(label)
            if year in self.years:
                return Column(datasheet.plan_column(year), text_lines)
            if year and ProgrammeYear in self.empty_lists:  # registered with the items
                self.years[year] = ProgrammeYear(start_year=year)
                return Column(datasheet.plan_column(year), text_lines)
            self.unknown_plan_columns[header.strip()] = year
            return Column(header.strip(), text_lines)
        return None

    # --- Validation ------------------------------------------------------------------------

    def build(self, sheet: ParsedTable, result: Result) -> None:
        budget_columns = sorted(
            (c for c in sheet.columns if c.startswith("予算額") and c != BUDGET_TOTAL),
            key=lambda c: int(re.sub(r"\D", "", c)),
        )
        plan_columns = {
            year: datasheet.plan_column(year)
            for year in self.years
            if sheet.has(datasheet.plan_column(year))
        }
        plan_lines = self._read_part(sheet, datasheet.PLANS_TITLE, result)
        concern_lines = self._read_part(sheet, datasheet.CONCERNS_TITLE, result)
        self._check_columns(sheet, result, plan_columns, plan_lines is not None)
        if plan_lines is not None and plan_columns:
            result.error(
                sheet.header_row,
                next(iter(plan_columns.values())),
                _(
                    "計画がこの列とシート「%(sheet)s」の両方にあります。"
                    "どちらか一方にしてください（ダウンロードしたファイルはシートに書いています）。"
                )
                % {"sheet": datasheet.PLANS_TITLE},
            )
        if concern_lines is not None and sheet.has(CONCERNS):
            result.error(
                sheet.header_row,
                CONCERNS,
                _(
                    "懸案がこの列とシート「%(sheet)s」の両方にあります。"
                    "どちらか一方にしてください（ダウンロードしたファイルはシートに書いています）。"
                )
                % {"sheet": datasheet.CONCERNS_TITLE},
            )
        items = {
            item.pk: item
            for item in ScheduleItem.objects.select_related(
                "category", "status", "included_in"
            ).prefetch_related("budget_lines", "plans__year", "concerns")
        }
        entries: list[Entry] = []
        seen_ids: dict[int, int] = {}
        for row in sheet.rows:
            entry = self._read_row(row, result, items, seen_ids, budget_columns, plan_columns)
            if entry is not None:
                entries.append(entry)
        if plan_lines is not None:
            self._assign_plans(entries, plan_lines, seen_ids, result)  # may register years
            plan_columns = {year: datasheet.plan_column(year) for year in self.years}
        if concern_lines is not None:
            self._assign_concerns(entries, concern_lines, seen_ids, result)
        elif not sheet.has(CONCERNS):  # no concerns in the file: they stay as they are
            for entry in entries:
                entry.concerns = [c.text for c in entry.item.concerns.all()] if entry.item else []

        self._notice_new_lists(result)
        kept = {entry.item.pk for entry in entries if entry.item is not None}
        kept |= set(seen_ids)  # an ID given on a row with other errors is not a removal
        missing = [item for pk, item in items.items() if pk not in kept]
        self._check_names(entries, missing, result)
        self._resolve_inclusions(entries, missing, result)
        update_order = self._renaming_order(entries, result)
        if result.errors:
            return
        self._set_orders(entries)
        plan = SchedulePlan(
            entries=update_order + [e for e in entries if e.item is None],
            removals=_removal_order(missing) if result.delete_missing else [],
            years=self.years,
        )
        for entry in entries:
            self._describe(entry, plan_columns, result)
        for item in _removal_order(missing):
            result.not_in_file(item.name, _removed_fields(item))
        result.plan = plan

    # --- The long tables: plans and concerns, one line a row ---------------------------------

    @staticmethod
    def _part_columns(title: str) -> list[Column]:
        columns = [
            Column(ID, integer, required=True, min_value=1),
            Column(NAME, required=True, one_line=True, max_length=NAME_MAX),
        ]
        if title == datasheet.PLANS_TITLE:
            columns += [
                Column(FISCAL_YEAR, fiscal_year, required=True, blank=False),
                Column(FISCAL_YEAR_LABEL, imported=False),
                Column(LINE, integer, required=True, blank=False, min_value=1),
                Column(PLAN, line_text, required=True, blank=False, one_line=True),
            ]
        else:
            columns += [
                Column(LINE, integer, required=True, blank=False, min_value=1),
                Column(
                    CONCERN,
                    line_text,
                    required=True,
                    blank=False,
                    one_line=True,
                    max_length=CONCERN_MAX,
                ),
            ]
        return columns

    def _read_part(self, sheet: ParsedTable, title: str, result: Result) -> list[PartLine] | None:
        """The rows of a long table the workbook has (None: the file has no such sheet)."""
        table = sheet.parts.get(title)
        if table is None:
            return None
        parsed = PartTable(title, self._part_columns(title)).parse(table, result)
        if parsed is None:
            return []
        text_column = PLAN if title == datasheet.PLANS_TITLE else CONCERN
        lines = []
        for row in parsed.rows:
            if row.has_errors:
                continue
            if row.get(ID) is None and not row.get(NAME):
                result.error(
                    row.number,
                    ID,
                    _("シート「%(sheet)s」の行：項目IDか項目名を入力してください。")
                    % {"sheet": title},
                )
                continue
            lines.append(
                PartLine(
                    sheet_row=row.number,
                    item_id=row.get(ID),
                    name=row.get(NAME) or "",
                    year=row.get(FISCAL_YEAR),
                    line=row.get(LINE),
                    text=row.get(text_column),
                )
            )
        return lines

    def _owners(self, entries, lines, seen_ids, title, result) -> dict[int, list[PartLine]]:
        """Each line's entry (by 項目ID, or by name for a new item): {id(entry): lines}."""
        by_id = {entry.item.pk: entry for entry in entries if entry.item is not None}
        by_name = {entry.name: entry for entry in entries}
        owned: dict[int, list[PartLine]] = defaultdict(list)
        for line in lines:
            if line.item_id is not None:
                entry = by_id.get(line.item_id)
                failed = line.item_id in seen_ids
            else:
                entry = by_name.get(line.name)
                failed = line.name in self.failed_names
            if entry is not None:
                owned[id(entry)].append(line)
            elif not failed:  # a row of the items' table with errors: already reported
                what = (
                    _("項目ID「%(id)s」") % {"id": line.item_id}
                    if line.item_id is not None
                    else _("項目「%(name)s」") % {"name": line.name}
                )
                result.error(
                    line.sheet_row,
                    ID if line.item_id is not None else NAME,
                    _(
                        "シート「%(sheet)s」の%(what)sは、シート「%(items)s」にありません。"
                        "新しい項目なら項目IDを空欄にして、項目名を同じにしてください。"
                    )
                    % {"sheet": title, "what": what, "items": datasheet.SHEET_TITLE},
                )
        return owned

    @staticmethod
    def _ordered_texts(lines: list[PartLine], title: str, result: Result) -> list[str]:
        """The texts in the order of their line numbers; a number given twice is an error."""
        seen: dict[int, int] = {}
        for line in lines:
            if line.line in seen:
                result.error(
                    line.sheet_row,
                    LINE,
                    _("シート「%(sheet)s」の行番号%(line)sが%(row)s行目と重複しています。")
                    % {"sheet": title, "line": line.line, "row": seen[line.line]},
                )
            seen.setdefault(line.line, line.sheet_row)
        return [line.text for line in sorted(lines, key=lambda line: line.line)]

    def _assign_plans(self, entries, lines, seen_ids, result) -> None:
        title = datasheet.PLANS_TITLE
        registered = "、".join(fiscal_year_label(y) for y in self.years) or _("なし")
        known = []
        for line in lines:
            if line.year and line.year not in self.years and ProgrammeYear in self.empty_lists:
                # A new installation: the years of its plans are registered with the items.
                self.years[line.year] = ProgrammeYear(start_year=line.year)
            if line.year in self.years:
                known.append(line)
                continue
            result.error(
                line.sheet_row,
                FISCAL_YEAR,
                _(
                    "シート「%(sheet)s」の%(year)sは計画年度に登録されていません"
                    "（登録済み：%(registered)s）。先に計画年度を登録してください。"
                )
                % {"sheet": title, "year": fiscal_year_label(line.year), "registered": registered},
            )
        owned = self._owners(entries, known, seen_ids, title, result)
        for entry in entries:
            by_year: dict[int, list[PartLine]] = defaultdict(list)
            for line in owned.get(id(entry), []):
                by_year[line.year].append(line)
            entry.plans = {
                year: self._ordered_texts(by_year.get(year, []), title, result)
                for year in self.years
            }

    def _assign_concerns(self, entries, lines, seen_ids, result) -> None:
        title = datasheet.CONCERNS_TITLE
        owned = self._owners(entries, lines, seen_ids, title, result)
        for entry in entries:
            entry.concerns = self._ordered_texts(owned.get(id(entry), []), title, result)

    def _check_columns(
        self, sheet: ParsedTable, result: Result, plan_columns: dict, plan_sheet: bool
    ) -> None:
        if sheet.has(AS_OF):
            result.notice(
                _("「%(column)s」の列はダウンロードした日を示す参考情報のため、取り込みません。")
                % {"column": AS_OF}
            )
        registered = "、".join(fiscal_year_label(y) for y in self.years) or _("なし")
        for column, year in self.unknown_plan_columns.items():
            if year:
                message = _(
                    "%(year)sは計画年度に登録されていません（登録済み：%(registered)s）。"
                    "先に計画年度を登録するか、この列を削除してください。"
                ) % {"year": fiscal_year_label(year), "registered": registered}
            else:
                message = _(
                    "この列の年度は計画年度に登録されていません（登録済み：%(registered)s）。"
                    "先に計画年度を登録するか、この列を削除してください。"
                ) % {"registered": registered}
            result.error(sheet.header_row, column, message)
        if not plan_sheet and not plan_columns and not sheet.has(CONCERNS):
            result.notice(
                _(
                    "計画と懸案のシート（「%(plans)s」「%(concerns)s」）がないため、"
                    "計画と懸案は変更しません。変更するときは.xlsxで取り込んでください。"
                )
                % {"plans": datasheet.PLANS_TITLE, "concerns": datasheet.CONCERNS_TITLE}
            )
            return
        for year in self.years:
            if not plan_sheet and year not in plan_columns:
                result.notice(
                    _("「%(column)s」の列がないため、%(year)sの計画は変更しません。")
                    % {"column": datasheet.plan_column(year), "year": fiscal_year_label(year)}
                )

    def _notice_new_lists(self, result: Result) -> None:
        new = [
            (Category._meta.verbose_name, self.new_references.get(Category, {}).values()),
            (Status._meta.verbose_name, self.new_references.get(Status, {}).values()),
        ]
        years = [fiscal_year_label(y) for y, year in sorted(self.years.items()) if year.pk is None]
        listed = [(label, [str(obj) for obj in objs]) for label, objs in new]
        listed.append((ProgrammeYear._meta.verbose_name, years))
        for label, names in listed:
            if names:
                result.notice(
                    _("新しい設置のため、%(list)s「%(names)s」を登録します。")
                    % {"list": label, "names": "」「".join(names)}
                )

    def _read_row(self, row, result, items, seen_ids, budget_columns, plan_columns) -> Entry | None:
        """An entry from a row whose cells the declared columns have read; the rules here are
        those that span cells or rows (IDs, budgets beside an inclusion, the total)."""
        errors_before = len(result.errors)
        item = None
        item_id = row.get(ID)
        if item_id is not INVALID and item_id is not None:
            if item_id in seen_ids:
                result.error(
                    row.number,
                    ID,
                    _(
                        "項目ID「%(id)s」が%(row)s行目と重複しています。"
                        "1つの項目は1行にしてください。"
                    )
                    % {"id": item_id, "row": seen_ids[item_id]},
                )
            elif item_id not in items:
                result.error(
                    row.number,
                    ID,
                    _(
                        "項目ID「%(id)s」の項目はありません。"
                        "新しい項目を追加するときは、項目IDを空欄にしてください。"
                    )
                    % {"id": item_id},
                )
            else:
                item = items[item_id]
                seen_ids[item_id] = row.number

        amounts = [row.get(column) for column in budget_columns]
        budgets = [amount for amount in amounts if amount is not None and amount is not INVALID]
        if INVALID not in amounts and BUDGET_TOTAL in row:
            self._check_total(row, result, budgets)
        included_name = row.get(INCLUDED_IN) or ""
        if included_name and budgets:
            result.error(
                row.number,
                INCLUDED_IN,
                _(
                    "予算を他の項目に含める場合、予算額は入力できません"
                    "（予算額の列か、予算を含む項目のどちらかを空欄にしてください）。"
                ),
            )
        name = row.get(NAME)
        if row.has_errors or len(result.errors) > errors_before:
            # Other rows may name this one; its own errors are enough.
            self.failed_names.update(n for n in (row[NAME], item.name if item else "") if n)
            return None
        return Entry(
            row=row,
            item=item,
            name=name,
            category=row.get(CATEGORY),
            status=row.get(STATUS),
            budgets=budgets,
            included_name=included_name,
            plans={year: row.get(column) or [] for year, column in plan_columns.items()},
            concerns=row.get(CONCERNS) or [],
        )

    def _check_total(self, row, result, budgets) -> None:
        """予算額計 is computed from the lines: it may be blank, or their sum; never another
        number (a file cut mid-number, a line typed in the wrong column)."""
        total = row.get(BUDGET_TOTAL)
        if total is INVALID or total is None or total == sum(budgets):
            return
        result.error(
            row.number,
            BUDGET_TOTAL,
            _(
                "予算額計（%(total)s）が予算額の合計（%(sum)s）と合いません。"
                "予算額1・予算額2…を確かめてください。予算額計は予算額から計算するため、"
                "空欄にしても構いません。"
            )
            % {"total": number(total), "sum": number(sum(budgets))},
        )

    def _check_names(self, entries: list[Entry], missing: list[ScheduleItem], result) -> None:
        first_row: dict[str, int] = {}
        for entry in entries:
            if entry.name in first_row:
                result.error(
                    entry.row.number,
                    NAME,
                    _("項目「%(name)s」が%(row)s行目と重複しています。")
                    % {"name": entry.name, "row": first_row[entry.name]},
                )
            else:
                first_row[entry.name] = entry.row.number
        removed_names = {item.name: item for item in missing}
        for entry in entries:
            other = removed_names.get(entry.name)
            if other is not None:
                result.error(
                    entry.row.number,
                    NAME,
                    _(
                        "項目「%(name)s」は、ファイルにない既存の項目（項目ID %(id)s）と"
                        "同じ名前です。その項目の行なら、項目IDに「%(id)s」を入れてください。"
                    )
                    % {"name": entry.name, "id": other.pk},
                )

    def _resolve_inclusions(self, entries, missing, result) -> None:
        by_name = {entry.name: entry for entry in entries}
        by_old_name = {entry.item.name: entry for entry in entries if entry.item is not None}
        removed = {item.name: item for item in missing}
        for entry in entries:
            name = entry.included_name
            if not name:
                continue
            target = by_name.get(name) or by_old_name.get(name)
            if target is None and name in self.failed_names:
                continue
            if target is entry:
                result.error(
                    entry.row.number,
                    INCLUDED_IN,
                    _("自分自身を「予算を含む項目」にすることはできません。"),
                )
            elif target is not None:
                entry.included = target
            elif name in removed and not result.delete_missing:
                kept = removed[name]  # not in the file, but kept: it can still include others
                if entry.item is not None and kept.included_in_id == entry.item.pk:
                    result.error(
                        entry.row.number,
                        INCLUDED_IN,
                        _("「予算を含む項目」が循環しています（%(loop)s）。")
                        % {"loop": f"{entry.name} → {kept.name} → {entry.name}"},
                    )
                entry.kept_target = kept
            elif name in removed:
                result.error(
                    entry.row.number,
                    INCLUDED_IN,
                    _(
                        "「%(name)s」はファイルにないため削除される項目です。"
                        "この項目の予算を含んでいるため削除できません。削除しないなら"
                        "「%(name)s」の行を残し、削除するならこの行の「%(column)s」を"
                        "空欄にしてください。"
                    )
                    % {"name": name, "column": INCLUDED_IN},
                )
            else:
                result.error(
                    entry.row.number,
                    INCLUDED_IN,
                    _("「%(name)s」という項目はありません。ファイル内の項目名を入力してください。")
                    % {"name": name},
                )
        reported: set[int] = set()
        for entry in entries:
            chain = [entry]
            current = entry.included
            while current is not None and current not in chain:
                chain.append(current)
                current = current.included
            if current is entry and id(entry) not in reported:
                reported.update(id(e) for e in chain)
                loop = " → ".join(e.name for e in [*chain, entry])
                result.error(
                    entry.row.number,
                    INCLUDED_IN,
                    _("「予算を含む項目」が循環しています（%(loop)s）。") % {"loop": loop},
                )

    def _renaming_order(self, entries: list[Entry], result) -> list[Entry]:
        """Existing items in an order in which no rename hits a name still in use."""
        existing = [entry for entry in entries if entry.item is not None]
        holder = {entry.item.name: entry for entry in existing}
        ordered: list[Entry] = []
        state: dict[int, str] = {}

        def visit(entry: Entry, path: list[Entry]) -> None:
            if state.get(id(entry)) == "done":
                return
            if state.get(id(entry)) == "visiting":
                names = "」「".join(e.name for e in path[path.index(entry) :])
                result.error(
                    entry.row.number,
                    NAME,
                    _(
                        "項目名の入れ替え（「%(names)s」）は一度に取り込めません。"
                        "いったん別の名前で取り込んでから、もう一度取り込んでください。"
                    )
                    % {"names": names},
                )
                return
            state[id(entry)] = "visiting"
            blocker = holder.get(entry.name)
            if blocker is not None and blocker is not entry:
                visit(blocker, [*path, entry])
            state[id(entry)] = "done"
            ordered.append(entry)

        for entry in existing:
            visit(entry, [])
        return ordered

    @staticmethod
    def _set_orders(entries: list[Entry]) -> None:
        """Renumber a category 1..n only if its rows differ from the current order."""
        by_category: dict[int, list[Entry]] = defaultdict(list)
        for entry in entries:  # by the category itself: one registered with the file has no pk
            by_category[id(entry.category)].append(entry)
        for rows in by_category.values():
            category_id = rows[0].category.pk
            unchanged = all(
                e.item is not None and e.item.category_id == category_id for e in rows
            ) and [e.item.pk for e in rows] == [
                item.pk for item in sorted((e.item for e in rows), key=lambda i: (i.order, i.pk))
            ]
            for position, entry in enumerate(rows, start=1):
                entry.order = entry.item.order if unchanged else position

    # --- The preview ---------------------------------------------------------------------------

    def _describe(self, entry: Entry, plan_columns: dict[int, str], result: Result) -> None:
        item = entry.item
        budget_width = max(len(entry.budgets), len(_amounts(item)) if item else 0)
        after = _shown(
            entry.name,
            entry.category.name,
            entry.status.name,
            entry.order,
            entry.budgets,
            entry.kept_target.name if entry.kept_target else getattr(entry.included, "name", ""),
            {plan_columns[year]: lines for year, lines in entry.plans.items()},
            entry.concerns,
            budget_width,
        )
        if item is None:
            result.change(
                ADDED, entry.name, compare(None, _identity_left_out(after)), entry.row.number
            )
            return
        before = _shown_item(item, budget_width, {year for year in entry.plans})
        fields = compare(before, after)
        if fields:
            result.change(CHANGED, entry.name, fields, entry.row.number)

    # --- Writing -------------------------------------------------------------------------------

    def write(self, plan: SchedulePlan, writer: Writer) -> None:
        """Items first (renames one by one in their safe order, the rest in batches), then
        their budget lines, plans and concerns, then the removals; see ``Writer``.

        What is written, and so recorded, is what saving row by row wrote: a new item included
        in a new item of an earlier row is created with its inclusion (after that item: new
        items are created in waves), one included in a later row's new item gets it in a
        second save."""
        # A new installation's lists first (区分, 状況, 計画年度 the file registers).
        for reference in [
            *self.new_references.get(Category, {}).values(),
            *self.new_references.get(Status, {}).values(),
            *(year for year in plan.years.values() if year.pk is None),
        ]:
            writer.save(reference)
        writer.flush()
        deferred = []
        waves: list[list[Entry]] = []  # new items, by how many new items they wait for
        wave_of: dict[int, int] = {}
        for entry in plan.entries:
            item = entry.item or ScheduleItem()
            target = entry.included
            values = {
                "name": entry.name,
                "category_id": entry.category.pk,
                "status_id": entry.status.pk,
                "order": entry.order,
            }
            wave = 0
            if target is None:
                values["included_in_id"] = entry.kept_target.pk if entry.kept_target else None
            elif target.item is not None:
                values["included_in_id"] = target.item.pk
            elif target.instance is not None:  # a new item of an earlier row: its pk comes
                wave = wave_of[id(target)] + 1  # with its wave
            else:
                deferred.append(entry)  # included in a new item of a later row
            entry.instance = item
            if item.pk is None:
                for attribute, value in values.items():
                    setattr(item, attribute, value)
                wave_of[id(entry)] = wave
                if wave == len(waves):
                    waves.append([])
                waves[wave].append(entry)
            elif any(getattr(item, k) != v for k, v in values.items()):
                renamed = item.name != entry.name
                for attribute, value in values.items():
                    setattr(item, attribute, value)
                if renamed:
                    # One UPDATE each, in ``_renaming_order``: no rename meets a name in use.
                    writer.save_now(item)
                else:
                    writer.save(item)
        for wave, entries in enumerate(waves):
            writer.flush()  # the pks of the items these are included in
            for entry in entries:
                if wave:
                    entry.instance.included_in_id = entry.included.instance.pk
                writer.save(entry.instance)
        writer.flush()  # the new items' pks, for the rows that point at them
        for entry in deferred:
            entry.instance.included_in_id = entry.included.instance.pk
            writer.save(entry.instance, fields=["included_in"])
        for entry in plan.entries:
            self._write_budgets(entry, writer)
            self._write_plans(entry, plan.years, writer)
            self._write_concerns(entry, writer)
        for item in plan.removals:
            for part in [*item.budget_lines.all(), *item.plans.all(), *item.concerns.all()]:
                writer.delete(part)
        writer.flush()  # the parts before their items
        _delete_items(plan.removals, writer)

    @staticmethod
    def _write_budgets(entry: Entry, writer: Writer) -> None:
        lines = list(entry.item.budget_lines.all()) if entry.item else []
        last_order = 0
        for position, amount in enumerate(entry.budgets):
            if position < len(lines):
                line = lines[position]
                if line.amount != amount:
                    line.amount = amount
                    writer.save(line, fields=["amount"])
            else:
                line = BudgetLine(item=entry.instance, amount=amount, order=last_order + 1)
                writer.save(line)
            last_order = max(last_order, line.order)
        for line in lines[len(entry.budgets) :]:
            writer.delete(line)

    @staticmethod
    def _write_plans(entry: Entry, years: dict[int, ProgrammeYear], writer: Writer) -> None:
        current = (
            {plan.year.start_year: plan for plan in entry.item.plans.all()} if entry.item else {}
        )
        for year, lines in entry.plans.items():
            plan = current.get(year)
            if plan is not None and not lines:
                writer.delete(plan)
            elif plan is None and lines:
                writer.save(
                    FiscalYearPlan(item=entry.instance, year=years[year], content="\n".join(lines))
                )
            elif plan is not None and plan.lines != lines:
                plan.content = "\n".join(lines)
                writer.save(plan, fields=["content"])

    @staticmethod
    def _write_concerns(entry: Entry, writer: Writer) -> None:
        """Concerns are kept by text (their history stays whole) and renumbered 1..n."""
        current = list(entry.item.concerns.all()) if entry.item else []
        if [c.text for c in current] == entry.concerns:
            return
        unused = list(current)
        for position, text in enumerate(entry.concerns, start=1):
            concern = next((c for c in unused if c.text == text), None)
            if concern is None:
                writer.save(Concern(item=entry.instance, text=text, order=position))
                continue
            unused.remove(concern)
            if concern.order != position:
                concern.order = position
                writer.save(concern, fields=["order"])
        for concern in unused:
            writer.delete(concern)


def _amounts(item: ScheduleItem) -> list[int]:
    return [line.amount for line in item.budget_lines.all()]


def _shown(name, category, status, order, budgets, included, plans, concerns, width) -> dict:
    """An item as its row in the data sheet shows it: {column: text}."""
    shown = {NAME: name, CATEGORY: category, STATUS: status, ORDER_LABEL: str(order)}
    for index in range(width):
        amount = budgets[index] if index < len(budgets) else None
        shown[datasheet.budget_column(index + 1)] = display_number(amount)
    shown[INCLUDED_IN] = included
    shown |= {column: display_lines(lines) for column, lines in plans.items()}
    shown[CONCERNS] = display_lines(concerns)
    return shown


def _shown_item(item: ScheduleItem, width: int, years: set[int] | None = None) -> dict:
    """A stored item as the sheet shows it; only the plans of ``years`` (None: all)."""
    stored = {plan.year.start_year: plan.lines for plan in item.plans.all()}
    shown_years = sorted(stored if years is None else years)
    plans = {datasheet.plan_column(year): stored.get(year, []) for year in shown_years}
    return _shown(
        item.name,
        item.category.name,
        item.status.name,
        item.order,
        _amounts(item),
        item.included_in.name if item.included_in else "",
        plans,
        [concern.text for concern in item.concerns.all()],
        width,
    )


def _identity_left_out(shown: dict) -> dict:
    """An added or removed item is named by its label; its order is not news."""
    return {column: text for column, text in shown.items() if column not in (NAME, ORDER_LABEL)}


def _removed_fields(item: ScheduleItem) -> list:
    return compare(_identity_left_out(_shown_item(item, len(_amounts(item)))), None)


def _removal_order(items: list[ScheduleItem]) -> list[ScheduleItem]:
    """Delete an item only after the removed items included in it (included_in is PROTECT)."""
    pending = list(items)
    ordered = []
    while pending:
        targets = {item.included_in_id for item in pending}
        ready = [item for item in pending if item.pk not in targets]
        if not ready:  # a loop among removed items cannot exist (clean() refuses it)
            ready = pending[:1]
        for item in ready:
            pending.remove(item)
        ordered.extend(ready)
    return ordered


def _delete_items(items: list[ScheduleItem], writer: Writer) -> None:
    """Delete items in ``_removal_order``, flushing before an item that one queued for deletion
    is included in (``included_in`` is PROTECT: the includer must be gone first)."""
    included: set[int] = set()
    for item in items:
        if item.pk in included:
            writer.flush()
            included = set()
        writer.delete(item)
        if item.included_in_id is not None:
            included.add(item.included_in_id)
