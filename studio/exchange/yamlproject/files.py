"""A Rasa project as files: read from a directory, a zip or a mapping, and classified as Rasa does."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from engine.safe_input import YamlLimitError

from . import yamlio
from .problems import Problem, ProjectInvalid

YAML_SUFFIXES = (".yml", ".yaml")
ROOT_FILES = {"config.yml": "config", "endpoints.yml": "endpoints", "credentials.yml": "credentials"}
# Zip limits: a studio upload, not an archive service; refuse bombs early. The studio passes its
# UPLOAD_MAX_BYTES setting as the unpacked limit; this default serves commands and tests.
MAX_FILES = 5000
MAX_TOTAL_BYTES = 50 * 1024 * 1024
MAX_PATH_LENGTH = 500  # the studio stores file paths (SourceFile.path, source_path) in 500 characters
# Entries are inflated this much at a time: one unbounded read of a deflate bomb allocates
# gigabytes before the CRC check notices that the entry lied about its size.
READ_CHUNK = 1024 * 1024
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
# Caches and tool folders, skipped at any depth; they are never part of the assistant.
_SKIP_PARTS = {"__pycache__", ".git", ".venv", "node_modules", "__MACOSX"}
# Rasa's trained models and its cache live at the project root only: `actions/models/order.py`
# is custom action code and is kept.
_SKIP_ROOT_FOLDERS = {"models", ".rasa"}

KIND_CONFIG, KIND_ENDPOINTS, KIND_CREDENTIALS = "config", "endpoints", "credentials"
KIND_DOMAIN, KIND_FLOWS, KIND_TRAINING, KIND_E2E, KIND_OTHER = (
    "domain", "flows", "training_data", "e2e_test", "other")
# Files that may hold items the studio models, so their snapshot of items is kept: domain files,
# flows files, and training data files (Rasa merges a data file's `responses:` into the domain).
MODELLED_KINDS = (KIND_DOMAIN, KIND_FLOWS, KIND_TRAINING)


@dataclass
class ProjectFile:
    """One file of the project; YAML files also carry their round-trip document."""

    path: str
    raw: bytes
    kind: str = KIND_OTHER
    _plain: Any = field(default=None, repr=False)
    _error: Problem | None = field(default=None, repr=False)
    _loaded: bool = field(default=False, repr=False)

    @property
    def is_yaml(self) -> bool:
        return self.path.lower().endswith(YAML_SUFFIXES)

    @cached_property
    def text(self) -> str | None:
        try:
            return self.raw.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self.text is None:
            self._error = Problem("file is not UTF-8 text", file=self.path)
            return
        try:
            self._plain = yamlio.load_plain(self.text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            reason = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
            if not isinstance(exc, YamlLimitError):
                reason = f"YAML syntax error: {reason}"
            self._error = Problem(reason, file=self.path, line=line)
        except YAMLError as exc:
            self._error = Problem(f"YAML error: {exc}", file=self.path)

    @property
    def plain(self) -> Any:
        """The content as plain Python (None when the file does not parse)."""
        self._load()
        return self._plain

    @cached_property
    def doc(self) -> Any:
        """The round-trip document (comments, positions); only for files that parse."""
        return yamlio.load(self.text) if self.error is None else None

    @property
    def error(self) -> Problem | None:
        self._load()
        return self._error

    def top_keys(self) -> set[str]:
        doc = self.plain
        return {str(k) for k in doc} if isinstance(doc, dict) else set()


@dataclass
class ProjectFiles:
    """All files of a project by relative POSIX path, in a stable order."""

    files: dict[str, ProjectFile]

    def __iter__(self):
        return iter(self.files.values())

    def get(self, path: str) -> ProjectFile | None:
        return self.files.get(path)

    def of_kind(self, kind: str) -> list[ProjectFile]:
        return [f for f in self.files.values() if f.kind == kind]

    @property
    def has_domain_folder(self) -> bool:
        return any(f.kind == KIND_DOMAIN and f.path.startswith("domain/") for f in self)

    def raw_by_path(self) -> dict[str, bytes]:
        return {p: f.raw for p, f in self.files.items()}


def classify(path: str, file: ProjectFile) -> str:
    """The file's role, following Rasa's own detection (RASA_FORMATS.md section 0)."""
    if path in ROOT_FILES:
        return ROOT_FILES[path]
    if not file.is_yaml:
        return KIND_OTHER
    top = path.split("/", 1)[0]
    if path in ("domain.yml", "domain.yaml") or top == "domain":
        return KIND_DOMAIN
    keys = file.top_keys() if file.error is None else set()
    if top in ("tests", "e2e_tests") or "test_cases" in keys:
        return KIND_E2E
    if top == "data":
        if "flows" in keys:
            return KIND_FLOWS
        if file.error is not None:
            # A broken YAML file under data/ may be a flows file: report it rather than skip it.
            return KIND_FLOWS
        return KIND_TRAINING
    return KIND_OTHER


def _skipped(parts: tuple[str, ...] | list[str]) -> bool:
    return bool(set(parts) & _SKIP_PARTS) or (len(parts) > 1 and parts[0] in _SKIP_ROOT_FOLDERS)


def _normalise(path: str) -> str | None:
    path = path.replace("\\", "/")
    if path.startswith("/") or ":" in path.split("/", 1)[0]:
        return None
    norm = posixpath.normpath(path)
    if norm.startswith("../") or norm == ".." or norm == ".":
        return None
    return norm


def files_from_mapping(raw: dict[str, bytes], kinds: dict[str, str] | None = None) -> ProjectFiles:
    """Build and classify from {relative path: bytes}; unsafe paths are refused.

    `kinds` (path -> kind, as classified at import) skips re-reading files kept verbatim.
    """
    problems, out = [], {}
    for path in sorted(raw):
        norm = _normalise(path)
        if norm is None:
            problems.append(Problem("unsafe path in project (absolute or outside the project)", file=path))
            continue
        if len(norm) > MAX_PATH_LENGTH:
            problems.append(Problem(f"file path longer than {MAX_PATH_LENGTH} characters", file=path))
            continue
        if _skipped(norm.split("/")):
            continue
        out[norm] = ProjectFile(path=norm, raw=raw[path])
    if problems:
        raise ProjectInvalid(problems)
    for path, file in out.items():
        file.kind = (kinds or {}).get(path) or classify(path, file)
    for path in ignored_domain_folder(out):
        out[path].kind = KIND_OTHER
    return ProjectFiles(out)


def ignored_domain_folder(files: dict[str, ProjectFile]) -> list[str]:
    """Files under `domain/` that Rasa never reads: with a root `domain.yml` it loads that file alone
    (its verdict on such a project is in tests/exchange/rasa_verdicts/domain_file_and_folder)."""
    if not any(name in files for name in ("domain.yml", "domain.yaml")):
        return []
    return [path for path in files if path.startswith("domain/") and files[path].is_yaml]


def read_directory(root: str | Path) -> ProjectFiles:
    root = Path(root)
    if not root.is_dir():
        raise ProjectInvalid([Problem(f"not a directory: {root}")])
    raw = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not _skipped(rel.parts):
            raw[rel.as_posix()] = path.read_bytes()
    return files_from_mapping(raw)


def _strip_common_root(names: Iterable[str]) -> str:
    """A zip of a folder holds `folder/config.yml`; the project root is that folder."""
    names = [n for n in names if n and not n.startswith("__MACOSX/")]
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        top = tops.pop()
        if f"{top}/config.yml" in names or not any(n.count("/") == 0 for n in names):
            return top + "/"
    return ""


def megabytes(size: int) -> str:
    """`size` bytes in MB for messages: 52428800 -> "50", 200000 -> "0.19"."""
    return f"{size / (1024 * 1024):.2f}".rstrip("0").rstrip(".")


def _too_large(name: str, max_bytes: int) -> ProjectInvalid:
    return ProjectInvalid([Problem(f"archive too large when unpacked (over {megabytes(max_bytes)} MB)", file=name)])


def _read_entries(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, max_bytes: int) -> dict:
    """{entry name: bytes}, read in bounded chunks, stopping as soon as the total passes `max_bytes`."""
    raw, total = {}, 0
    for info in infos:
        if info.compress_type not in _METHODS:
            raise ProjectInvalid([Problem("compressed with an unsupported method (only stored and deflate are read)",
                                          file=info.filename)])
        chunks = []
        try:
            with archive.open(info) as entry:
                while chunk := entry.read(READ_CHUNK):
                    total += len(chunk)
                    if total > max_bytes:
                        raise _too_large(name, max_bytes)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
            raise ProjectInvalid([Problem(f"cannot read from archive: {exc}", file=info.filename)]) from exc
        raw[info.filename] = b"".join(chunks)
    return raw


def read_zip(data: bytes | io.BufferedIOBase, name: str = "upload.zip",
             max_bytes: int = MAX_TOTAL_BYTES) -> ProjectFiles:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ProjectInvalid([Problem(f"not a zip archive: {exc}", file=name)]) from exc
    infos = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
    if len(infos) > MAX_FILES:
        raise ProjectInvalid([Problem(f"too many files in archive ({len(infos)} > {MAX_FILES})", file=name)])
    if sum(i.file_size for i in infos) > max_bytes:
        raise _too_large(name, max_bytes)  # what the entries declare; reading checks what they hold
    prefix = _strip_common_root(i.filename for i in infos)
    raw = _read_entries(archive, infos, name, max_bytes)
    return files_from_mapping({path[len(prefix):]: content for path, content in raw.items()})


def build_zip(files: dict[str, bytes], root: str = "") -> bytes:
    """Zip {path: bytes}, sorted, with fixed timestamps so equal content gives equal archives."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(posixpath.join(root, path) if root else path, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path])
    return out.getvalue()
