"""Copy the web pages' third-party assets from npm into ``src/rexos/web/static/vendor/``.

Each asset comes from a package pinned in ``contracts/package.json`` (installed by
``make install-dev`` into ``contracts/node_modules``), is copied with its licence file, and
is recorded in ``vendor/MANIFEST.json`` with the package's version and licence and each
file's SHA-256. The copies are committed: installing RexOS needs no npm and no build step,
and the pages load nothing from a CDN.

    python scripts/vendor_web.py          # (re)write the vendored files and the manifest
    python scripts/vendor_web.py --check  # exit 1 and say what differs from node_modules
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "contracts" / "node_modules"
VENDOR = ROOT / "src" / "rexos" / "web" / "static" / "vendor"
MANIFEST = VENDOR / "MANIFEST.json"


@dataclass(frozen=True)
class Asset:
    package: str
    folder: str
    """Where under ``vendor/`` its files go."""
    files: tuple[str, ...]
    """Paths inside the package, licence included; copied under their base names."""


ASSETS = (Asset("@picocss/pico", "pico", ("css/pico.classless.min.css", "LICENSE.md")),)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def expected(node_modules: Path = NODE_MODULES) -> tuple[dict[str, bytes], dict[str, object]]:
    """What ``vendor/`` should hold (relative path → bytes) and the manifest, read from
    ``node_modules``; ``FileNotFoundError`` names what is missing."""
    files: dict[str, bytes] = {}
    packages: list[dict[str, object]] = []
    for asset in ASSETS:
        root = node_modules / asset.package
        meta = json.loads((root / "package.json").read_text(encoding="utf-8"))
        hashes: dict[str, str] = {}
        for inner in asset.files:
            data = (root / inner).read_bytes()
            name = f"{asset.folder}/{Path(inner).name}"
            files[name] = data
            hashes[name] = sha256(data)
        packages.append({"package": asset.package, "version": meta["version"],
                         "license": meta["license"], "files": hashes})  # fmt: skip
    manifest: dict[str, object] = {"source": "npm, through contracts/package.json",
                                   "packages": packages}  # fmt: skip
    return files, manifest


def manifest_text(manifest: dict[str, object]) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True) + "\n"


def differences(vendor: Path = VENDOR, node_modules: Path = NODE_MODULES) -> list[str]:
    """How ``vendor`` differs from what this script would write (empty: the same)."""
    files, manifest = expected(node_modules)
    found: list[str] = []
    for name, data in files.items():
        path = vendor / name
        if not path.is_file() or path.read_bytes() != data:
            found.append(f"{name} differs from {node_modules.name}")
    wanted = {*files, "MANIFEST.json"}
    for path in sorted(vendor.rglob("*")):
        name = path.relative_to(vendor).as_posix()
        if path.is_file() and name not in wanted:
            found.append(f"{name} is not an asset this script copies")
    manifest_path = vendor / "MANIFEST.json"
    if not manifest_path.is_file() or manifest_path.read_text("utf-8") != manifest_text(manifest):
        found.append("MANIFEST.json differs")
    return found


def write(vendor: Path = VENDOR, node_modules: Path = NODE_MODULES) -> None:
    files, manifest = expected(node_modules)
    for name, data in files.items():
        path = vendor / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (vendor / "MANIFEST.json").write_text(manifest_text(manifest), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    try:
        if not args.check:
            write()
            return 0
        found = differences()
    except FileNotFoundError as exc:
        print(f"{exc.filename} is missing: run `make install-dev` first", file=sys.stderr)
        return 1
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
