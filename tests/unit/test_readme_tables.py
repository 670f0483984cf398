"""The README's generated regions are what ``scripts/readme_tables.py`` writes today."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

from rexos.config import SETTINGS_HELP

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_tables", ROOT / "scripts/readme_tables.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tables = _script()
TEXT = README.read_text(encoding="utf-8")


def test_every_generator_has_its_region_once() -> None:
    names = re.findall(r"<!-- generated: ([a-z]+) -->", TEXT)
    assert sorted(names) == sorted(tables.GENERATORS)
    assert TEXT.count("<!-- /generated -->") == len(names)


@pytest.mark.parametrize("name", sorted(tables.GENERATORS))
def test_the_region_is_current(name: str) -> None:
    """Fails after a benchmark JSON or a setting changed: run python scripts/readme_tables.py."""
    assert tables.regions(TEXT)[name] == tables.GENERATORS[name](), (
        f"README region {name!r} is stale: run python scripts/readme_tables.py"
    )


def test_every_gas_figure_of_the_json_is_in_the_readme() -> None:
    gas = json.loads((ROOT / "benchmarks/gas.json").read_text(encoding="utf-8"))
    region = tables.regions(TEXT)["gas"]
    for figure in gas["figures"]:
        assert f"| {figure['gas']:,} |" in region, figure


def test_every_setting_is_listed_with_its_help_text() -> None:
    region = tables.regions(TEXT)["settings"]
    rows = re.findall(r"^\| `(REXOS_[A-Z_]+)` \| (.+) \|$", region, re.M)
    assert dict(rows) == {name: text.replace("|", "\\|") for name, text in SETTINGS_HELP.items()}


def test_the_readme_names_only_declared_settings() -> None:
    named = set(re.findall(r"\bREXOS_[A-Z_]*[A-Z]\b", TEXT))
    assert named <= set(SETTINGS_HELP), named - set(SETTINGS_HELP)


def test_check_reports_a_stale_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "README.md"
    current = tables.render(TEXT)
    first = json.loads((ROOT / "benchmarks/gas.json").read_text(encoding="utf-8"))["figures"][0]
    changed = current.replace(f"| {first['gas']:,} |", f"| {first['gas'] + 1:,} |", 1)
    assert changed != current
    stale.write_text(changed, encoding="utf-8")
    assert tables.main(["--check", "--readme", str(stale)]) == 1
    assert "stale README regions: gas" in capsys.readouterr().out
    assert tables.main(["--readme", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == current
    assert tables.main(["--check", "--readme", str(stale)]) == 0
