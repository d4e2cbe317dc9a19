"""Model artifacts on disk, addressed by content hash.

An artifact is written once, its sha256 recorded in the registry, and verified before every
load: a file whose bytes do not match the registry is never unpickled.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any


class ArtifactError(RuntimeError):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save(model: Any, directory: Path, monitor: str, run_id: str) -> tuple[Path, str]:
    """Write atomically (temp file + rename) and return (path, sha256)."""
    target_dir = Path(directory) / monitor
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / f"{run_id}.pkl"
    partial = path.with_suffix(".pkl.partial")
    with open(partial, "wb") as handle:
        pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return path, sha256_of(path)


def load(uri: str, expected_sha256: str) -> Any:
    path = Path(uri)
    if not path.exists():
        raise ArtifactError(f"artifact {uri} is missing")
    actual = sha256_of(path)
    if actual != expected_sha256:
        raise ArtifactError(f"artifact {uri} has sha256 {actual[:12]}…, the registry says {expected_sha256[:12]}…: "
                            "refusing to load it")
    with open(path, "rb") as handle:
        return pickle.load(handle)
