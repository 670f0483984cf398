"""``rexos studio`` in-process: new, validate, hash, export, list, tools and test on the
example specs; bad input (a missing file, hostile YAML, a tool that is not installed, a pin
that does not match, an existing file) as one line and exit 2 with nothing written; a failed
eval as exit 1. No chain and no model are needed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from rexos.cli.main import run
from rexos.studio import installed_tools, load_spec, spec_hash
from tests.e2e.conftest import CliResult
from tests.unit.studio.specs import DCA, DIGEST, doc

Studio = Callable[..., CliResult]


@pytest.fixture
def studio(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run ``rexos --home H studio ARGS...`` in-process; return code, stdout, stderr."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        try:
            run(["--home", str(tmp_path / "home"), "studio", *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def _one_error(got: CliResult, needle: str) -> None:
    assert got.code == 2, (got.out, got.err)
    assert needle in got.err, got.err
    assert len(got.err.strip().splitlines()) == 1, got.err
    assert got.err.startswith("error: ")


# ---------------------------------------------------------------- new, validate, hash


def test_a_new_spec_is_pinned_validates_and_lists(studio: Studio, tmp_path: Path) -> None:
    made = studio("new", "dca", "my-dca")
    assert made.code == 0, made.err
    path = tmp_path / "home" / "agents" / "my-dca.yaml"
    spec = load_spec(path)
    assert spec.name == "my-dca" and spec.permissions.moves_funds
    installed = installed_tools()
    assert all(pin.hash == installed[pin.name].hash for pin in spec.tools)
    assert spec_hash(spec) in made.out

    valid = studio("validate", str(path))
    assert valid.code == 0, valid.err
    assert valid.out.startswith("valid: my-dca 1.0.0")
    assert f"spec hash {spec_hash(spec)}" in valid.out
    for pin in spec.tools:
        assert f"{pin.plugin} {pin.plugin_version}  {pin.hash}" in valid.out

    hashed = studio("hash", str(path))
    assert hashed.out == spec_hash(spec) + "\n"

    listed = studio("list")
    assert listed.code == 0, listed.err
    row = next(line for line in listed.out.splitlines() if line.startswith("my-dca.yaml"))
    assert spec_hash(spec) in row and "funds-moving: approve swap" in row and "USDC" in row


def test_new_writes_json_too_and_the_other_template(studio: Studio, tmp_path: Path) -> None:
    got = studio("new", "portfolio-digest", "my-digest", "-o", "digest.json")
    assert got.code == 0, got.err
    written = json.loads((tmp_path / "digest.json").read_text())
    assert written["name"] == "my-digest" and written["permissions"] == {"mode": "read_only"}
    assert studio("validate", "digest.json").code == 0


def test_new_refuses_to_overwrite_unless_forced(studio: Studio, tmp_path: Path) -> None:
    target = tmp_path / "agent.yaml"
    target.write_text("mine\n")
    _one_error(studio("new", "dca", "my-dca", "-o", str(target)), "--force")
    assert target.read_text() == "mine\n"
    forced = studio("new", "dca", "my-dca", "-o", str(target), "--force")
    assert forced.code == 0, forced.err
    assert load_spec(target).name == "my-dca"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("new", "no-such-template", "x-agent"), "no template"),
        (("new", "dca", "../escape"), "name"),
        (("new", "dca", "Bad Name"), "name"),
        (("new", "dca", "my-dca", "-o", "agent.txt"), ".yaml"),
        (("new", "dca", "my-dca", "-o", "nowhere/agent.yaml"), "no such folder"),
    ],
)
def test_new_bad_input_writes_nothing(
    studio: Studio, tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    _one_error(studio(*args), needle)
    agents = tmp_path / "home" / "agents"
    assert not agents.exists() or not any(agents.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]


@pytest.mark.parametrize("example", [DCA, DIGEST])
def test_the_examples_validate_with_their_hash(studio: Studio, example: Path) -> None:
    got = studio("validate", str(example), "--for-publish", "--json")
    assert got.code == 0, got.err
    report = json.loads(got.out)
    spec = load_spec(example)
    assert report["valid"] is True and report["problems"] == []
    assert report["hash"] == spec_hash(spec) == studio("hash", str(example)).out.strip()
    assert [t["hash"] for t in report["tools"]] == [t.hash for t in spec.tools]


def test_validate_lists_every_problem_on_its_own_line(studio: Studio, tmp_path: Path) -> None:
    document = doc(DIGEST)
    document["tools"][0]["hash"] = "sha256:" + "0" * 64
    document["tools"][1]["name"] = "lense.nothing"
    document["evals"] = []
    folder = tmp_path / "[red]specs"  # printed as it is, never read as markup
    folder.mkdir()
    path = _write(folder / "two.yaml", document)
    got = studio("validate", str(path), "--for-publish")
    assert got.code == 2 and got.out == ""
    lines = got.err.strip().splitlines()
    assert len(lines) == 3, lines
    assert all(line.startswith(f"error: {path}: ") for line in lines)
    assert "tools[0]: lense.report does not match its pin" in lines[0]
    assert "tools[1]: lense.nothing is not installed" in lines[1]
    assert "at least one eval is needed to publish" in lines[2]
    as_json = studio("validate", str(path), "--json")
    assert as_json.code == 2 and json.loads(as_json.out)["valid"] is False
    assert len(json.loads(as_json.out)["problems"]) == 2  # evals only matter to publish


# ---------------------------------------------------------------- bad input, every command

HOSTILE = 'name: !!python/object/apply:os.system ["touch CANARY"]\n'


def _bad_spec(kind: str, tmp_path: Path) -> tuple[Path, str]:
    if kind == "missing":
        return tmp_path / "absent.yaml", "cannot read"
    if kind == "hostile":
        path = tmp_path / "hostile.yaml"
        path.write_text(HOSTILE)
        return path, "hostile.yaml"
    document = doc(DCA)
    if kind == "not installed":
        document["tools"][0]["name"] = "dex.drain"
        return _write(tmp_path / "absent-tool.yaml", document), "dex.drain is not installed"
    document["tools"][1]["hash"] = "sha256:" + "ab" * 32
    return _write(tmp_path / "mismatch.yaml", document), "does not match its pin"


@pytest.mark.parametrize("kind", ["missing", "hostile", "not installed", "hash mismatch"])
@pytest.mark.parametrize("command", ["validate", "test", "export"])
def test_bad_specs_are_one_line_exit_2_and_nothing_written(
    studio: Studio, tmp_path: Path, kind: str, command: str
) -> None:
    path, needle = _bad_spec(kind, tmp_path)
    extra = ("--format", "a2a", "--url", "https://a.example/x", "-o", "card.json")
    got = studio(command, str(path), *(extra if command == "export" else ()))
    _one_error(got, needle)
    assert not (tmp_path / "CANARY").exists() and not (tmp_path / "card.json").exists()


@pytest.mark.parametrize("kind", ["missing", "hostile"])
def test_hash_of_an_unreadable_spec_is_one_line(studio: Studio, tmp_path: Path, kind: str) -> None:
    path, needle = _bad_spec(kind, tmp_path)
    _one_error(studio("hash", str(path)), needle)
    assert not (tmp_path / "CANARY").exists()


# ---------------------------------------------------------------- export


def test_export_each_format_carries_the_spec_hash(studio: Studio, tmp_path: Path) -> None:
    digest = spec_hash(load_spec(DCA))
    a2a = studio("export", str(DCA), "--format", "a2a", "--url", "https://a.example/dca")
    assert a2a.code == 0, a2a.err
    card = json.loads(a2a.out)
    assert card["url"] == "https://a.example/dca" and card["name"] == "weekly-dca"
    assert card["capabilities"]["extensions"][0]["params"]["specHash"] == digest

    mcp = studio("export", str(DCA), "--format", "mcp", "--url", "https://a.example/mcp",
                 "--namespace", "io.github.alice", "-o", "server.json")  # fmt: skip
    assert mcp.code == 0 and mcp.out == "", mcp.err
    server = json.loads((tmp_path / "server.json").read_text())
    assert server["name"] == "io.github.alice/weekly-dca"
    assert (
        server["_meta"]["io.modelcontextprotocol.registry/publisher-provided"]["rexos"]["specHash"]
        == digest
    )

    erc = studio("export", str(DIGEST), "--format", "erc8004", "--url", "https://a.example/d",
                 "--mcp-url", "https://a.example/d/mcp")  # fmt: skip
    registration = json.loads(erc.out)
    assert registration["type"].endswith("#registration-v1")
    assert [s["name"] for s in registration["services"]] == ["A2A", "MCP"]
    assert registration["rexos"]["specHash"] == spec_hash(load_spec(DIGEST))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--format", "mcp", "--url", "https://a.example/m"), "--namespace"),
        (("--format", "mcp", "--url", "https://a.example/m", "--namespace", "x"), "namespace"),
        (("--format", "a2a", "--url", "javascript:alert(1)"), "http(s) URL"),
        (("--format", "a2a", "--url", "https://a.example/m", "-o", "card.txt"), ".json"),
        (("--format", "yaml", "--url", "https://a.example/m"), "--format"),
    ],
)
def test_export_bad_options(
    studio: Studio, tmp_path: Path, args: tuple[str, ...], needle: str
) -> None:
    _one_error(studio("export", str(DCA), *args), needle)
    assert not (tmp_path / "card.txt").exists()


def test_export_refuses_to_overwrite(studio: Studio, tmp_path: Path) -> None:
    (tmp_path / "card.json").write_text("{}")
    args = (
        "export",
        str(DCA),
        "--format",
        "a2a",
        "--url",
        "https://a.example/x",
        "-o",
        "card.json",
    )
    _one_error(studio(*args), "--force")
    assert (tmp_path / "card.json").read_text() == "{}"
    assert studio(*args, "--force").code == 0
    assert json.loads((tmp_path / "card.json").read_text())["name"] == "weekly-dca"


# ---------------------------------------------------------------- list and tools


def test_list_a_folder_with_a_broken_file(studio: Studio, tmp_path: Path) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "dca.yaml").write_text(DCA.read_text())
    (folder / "digest.yml").write_text(DIGEST.read_text())
    (folder / "broken.yaml").write_text(HOSTILE)
    (folder / "notes.txt").write_text("not a spec")
    got = studio("list", str(folder), "--json")
    assert got.code == 0, got.err
    rows = json.loads(got.out)["agents"]
    assert [r["file"] for r in rows] == ["broken.yaml", "dca.yaml", "digest.yml"]
    assert "error" in rows[0] and not (tmp_path / "CANARY").exists()
    assert rows[1]["hash"] == spec_hash(load_spec(DCA)) and rows[1]["price_rex"] == "1"
    assert rows[2]["permissions"] == "read-only"
    text = studio("list", str(folder))
    assert "broken.yaml" in text.out and "invalid" in text.out
    assert "weekly-dca" in text.out and "portfolio-digest" in text.out


def test_list_without_specs_and_a_missing_folder(studio: Studio, tmp_path: Path) -> None:
    empty = studio("list")
    assert empty.code == 0 and "no specs in" in empty.out
    _one_error(studio("list", str(tmp_path / "nope")), "no such folder")


def test_tools_are_the_installed_plugins_with_pins(studio: Studio) -> None:
    installed = installed_tools()
    got = studio("tools", "--json")
    assert got.code == 0, got.err
    listed = {t["name"]: t for t in json.loads(got.out)}
    assert set(listed) == set(installed)
    for name, tool in installed.items():
        assert listed[name]["hash"] == tool.hash
        assert listed[name]["moves_funds"] is tool.moves_funds
    pins = {pin.name: pin.hash for pin in load_spec(DCA).tools}
    text = studio("tools").out.splitlines()
    for name, pin in pins.items():
        assert any(line.startswith(name + " ") and line.endswith(pin) for line in text)
    movers = [n for n, t in installed.items() if t.moves_funds]
    assert movers and all(
        "moves funds" in next(line for line in text if line.startswith(n + " ")) for n in movers
    )


# ---------------------------------------------------------------- test


@pytest.mark.parametrize("example", [DCA, DIGEST])
def test_the_examples_evals_pass(studio: Studio, example: Path) -> None:
    got = studio("test", str(example))
    assert got.code == 0, (got.out, got.err)
    spec = load_spec(example)
    assert f"{len(spec.evals)} passed, 0 failed" in got.out
    as_json = json.loads(studio("test", str(example), "--json").out)
    assert as_json["passed"] == len(spec.evals) and as_json["failed"] == 0
    assert [r["read"] for r in as_json["evals"]] == [e.expect_intent for e in spec.evals]


def _evals(tmp_path: Path, base: Path, evals: list[dict[str, Any]]) -> Path:
    document = doc(base)
    document["evals"] = evals
    return _write(tmp_path / "evals.yaml", document)


def test_a_wrong_expected_intent_fails(studio: Studio, tmp_path: Path) -> None:
    path = _evals(tmp_path, DIGEST, [
        {"request": "show my portfolio", "expect_intent": "portfolio"},
        {"request": "show my portfolio", "expect_intent": "price"},
    ])  # fmt: skip
    got = studio("test", str(path))
    assert got.code == 1, got.err
    assert "1 passed, 1 failed" in got.out
    assert any(line.startswith("fail") and "read as portfolio, not price" in line
               for line in got.out.splitlines())  # fmt: skip


def test_an_expected_output_is_left_to_run_not_passed(studio: Studio, tmp_path: Path) -> None:
    path = _evals(tmp_path, DIGEST, [
        {"request": "write my weekly digest", "expect_output": ["holdings"]},
    ])  # fmt: skip
    got = studio("test", str(path), "--json")
    assert got.code == 0, got.err
    report = json.loads(got.out)
    assert report["passed"] == 0 and report["needs_run"] == 1
    assert report["evals"][0]["status"] == "needs run"


@pytest.mark.parametrize(
    ("base", "request_", "expect", "needle"),
    [
        (DCA, "swap 500 USDC for WETH", "swap", "above the per-action cap of 50"),
        (DCA, "swap 10 DAI for WETH", "swap", "DAI is not among permissions.tokens"),
        (DCA, "stake 10 USDC", "stake", "not in permissions.actions"),
        (DCA, "swap USDC for WETH", "swap", "read as a question"),
        (DIGEST, "swap 1 WETH for USDC", "swap", "the agent is read-only"),
        (DIGEST, "send 5 USDC to alice", "price", "the agent is read-only"),
    ],
)
def test_an_eval_outside_the_permissions_fails(
    studio: Studio, tmp_path: Path, base: Path, request_: str, expect: str, needle: str
) -> None:
    path = _evals(tmp_path, base, [{"request": request_, "expect_intent": expect}])
    got = studio("test", str(path), "--json")
    assert got.code == 1, (got.out, got.err)
    row = json.loads(got.out)["evals"][0]
    assert row["status"] == "fail" and needle in row["detail"], row


def test_a_spec_without_evals_has_nothing_to_test(studio: Studio, tmp_path: Path) -> None:
    _one_error(studio("test", str(_evals(tmp_path, DIGEST, []))), "no evals")
