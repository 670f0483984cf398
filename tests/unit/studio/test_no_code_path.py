"""No field of a spec can reach code execution.

Every attack below must end in one clear :class:`SpecError` (or, for text that is allowed, be
kept as literal text), and never run anything: ``os.system``, ``subprocess``, ``eval`` and
``exec`` are replaced by sentinels that record a call, and the payloads try to create a canary
file. Hypothesis feeds random documents, random values in every field of a real spec, and
random text through the YAML reader.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rexos.studio import (
    SpecError,
    installed_tools,
    load_spec,
    parse_spec,
    render,
    spec_hash,
    validate,
)
from rexos.studio.safeyaml import MAX_BYTES, MAX_DEPTH, load_document
from tests.unit.studio.specs import DCA, doc

INSTALLED = installed_tools()


class Sentinel:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def hook(self, name: str) -> Any:
        def called(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            raise AssertionError(f"{name} was called by a spec")

        return called

    def guard(self, name: str, real: Any) -> Any:
        """``real`` for the test tools (hypothesis compiles with ``exec``), a trap for rexos."""

        def called(*args: Any, **kwargs: Any) -> Any:
            if str(sys._getframe(1).f_globals.get("__name__", "")).startswith("rexos"):
                self.calls.append(name)
                raise AssertionError(f"{name} was called by rexos")
            return real(*args, **kwargs)

        return called


@pytest.fixture
def sentinel(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Sentinel]:
    watch = Sentinel()
    monkeypatch.setattr(os, "system", watch.hook("os.system"))
    monkeypatch.setattr(os, "popen", watch.hook("os.popen"))
    monkeypatch.setattr(subprocess, "Popen", watch.hook("subprocess.Popen"))
    monkeypatch.setattr(builtins, "eval", watch.guard("eval", builtins.eval))
    monkeypatch.setattr(builtins, "exec", watch.guard("exec", builtins.exec))
    monkeypatch.chdir(tmp_path)
    yield watch
    assert watch.calls == []
    assert not (tmp_path / "CANARY").exists()


_YAML_ATTACKS = {
    "python apply": '!!python/object/apply:os.system ["touch CANARY"]',
    "python apply in a field": 'name: !!python/object/apply:os.system ["touch CANARY"]\n',
    "python new": 'x: !!python/object/new:subprocess.Popen [["touch", "CANARY"]]\n',
    "python name": "x: !!python/name:os.system\n",
    "exec module": "x: !!python/object/apply:builtins.exec [\"open('CANARY','w')\"]\n",
    "local tag": "x: !shell touch CANARY\n",
    "tag directive": "%TAG !p! tag:yaml.org,2002:python/\n---\nx: !p!object/apply:os.system [a]\n",
    "binary": "x: !!binary aGVsbG8=\n",
    "billion laughs": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
    "c: [*b, *b, *b, *b, *b, *b, *b, *b]\n",
    "merge key": "base: &b {x: 1}\nname: {<<: *b}\n",
    "deep nesting": "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5),
    "deep mapping": "".join(" " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 2)) + " " * 20 + "v",
    "huge document": "x: '" + "a" * MAX_BYTES + "'\n",
    "huge integer": "x: " + "9" * 5000 + "\n",
    "float": "x: 0.1\n",
    "infinity": "x: .inf\n",
    "nan": "x: .nan\n",
    "duplicate key": "name: a\nname: b\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "not text": "x: '\x00'\n",
}


@pytest.mark.parametrize("text", _YAML_ATTACKS.values(), ids=_YAML_ATTACKS.keys())
def test_hostile_yaml_is_one_clear_error(text: str, sentinel: Sentinel, tmp_path: Path) -> None:
    path = tmp_path / "agent.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError):
        load_spec(path)
    with pytest.raises(SpecError):
        parse_spec(load_document(text))


def test_hostile_json_is_one_clear_error(sentinel: Sentinel) -> None:
    for text in ['{"a": 1.5}', '{"a": NaN}', '{"a": 1, "a": 2}', '{"a": 1e400}',
                 "[" * 50 + "]" * 50, '{"a": ' + "9" * 5000 + "}", "{"]:  # fmt: skip
        with pytest.raises(SpecError):
            load_document(text, kind="json")


_INJECTIONS = [
    "{{7*7}}",
    "${HOME}",
    "{__class__}",
    "{wallet.__class__.__mro__}",
    "{0}",
    "{agent!r}",
    "%(wallet)s",
    "$(touch CANARY)",
    "`touch CANARY`",
    "; touch CANARY",
    "../../../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "a\x00b",
    "<script>alert(1)</script>",
    "{% import os %}{{ os.system('touch CANARY') }}",
]
_TEXT_FIELDS = [
    ("name",),
    ("description",),
    ("version",),
    ("tools", 0, "name"),
    ("tools", 0, "plugin"),
    ("tools", 0, "plugin_version"),
    ("permissions", "tokens", 0, "symbol"),
    ("permissions", "contracts", 0),
    ("prompts", "system"),
    ("prompts", "examples", 0, "user"),
    ("triggers", 0, "message"),
    ("triggers", 0, "every"),
    ("evals", 0, "request"),
    ("price", "rex"),
]


def _put(d: Any, path: tuple[str | int, ...], value: Any) -> None:
    for key in path[:-1]:
        d = d[key]
    d[path[-1]] = value


@pytest.mark.parametrize("field", _TEXT_FIELDS, ids=lambda f: ".".join(map(str, f)))
@pytest.mark.parametrize("payload", _INJECTIONS)
def test_injections_are_refused_or_kept_as_literal_text(
    field: tuple[str | int, ...], payload: str, sentinel: Sentinel
) -> None:
    d = doc()
    _put(d, field, payload)
    try:
        spec = parse_spec(d)
    except SpecError:
        return
    # Allowed only where text is free and braces are absent: kept byte for byte, never run.
    assert "{" not in payload and "\x00" not in payload
    kept: Any = spec.to_document()
    for key in field:
        kept = kept[key]
    assert kept == payload
    with pytest.raises(SpecError):
        validate(spec, {})  # and its tools still have to be installed


def test_render_swaps_known_placeholders_literally_once(sentinel: Sentinel) -> None:
    text = "for {wallet} by {agent} on {date}, {chain}; {{7*7}} {unknown}"
    out = render(text, {"wallet": "{agent}", "agent": "a", "date": "d", "chain": "1"})
    assert out == "for {agent} by a on d, 1; {{7*7}} {unknown}"
    with pytest.raises(SpecError):
        render("x", {"__class__": "y"})
    with pytest.raises(SpecError):
        render("{wallet}", {})


def test_a_tool_that_is_not_installed_or_changed_is_refused(sentinel: Sentinel) -> None:
    d = doc()
    d["tools"][0]["name"] = "dex.exec"
    with pytest.raises(SpecError, match=r"dex\.exec is not installed"):
        validate(parse_spec(d), INSTALLED)
    d = doc()
    d["tools"][0]["hash"] = "sha256:" + "1" * 64
    with pytest.raises(SpecError, match="does not match its pin"):
        validate(parse_spec(d), INSTALLED)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**40), 10**40) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _paths(child, (*prefix, i))
    return found


_FIELDS = _paths(doc())
_SETTINGS = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@_SETTINGS
@given(field=st.sampled_from(_FIELDS), value=_JSON | st.sampled_from(_INJECTIONS))
def test_fuzzed_fields_give_a_spec_or_a_spec_error(
    field: tuple[Any, ...], value: Any, sentinel: Sentinel
) -> None:
    d = doc()
    _put(d, field, value)
    try:
        spec = parse_spec(d)
    except SpecError:
        return
    spec_hash(spec)
    with contextlib.suppress(SpecError):
        validate(spec, INSTALLED, publish=True)


@_SETTINGS
@given(text=st.text(max_size=300) | st.binary(max_size=300))
def test_fuzzed_text_gives_a_spec_or_a_spec_error(text: str | bytes, sentinel: Sentinel) -> None:
    for kind in ("yaml", "json"):
        with contextlib.suppress(SpecError):
            parse_spec(load_document(text, kind=kind))


@_SETTINGS
@given(
    prefix=st.sampled_from(["", "!!python/object/apply:os.system ", "&a ", "*a ", "!x "]),
    value=st.text(max_size=30),
)
def test_fuzzed_yaml_values_in_a_real_spec(prefix: str, value: str, sentinel: Sentinel) -> None:
    text = DCA.read_text(encoding="utf-8").replace(
        "description: ", "description: " + prefix + value.replace("\n", " ") + " ", 1
    )
    try:
        parse_spec(load_document(text))
    except SpecError:
        return
    assert prefix == ""  # a tag, anchor or alias never passes
