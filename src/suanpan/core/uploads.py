"""Spreadsheet uploads that wait between an import's preview and its confirmation.

The uploaded file waits in IMPORT_UPLOAD_DIR/<random name> (a private folder, never served);
only its token, file name and whatever the import needs to remember (say, a default owner) are
kept in the session. Confirming reads the stored file again and checks it before anything is
written: nothing from the browser but the token is trusted.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.forms import StyledFormMixin
from suanpan.core.spreadsheets import ENCODINGS, MAX_BYTES, MAX_ROWS

UPLOAD_MAX_AGE_SECONDS = 24 * 3600


class SpreadsheetImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    encoding = forms.ChoiceField(
        label=gettext_lazy("Encoding of a CSV file"),
        choices=[("", gettext_lazy("Detect")), *ENCODINGS.items()],
        required=False,
        help_text=gettext_lazy("Only when a CSV file is refused because its encoding is unclear."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An .xlsx or .csv file, at most %(size)s MB and %(rows)s rows."
        ) % {"size": MAX_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}"}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; split it into smaller files.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        return upload


def filename_clean(name: str) -> str:
    """The file's own name, without any folder a browser may send along."""
    return os.path.basename(name.replace("\\", "/")).strip()[:200] or "upload"


class PendingUploads:
    """One import's waiting uploads, kept under `session_key` (one per user session)."""

    def __init__(self, session_key: str) -> None:
        self.session_key = session_key

    @staticmethod
    def path(token: str) -> Path:
        # uuid.UUID refuses anything but a token we made (no path tricks): ValueError.
        return Path(settings.IMPORT_UPLOAD_DIR) / f"{uuid.UUID(hex=token).hex}.upload"

    @staticmethod
    def sweep() -> None:
        """Forget uploads nobody confirmed or cancelled within a day."""
        root = Path(settings.IMPORT_UPLOAD_DIR)
        if not root.is_dir():
            return
        cutoff = time.time() - UPLOAD_MAX_AGE_SECONDS
        for path in root.glob("*.upload"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()

    def store(self, request: HttpRequest, *, data: bytes, filename: str, **extra: Any) -> str:
        """Keep `data` for the confirmation step; return its token. Replaces an earlier one."""
        self.sweep()
        self.discard(request)
        token = uuid.uuid4().hex
        path = self.path(token)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        request.session[self.session_key] = {
            "token": token,
            "filename": filename,
            "user": request.user.pk,
            **extra,
        }
        return token

    def discard(self, request: HttpRequest) -> None:
        pending = request.session.pop(self.session_key, None)
        if pending:
            with contextlib.suppress(OSError, ValueError):
                self.path(pending["token"]).unlink(missing_ok=True)

    def pending(self, request: HttpRequest) -> dict[str, Any] | None:
        """The upload the posted token names, if it is this user's and still on disk."""
        pending = request.session.get(self.session_key)
        token = request.POST.get("token", "")
        if not pending or not token or pending.get("token") != token:
            return None
        if pending.get("user") != request.user.pk:
            return None
        try:
            if not self.path(token).is_file():
                return None
        except ValueError:
            return None
        return dict(pending)
