"""The nightly job for cashless payments (CSV or .xlsx).

    manage.py import_payments /path/to/決済_20221021.csv [--dry-run]

One row per day, site, method and purpose (the natural key): a stored row is changed in place
(with history), never added twice, so the same file twice changes nothing. All or nothing;
exits non-zero with each refused row and column.
"""

from counter.imports import PaymentImporter

from ._files import FileImportCommand


class Command(FileImportCommand):
    help = "キャッシュレス決済のファイル（CSV・.xlsx）を取り込みます（全件か、何もしないか）。"
    importer = PaymentImporter
    what = "キャッシュレス決済"
