"""Background jobs of the invoicing app: they take ids, call services and are safe to retry.

The project runs no task queue yet; a job starts in a thread of the process that queued it
(the web worker), which suits one server. `SUANPAN_TASKS_INLINE = True` runs it at once in the
caller (tests, the CLI). When a queue is added, `history_import_enqueue` is the one place that
changes: the job itself (`history_import_run(batch_id=…)`) stays as it is.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.db import connection

from suanpan.invoicing.services.history_import import history_import_run


def _run(batch_id: int) -> None:
    try:
        history_import_run(batch_id=batch_id)
    finally:
        connection.close()


def history_import_enqueue(batch_id: int) -> None:
    """Start the history import job of a queued batch."""
    if getattr(settings, "SUANPAN_TASKS_INLINE", False):
        history_import_run(batch_id=batch_id)
        return
    threading.Thread(
        target=_run, args=(batch_id,), name=f"history-import-{batch_id}", daemon=False
    ).start()
