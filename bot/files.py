"""Writing a file so that a crash leaves the old content or the new, never half of either.

The one atomic writer of the project (articles, sidecars, ``feeds.json``, calibrations): the data goes
to a temporary file with a unique name in the same folder, which then replaces the target in one
rename. Two writers at once each use their own temporary file; the last rename wins whole.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) in one rename."""
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
