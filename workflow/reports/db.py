"""Where the auditor figures are read from: the one place that routes them.

Every read of the reports (pages, exports, /stats/, drill-down lists) goes through
`cursor()` or `using()`. Inside `config.routers.reads_reports` (the report views
are decorated with it) that is the `reports` replica when REPORTS_DATABASE_URL is
set; otherwise, and for writes (the fold, closing a period), the primary.
"""

from django.db import DEFAULT_DB_ALIAS, connections

from config.routers import REPORTS, is_reading_reports


def alias() -> str:
    return REPORTS if is_reading_reports() else DEFAULT_DB_ALIAS


def cursor():
    return connections[alias()].cursor()


def using(queryset):
    return queryset.using(alias())
