"""The nightly job for reception systems that give only hourly counts (CSV or .xlsx).

    manage.py import_hourly_tallies /path/to/時間帯別_20221021.csv [--dry-run]

The file's (site, day)s replace their stored tallies as a whole, so the same file twice changes
nothing; a (site, day) that has per-reception rows is refused (see ``HourlyTallyImporter``).
All or nothing; exits non-zero with each refused row and column.
"""

from counter.imports import HourlyTallyImporter

from ._files import FileImportCommand


class Command(FileImportCommand):
    help = "時間帯別の受付件数のファイル（CSV・.xlsx）を取り込みます（全件か、何もしないか）。"
    importer = HourlyTallyImporter
    what = "時間帯別の受付件数"
