"""Importing revisions from the revisions data sheet (``sheets.REVISION_HEADER``) or its CSV.

Revisions are append-only, so an import only adds: a row equal to a stored revision is left as
it is (a downloaded sheet can be uploaded again with new rows at the end), every other row is a
new revision. Stored revisions missing from the file are never deleted. A site's new rows must
be decided on or after its last stored revision, in the file's order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.japanese import ERAS, wareki
from dataimport.imports import (
    ADDED,
    CellError,
    Column,
    Importer,
    ParsedTable,
    Result,
    Writer,
    choice,
    compare,
    normalise_label,
)

from .models import Porting, Revision, Site

SITE = "施設"
DECIDED = "決定日"
KNOWN = "決定日が資料にある"
PLANNED = "変更後の運用開始予定日"
UNDECIDED = "未定"
PORTING = "番号ポータビリティ"
SLIPPED = "遅延"
REASON = "理由"
NOTE = "備考"
REASON_MAX = Revision._meta.get_field("reason").max_length
NOTE_MAX = Revision._meta.get_field("note").max_length


def parse_date(value: str) -> dt.date:
    """2022-10-24, 2022/10/24, R4.10.24, 令和4年10月24日 (also with full-width digits)."""
    text = normalise_label(value)
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:00:00:00)?", text)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = re.fullmatch(r"(令和|平成|R|H)(元|\d{1,2})[年.](\d{1,2})[月.](\d{1,2})日?", text)
        if match:
            name = {"R": "令和", "H": "平成"}.get(match[1], match[1])
            era = next(era for era in ERAS if era.name == name)
            year = era.year_one + (1 if match[2] == "元" else int(match[2])) - 1
            return dt.date(year, int(match[3]), int(match[4]))
    except ValueError:
        pass
    raise CellError(_("日付として読めません（例：2022-10-24、令和4年10月24日）。"))


def parse_yes_no(value: str) -> bool:
    text = normalise_label(value).lower()
    if text in ("はい", "true", "1", "○", "yes"):
        return True
    if text in ("いいえ", "false", "0", "×", "no"):
        return False
    raise CellError(_("「はい」か「いいえ」を入力してください。"))


def parse_undecided(value: str) -> bool:
    if normalise_label(value) in ("未定", "はい", "TRUE", "○"):
        return True
    raise CellError(_("未定のときは「未定」と入力し、そうでなければ空欄にしてください。"))


@dataclass
class Entry:
    number: int
    site: Site
    decided_on: dt.date
    known: bool
    planned_on: dt.date | None
    undecided: bool
    porting: str
    reason: str
    note: str

    @property
    def key(self) -> tuple:
        return (
            self.site.pk,
            self.decided_on,
            self.known,
            self.planned_on,
            self.undecided,
            self.porting,
            self.reason,
            self.note,
        )

    def shown(self) -> dict[str, str]:
        return {
            DECIDED: wareki(self.decided_on),
            KNOWN: _("はい") if self.known else _("いいえ"),
            PLANNED: wareki(self.planned_on),
            UNDECIDED: _("未定") if self.undecided else "",
            PORTING: str(Porting(self.porting).label) if self.porting else "",
            REASON: self.reason,
            NOTE: self.note,
        }


class RevisionImporter(Importer):
    key = "pbx.revisions"
    title = gettext_lazy("クラウドPBXの予定変更")
    sheet_name = "クラウドPBX_予定変更(データ)"
    label_column = SITE
    instructions = (
        gettext_lazy(
            "「クラウドPBX」からダウンロードした予定変更のデータ（.xlsx・.csv）に行を足して取り込みます。"
        ),
        gettext_lazy(
            "予定変更は追加のみです。記録済みと同じ行はそのまま、それ以外の行は新しい予定変更として追加します。"
            "ファイルにない予定変更も削除しません。訂正は新しい行で追加してください。"
        ),
        gettext_lazy(
            "施設ごとに、決定日は記録済みの最後の予定変更以降、ファイルの上から順に並べてください。"
            "「遅延」の列は計算されるため読み飛ばします。"
        ),
    )

    @classmethod
    def download_url(cls) -> str:
        return reverse("pbx:rollout_xlsx")

    @cached_property
    def sites(self) -> dict[str, Site]:
        return {site.name: site for site in Site.objects.select_related("contract")}

    def declared_columns(self) -> list[Column]:
        return self._declared

    @cached_property
    def _declared(self) -> list[Column]:
        porting = [label for _value, label in Porting.choices]
        return [
            Column(SITE, choice(list(self.sites.values())), required=True, blank=False),
            Column(DECIDED, parse_date, required=True, blank=False),
            Column(KNOWN, parse_yes_no, required=True, blank=False),
            Column(PLANNED, parse_date, required=True),
            Column(UNDECIDED, parse_undecided, required=True),
            Column(PORTING, choice([str(p) for p in porting]), required=True),
            Column(SLIPPED, imported=False),
            Column(REASON, max_length=REASON_MAX, one_line=True),
            Column(NOTE, max_length=NOTE_MAX, one_line=True),
        ]

    def build(self, sheet: ParsedTable, result: Result) -> None:
        porting_values = {str(label): value for value, label in Porting.choices}
        stored = Counter(
            (
                r.site_id,
                r.decided_on,
                r.decision_date_known,
                r.planned_on,
                r.undecided,
                r.porting,
                r.reason,
                r.note,
            )
            for r in Revision.objects.all()
        )
        latest: dict[int, dt.date] = defaultdict(lambda: dt.date.min)
        for site_id, decided_on in Revision.objects.values_list("site_id", "decided_on"):
            latest[site_id] = max(latest[site_id], decided_on)
        today = timezone.localdate()
        new: list[Entry] = []
        kept = 0
        for row in sheet.rows:
            if row.has_errors:
                continue
            entry = Entry(
                number=row.number,
                site=row.get(SITE),
                decided_on=row.get(DECIDED),
                known=row.get(KNOWN),
                planned_on=row.get(PLANNED),
                undecided=bool(row.get(UNDECIDED)),
                porting=porting_values.get(row.get(PORTING) or "", ""),
                reason=row.get(REASON) or "",
                note=row.get(NOTE) or "",
            )
            if stored[entry.key] > 0:
                stored[entry.key] -= 1
                kept += 1
                continue
            if not self._check(entry, latest, today, result):
                continue
            latest[entry.site.pk] = entry.decided_on
            new.append(entry)
            result.change(ADDED, entry.site.name, compare(None, entry.shown()), entry.number)
        if kept:
            result.notice(_("記録済みと同じ%(count)s行はそのままにします。") % {"count": kept})
        missing = sum(stored.values())
        if missing:
            result.notice(
                _("ファイルにない記録済みの予定変更%(count)s件は削除しません（追加のみ）。")
                % {"count": missing}
            )
        result.plan = new

    def _check(self, entry: Entry, latest, today, result: Result) -> bool:
        errors = []
        if entry.planned_on and entry.undecided:
            errors.append(
                (PLANNED, _("予定日を入力するか「未定」にするか、どちらか一方にしてください。"))
            )
        if not entry.planned_on and not entry.undecided and not entry.porting:
            errors.append(
                (
                    PLANNED,
                    _("変更後の予定日、「未定」、番号ポータビリティのいずれかを入力してください。"),
                )
            )
        if not entry.known and not entry.note:
            errors.append((NOTE, _("決定日が資料にないときは、その旨を備考に書いてください。")))
        if entry.decided_on > today:
            errors.append((DECIDED, _("決定日に未来の日付は入力できません。")))
        elif entry.decided_on < latest[entry.site.pk]:
            errors.append(
                (
                    DECIDED,
                    _("この施設の直前の予定変更（%(day)s決定）より前の決定日です。")
                    % {"day": wareki(latest[entry.site.pk])},
                )
            )
        signed = entry.site.contract.signed_on
        if entry.planned_on and entry.planned_on < signed:
            errors.append(
                (PLANNED, _("予定日が契約日（%(day)s）より前です。") % {"day": wareki(signed)})
            )
        for column, message in errors:
            result.error(entry.number, column, message)
        return not errors

    def write(self, plan: list[Entry], writer: Writer) -> None:
        for entry in plan:
            writer.save(
                Revision(
                    site=entry.site,
                    decided_on=entry.decided_on,
                    decision_date_known=entry.known,
                    planned_on=entry.planned_on,
                    undecided=entry.undecided,
                    porting=entry.porting,
                    reason=entry.reason,
                    note=entry.note,
                )
            )
