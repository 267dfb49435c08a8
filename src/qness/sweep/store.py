"""Sweep results on disk: a Zarr store written chunk by chunk, with checkpoints and provenance.

Layout of a store ``RESULTS.zarr/``::

    zarr.json, <variable>/...      an xarray Dataset in Zarr v3 (``xarray.open_zarr`` opens it):
                                   one dimension per swept parameter (units in attrs), one
                                   variable per measure and per solver diagnostic
    _qness/header.json             the sweep specification and its sha256 (``spec_hash``)
    _qness/done/<task>.json        one marker per finished task (a block of points at a
                                   refinement level) with the sha256 of the values it wrote
    _qness/log.jsonl               append-only event log (run starts, chunks computed)
    _qness/final.json              written once the sweep is complete

Crash safety: a task's values are written into its own Zarr chunks (blocks never share a chunk),
the chunk files are fsync'ed, and only then is its marker created by write-temp + ``os.replace``
(+ directory fsync).  A sweep killed at any moment therefore has markers only for chunks that
are fully on disk; ``--resume`` recomputes the rest.  On resume every marker's checksum is
compared with the data (a truncated or altered chunk is detected) and the stored ``spec_hash``
with the requested sweep (a different model, grid, measures or solver options is refused).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InvalidInputError

__all__ = [
    "FORMAT",
    "CorruptStoreError",
    "StoreMismatchError",
    "SweepStore",
    "store_info",
]

FORMAT = "qness-sweep/1"
META = "_qness"


class CorruptStoreError(InvalidInputError):
    """The store is damaged (unreadable metadata, truncated or altered chunks)."""


class StoreMismatchError(InvalidInputError):
    """The store holds a different sweep (model, grid, measures or options) than requested."""


def _utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _fsync_path(path: Path) -> None:
    """fsync a file or a directory (ignored where the platform does not allow it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_json_atomic(path: Path, obj: Any, *, fsync: bool = True) -> None:
    """Write JSON to ``path`` atomically: temp file, fsync, ``os.replace``, directory fsync."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, sort_keys=True)
        if fsync:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)
    if fsync:
        _fsync_path(path.parent)


def checksum(values: Mapping[str, np.ndarray]) -> str:
    """sha256 over ``name + dtype + bytes`` of every array, names sorted."""
    h = hashlib.sha256()
    for name in sorted(values):
        arr = np.ascontiguousarray(values[name])
        h.update(name.encode())
        h.update(arr.dtype.str.encode())
        h.update(arr.tobytes())
    return h.hexdigest()


@dataclass(frozen=True)
class VariableLayout:
    """One stored variable: name, numpy dtype, extra (non-grid) trailing shape, fill value."""

    name: str
    dtype: str
    extra: tuple[int, ...] = ()
    fill: Any = np.nan


class SweepStore:
    """A sweep's Zarr store plus its checkpoint metadata (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str], *, durable: bool = True):
        self.path = Path(path)
        self.durable = durable
        self.meta = self.path / META
        self._zarr_group: Any = None

    # ------------------------------------------------------------------ creation / opening
    @property
    def exists(self) -> bool:
        return self.path.exists()

    def create(self, dataset: Any, encoding: dict[str, Any], header: dict[str, Any],
               *, overwrite: bool = False) -> None:
        """Write the empty dataset template and the header (the store's specification)."""
        import shutil

        if self.path.exists():
            if not overwrite:
                raise InvalidInputError(
                    f"store {str(self.path)!r} already exists; pass --resume to continue it or "
                    "--overwrite to replace it")
            if (self.path / "zarr.json").exists() or (self.meta / "header.json").exists():
                shutil.rmtree(self.path)
            else:
                raise InvalidInputError(f"refusing to overwrite {str(self.path)!r}: it is not a "
                                        "qness sweep store")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dataset.to_zarr(self.path, mode="w-", encoding=encoding, consolidated=True)
        (self.meta / "done").mkdir(parents=True)
        write_json_atomic(self.meta / "header.json", header)

    def header(self) -> dict[str, Any]:
        """The stored header; raises :class:`CorruptStoreError` if it cannot be read."""
        path = self.meta / "header.json"
        if not self.path.exists():
            raise InvalidInputError(f"no sweep store at {str(self.path)!r}")
        if not path.exists():
            raise CorruptStoreError(
                f"{str(self.path)!r} is not a complete qness sweep store ({META}/header.json is "
                "missing: creation was interrupted or it is another kind of store); remove it "
                "or run without --resume and with --overwrite")
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CorruptStoreError(f"cannot read {path}: {exc}") from None
        if head.get("format") != FORMAT:
            raise CorruptStoreError(f"{path}: unknown format {head.get('format')!r} "
                                    f"(expected {FORMAT!r})")
        return head

    def group(self) -> Any:
        """The Zarr group (opened read-write); :class:`CorruptStoreError` if unreadable."""
        if self._zarr_group is None:
            import zarr

            try:
                self._zarr_group = zarr.open_group(self.path, mode="r+")
            except Exception as exc:  # zarr raises many types for damaged metadata
                raise CorruptStoreError(f"cannot open the Zarr store {str(self.path)!r}: "
                                        f"{type(exc).__name__}: {exc}") from None
        return self._zarr_group

    def array(self, name: str) -> Any:
        try:
            return self.group()[name]
        except Exception as exc:
            raise CorruptStoreError(f"store {str(self.path)!r}: variable {name!r} cannot be "
                                    f"read ({type(exc).__name__}: {exc})") from None

    def require_match(self, spec_hash: str, spec: Mapping[str, Any]) -> dict[str, Any]:
        """Refuse (``StoreMismatchError``) unless the stored sweep has this ``spec_hash``."""
        head = self.header()
        if head.get("spec_hash") == spec_hash:
            return head
        stored = head.get("spec", {})
        diffs = [k for k in sorted(set(stored) | set(spec)) if stored.get(k) != spec.get(k)]
        details = "; ".join(f"{k}: stored {_short(stored.get(k))} vs requested "
                            f"{_short(spec.get(k))}" for k in diffs[:4])
        raise StoreMismatchError(
            f"store {str(self.path)!r} holds a different sweep (differs in {', '.join(diffs)}): "
            f"{details}. Refusing to merge; write to a new --out or pass --overwrite")

    # ------------------------------------------------------------------ chunks
    def done(self) -> dict[str, dict[str, Any]]:
        """Markers of finished tasks, by task key."""
        out: dict[str, dict[str, Any]] = {}
        folder = self.meta / "done"
        if not folder.exists():
            return out
        for f in sorted(folder.glob("*.json")):
            try:
                out[f.stem] = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CorruptStoreError(f"checkpoint marker {f} is unreadable ({exc}); the "
                                        "store is damaged") from None
        return out

    def read_block(self, names: Iterable[str], slices: tuple[slice, ...]) -> dict[str, np.ndarray]:
        out = {}
        for name in names:
            try:
                out[name] = np.asarray(self.array(name)[slices])
            except CorruptStoreError:
                raise
            except Exception as exc:
                raise CorruptStoreError(
                    f"store {str(self.path)!r}: cannot read variable {name!r} at {slices} "
                    f"({type(exc).__name__}: {exc}); a chunk is truncated or damaged") from None
        return out

    def write_block(self, slices: tuple[slice, ...], block: Mapping[str, np.ndarray],
                    chunk_index: tuple[int, ...]) -> None:
        """Write whole-block arrays into their (own) Zarr chunks and fsync the chunk files."""
        for name, arr in block.items():
            self.array(name)[slices] = arr
        if not self.durable:
            return
        for name, arr in block.items():
            extra = (0,) * (arr.ndim - len(chunk_index))
            key = "/".join(str(i) for i in (*chunk_index, *extra))
            _fsync_path(self.path / name / "c" / key)

    def mark_done(self, key: str, record: dict[str, Any]) -> None:
        write_json_atomic(self.meta / "done" / f"{key}.json", record, fsync=self.durable)

    def log(self, event: dict[str, Any]) -> None:
        """Append one JSON line to the event log (not needed for correctness, for audit)."""
        with open(self.meta / "log.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"t": _utc_now(), "host": socket.gethostname(),
                                 "pid": os.getpid(), **event}, sort_keys=True) + "\n")

    def events(self) -> list[dict[str, Any]]:
        path = self.meta / "log.jsonl"
        if not path.exists():
            return []
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue  # a line cut by a crash
        return out

    def finalize(self, attrs: Mapping[str, Any], record: dict[str, Any]) -> None:
        """Add final attributes to the root metadata and write ``final.json``.

        The root ``zarr.json`` (which also holds the consolidated metadata xarray reads) is
        rewritten atomically with the new attributes; the arrays' metadata is unchanged.
        """
        root = self.path / "zarr.json"
        try:
            meta = json.loads(root.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CorruptStoreError(f"cannot read {root}: {exc}") from None
        meta.setdefault("attributes", {}).update(dict(attrs))
        write_json_atomic(root, meta)
        self._zarr_group = None
        write_json_atomic(self.meta / "final.json", record)

    def check_metadata(self, names: Iterable[str]) -> list[str]:
        """Problems with the JSON metadata of the root and of each named array."""
        problems = []
        for rel in ["zarr.json", *(f"{n}/zarr.json" for n in names)]:
            try:
                json.loads((self.path / rel).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                problems.append(f"metadata {rel} is missing or unreadable ({exc})")
        return problems

    def final(self) -> dict[str, Any] | None:
        path = self.meta / "final.json"
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def clear_final(self) -> None:
        path = self.meta / "final.json"
        if path.exists():
            path.unlink()


def _short(value: Any, n: int = 120) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= n else text[: n - 3] + "..."


def store_info(path: str | os.PathLike[str], *, verify: bool = True) -> dict[str, Any]:
    """What a store holds and how complete it is (``qness info``).

    Returns
    -------
    dict
        ``model``, ``dims`` (name -> size), ``measures``, ``tasks_done``, ``points_done``,
        ``complete`` (bool), ``created``, ``finished``, ``problems`` (list of strings; empty when
        ``verify`` found every finished chunk intact) and the header's ``spec``.
    """
    from .run import verify_store

    st = SweepStore(path)
    head = st.header()
    spec = head["spec"]
    done = st.done()
    final = st.final()
    problems: list[str] = []
    if verify:
        problems = verify_store(st, head, raise_on_error=False)
    levels = int(spec["grid"].get("refine", {}).get("levels", 0)) if spec["grid"].get(
        "refine") else 0
    per_level = {lvl: sum(1 for r in done.values() if r.get("level") == lvl)
                 for lvl in range(levels + 1)}
    return {
        "path": str(Path(path).resolve()),
        "model": spec["model"],
        "dims": dict(zip(spec["dims"], spec["shape"], strict=True)),
        "measures": [m["name"] for m in spec["measures"]],
        "executor": head.get("executor"),
        "tasks_total": head.get("tasks_total"),
        "tasks_done": len(done),
        "tasks_done_per_level": per_level,
        "points_done": int(sum(r.get("n_points", 0) for r in done.values())),
        "points_total": int(np.prod(spec["shape"])),
        "complete": final is not None,
        "created": head.get("created"),
        "finished": None if final is None else final.get("finished"),
        "wall_time_s": None if final is None else final.get("wall_time_s"),
        "failed_points": None if final is None else final.get("failed_points"),
        "warnings": None if final is None else final.get("warnings"),
        "problems": problems,
        "spec_hash": head.get("spec_hash"),
        "spec": spec,
    }
