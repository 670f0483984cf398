"""The README's Layout lists exactly the top-level packages and modules of ``src/rexos``;
docs/explanation/architecture.md names every unit of ``rexos.layers``; no doc links outside
the repository."""

from __future__ import annotations

import re
from pathlib import Path

from rexos.layers import LAYERS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PACKAGE = ROOT / "src" / "rexos"


def _layout() -> str:
    section = README[README.index("## Layout") :]
    match = re.search(r"```\n(.*?)```", section, re.S)
    assert match, "the README's Layout lost its listing"
    return match.group(1)


def _listed_units() -> set[str]:
    """Names in the first column of the lines under ``src/rexos/``: ``chain/``, ``config.py``."""
    names: set[str] = set()
    inside = False
    for line in _layout().splitlines():
        if line.startswith("src/rexos/"):
            inside = True
            continue
        if inside and not line.startswith("  "):
            break
        if inside:
            first = re.split(r"\s{2,}", line.strip())[0] if line[2:3] != " " else ""
            names.update(first.split())
    return names


def _units_on_disk() -> set[str]:
    packages = {f"{p.name}/" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    modules = {p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    return packages | modules


def test_the_layout_lists_every_package_and_module() -> None:
    listed = {name.removesuffix("artifacts/").rstrip("/") for name in _listed_units()}
    on_disk = {name.rstrip("/") for name in _units_on_disk()}
    assert on_disk - listed == set(), "missing from the README's Layout"
    assert listed - on_disk == set(), "listed in the README's Layout but not in src/rexos"


def test_the_layout_lists_the_test_suites_and_top_folders() -> None:
    layout = _layout()
    suites = {p.name for p in (ROOT / "tests").iterdir() if (p / "__init__.py").is_file()}
    for suite in suites:
        assert f"{suite}/" in layout, suite
    for folder in ("contracts/", "benchmarks/", "scripts/", "docs/"):
        assert folder in layout, folder
    for part in ("tutorials/", "how-to/", "explanation/", "reference/"):
        assert (ROOT / "docs" / part).is_dir() and part in layout, part


def test_the_architecture_page_names_every_unit_of_every_layer() -> None:
    page = (ROOT / "docs/explanation/architecture.md").read_text(encoding="utf-8")
    for name, units in LAYERS:
        row = next((r for r in page.splitlines() if r.startswith(f"| {name} |")), None)
        assert row, f"architecture.md has no row for the {name} layer"
        named = set(re.findall(r"`([a-z_]+)`", row.split("|")[2]))
        assert units - {"rexos", "layers"} <= named, (name, units - named)
        on_disk = {unit.removesuffix(".py").rstrip("/") for unit in _units_on_disk()}
        assert named <= on_disk, (name, named - on_disk)


def test_no_doc_links_outside_the_repository() -> None:
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)", text):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            resolved = (doc.parent / target).resolve()
            assert resolved.is_relative_to(ROOT), f"{doc.name} links outside the repo: {target}"
            assert resolved.exists(), f"{doc.name} links to a missing file: {target}"
