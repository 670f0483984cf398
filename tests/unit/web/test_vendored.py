"""The vendored web assets are what scripts/vendor_web.py copies from npm, byte for byte."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from scripts import vendor_web

VENDOR = vendor_web.VENDOR


def test_every_vendored_file_matches_its_recorded_hash_and_nothing_else_is_there() -> None:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    recorded = {name: digest for p in manifest["packages"] for name, digest in p["files"].items()}
    present = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}
    assert present == {*recorded, "MANIFEST.json"}
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert {p["package"]: p["version"] for p in manifest["packages"]} == {"@picocss/pico": "2.1.1"}
    assert all(any(n.endswith("LICENSE.md") for n in p["files"]) for p in manifest["packages"])


def test_the_vendored_files_are_what_the_script_copies_from_node_modules() -> None:
    assert vendor_web.NODE_MODULES.is_dir(), "run `make install-dev` (npm packages)"
    assert vendor_web.differences() == []


def test_the_check_names_a_changed_or_stray_file(tmp_path: Path) -> None:
    copy = tmp_path / "vendor"
    shutil.copytree(VENDOR, copy)
    assert vendor_web.differences(copy) == []
    (copy / "pico" / "pico.classless.min.css").write_text("body{}")
    (copy / "extra.js").write_text("alert(1)")
    assert vendor_web.differences(copy) == [
        "pico/pico.classless.min.css differs from node_modules",
        "extra.js is not an asset this script copies",
    ]
    vendor_web.write(copy)
    (copy / "extra.js").unlink()
    assert vendor_web.differences(copy) == []


def test_the_version_in_the_manifest_is_the_one_npm_pins() -> None:
    package = json.loads((vendor_web.ROOT / "contracts" / "package.json").read_text("utf-8"))
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text(encoding="utf-8"))
    for entry in manifest["packages"]:
        assert package["devDependencies"][entry["package"]] == entry["version"]
