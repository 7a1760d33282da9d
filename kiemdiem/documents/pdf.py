"""PDF copies through LibreOffice where it is installed (`soffice --headless --convert-to
pdf`); without it the dossier holds the Word and Excel files only and its index says so."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings

TIMEOUT = 180


def soffice() -> str | None:
    if not getattr(settings, "DOCUMENTS_PDF", True):
        return None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(files: Mapping[str, bytes]) -> dict[str, bytes]:
    """PDFs of the given .docx files by name (one LibreOffice start for all of them: it
    costs seconds). Empty where LibreOffice is missing or fails."""
    exe = soffice()
    if exe is None or not files:
        return {}
    with tempfile.TemporaryDirectory(prefix="kiemdiem-pdf-") as tmp:
        root = Path(tmp)
        names = {}
        for i, (name, data) in enumerate(files.items()):
            src = root / f"f{i:03d}.docx"  # plain names: the command line takes no surprises
            src.write_bytes(data)
            names[src.with_suffix(".pdf").name] = Path(name).with_suffix(".pdf").name
        # A private profile: two conversions at once would fight over the user's profile.
        profile = (root / "profile").as_uri()
        cmd = [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(root / "out"),
            *sorted(str(p) for p in root.glob("f*.docx")),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return {}
        return {
            names[p.name]: p.read_bytes() for p in (root / "out").glob("*.pdf") if p.name in names
        }
