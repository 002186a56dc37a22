"""Check out the public projects the first-contact sets were written for (developer tool).

    .venv/bin/python tools/first_contact_checkout.py MIRROR_ROOT TARGET [--splits tuning,heldout]

Each set (tests/understanding/data/first_contact/<split>/*.yml) names its `source` repository and
`commit`. For each, the bare git mirror MIRROR_ROOT/<owner>+<repo>/repo (or MIRROR_ROOT/<owner>+<repo>,
or MIRROR_ROOT/<repo>.git) is exported at that commit into TARGET/<repo>, the layout
FIRST_CONTACT_PROJECTS expects. Fetching the mirrors is not done here (any `git clone --mirror`
will do). A commit missing from its mirror falls back to the mirror's HEAD and says so.
Existing TARGET/<repo> folders are left alone unless --force is given.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

SETS = Path(__file__).resolve().parents[1] / "tests" / "understanding" / "data" / "first_contact"


def sources(splits: list[str]) -> dict[str, str]:
    """owner/repo -> commit, over the sets of the given splits."""
    yaml = YAML(typ="base")  # every scalar a string: a commit such as 6e30868 is not a float
    result: dict[str, str] = {}
    for split in splits:
        for path in sorted((SETS / split).glob("*.yml")):
            doc = yaml.load(path.read_text(encoding="utf-8"))
            result[str(doc["source"])] = str(doc["commit"])
    return result


def find_mirror(root: Path, source: str) -> Path | None:
    owner, repo = source.split("/", 1)
    for candidate in (root / f"{owner}+{repo}" / "repo", root / f"{owner}+{repo}", root / f"{repo}.git"):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def export(mirror: Path, commit: str, target: Path) -> tuple[str, int]:
    """Write the files of `commit` (or HEAD when the mirror lacks it) under target; returns the
    ref used and how many files were skipped because the mirror lacks their content (a mirror
    may leave out its largest files, so `git archive` would fail on them)."""
    git = ["git", "--git-dir", str(mirror)]
    known = subprocess.run([*git, "cat-file", "-e", f"{commit}^{{commit}}"], capture_output=True).returncode == 0
    ref = commit if known else "HEAD"
    listing = subprocess.run([*git, "ls-tree", "-r", "-z", ref], capture_output=True, check=True).stdout
    entries = []  # (mode, sha, path) of regular files
    for item in listing.decode("utf-8", "surrogateescape").split("\0"):
        if item:
            meta, path = item.split("\t", 1)
            mode, kind, sha = meta.split()
            if kind == "blob" and mode in ("100644", "100755"):
                entries.append((mode, sha, path))
    batch = subprocess.run([*git, "cat-file", "--batch"], input="".join(f"{sha}\n" for _, sha, _ in entries).encode(),
                           capture_output=True).stdout
    stream, skipped = io.BytesIO(batch), 0
    for mode, sha, path in entries:
        header = stream.readline().split()
        if header[-1] == b"missing":
            skipped += 1
            continue
        data = stream.read(int(header[2]))
        stream.read(1)  # the newline after each object
        dest = target / path
        if target.resolve() not in dest.resolve().parents:
            raise SystemExit(f"{mirror}: refusing path outside the target: {path}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        if mode == "100755":
            dest.chmod(0o755)
    return ref, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mirror_root", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--splits", default="tuning", help="comma-separated: tuning,heldout,final")
    parser.add_argument("--force", action="store_true", help="replace existing checkouts")
    args = parser.parse_args(argv)
    failed = 0
    for source, commit in sources(args.splits.split(",")).items():
        folder = args.target / source.split("/", 1)[1]
        mirror = find_mirror(args.mirror_root, source)
        if mirror is None:
            print(f"{source}: no mirror under {args.mirror_root}", file=sys.stderr)
            failed += 1
            continue
        if folder.exists():
            if not args.force:
                print(f"{source}: {folder} exists, kept")
                continue
            shutil.rmtree(folder)
        ref, skipped = export(mirror, commit, folder)
        note = "" if ref == commit else f" (commit {commit} not in the mirror: used HEAD)"
        note += f" ({skipped} files absent from the mirror, left out)" if skipped else ""
        print(f"{source}: {folder} at {ref}{note}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
