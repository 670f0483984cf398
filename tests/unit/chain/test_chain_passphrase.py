"""Where keystore passphrases come from: value, file, environment variable, prompt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rexos.chain.keystore import PassphraseSource
from rexos.errors import ConfigError, KeystoreError, PassphraseMissing

VAR = "REXOS_TEST_PASSPHRASE"


def _prompts(*answers: str) -> tuple[Callable[[str], str], list[str]]:
    """A fake prompt that answers in turn and records what it was asked."""
    asked: list[str] = []
    queue = list(answers)

    def prompt(text: str) -> str:
        asked.append(text)
        return queue.pop(0)

    return prompt, asked


def _no_prompt(text: str) -> str:
    raise AssertionError(f"prompted unexpectedly: {text}")


def test_explicit_value_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pw").write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv(VAR, "from-env")
    source = PassphraseSource(value="explicit", file=tmp_path / "pw", env=VAR, prompt=_no_prompt)
    assert source.get() == "explicit"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("secret\n", "secret"),
        ("secret", "secret"),
        ("secret\r\n", "secret"),
        ("  spaced out \nsecond line\n", "  spaced out "),
        ("\n", ""),
    ],
)
def test_file_gives_its_first_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "pw"
    path.write_text(content, encoding="utf-8")
    assert PassphraseSource(file=path, env=VAR, prompt=_no_prompt).get() == expected


def test_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(PassphraseMissing, match=r"cannot read passphrase file .*nope\.txt"):
        PassphraseSource(file=missing, prompt=_no_prompt).get()


def test_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(VAR, "from-env")
    assert PassphraseSource(env=VAR, prompt=_no_prompt).get() == "from-env"


def test_unset_environment_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VAR, raising=False)
    with pytest.raises(PassphraseMissing, match=VAR):
        PassphraseSource(env=VAR, prompt=_no_prompt).get()


def test_bad_variable_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        PassphraseSource(env="NOT A NAME", prompt=_no_prompt).get()


def test_no_terminal_no_prompt() -> None:
    source = PassphraseSource(prompt=_no_prompt, is_tty=lambda: False)
    with pytest.raises(PassphraseMissing) as raised:
        source.get()
    assert str(raised.value) == (
        "no passphrase: use --passphrase-file or --passphrase-env, or run in a terminal"
    )


def test_terminal_prompts_once() -> None:
    prompt, asked = _prompts("typed")
    source = PassphraseSource(prompt=prompt, is_tty=lambda: True)
    assert source.get("passphrase for wallet 'alice'") == "typed"
    assert asked == ["passphrase for wallet 'alice': "]


def test_new_wallet_asks_twice() -> None:
    prompt, asked = _prompts("typed", "typed")
    source = PassphraseSource(confirm=True, prompt=prompt, is_tty=lambda: True)
    assert source.get("new passphrase") == "typed"
    assert asked == ["new passphrase: ", "repeat new passphrase: "]


def test_new_wallet_mismatch_is_refused() -> None:
    prompt, _ = _prompts("typed", "typo")
    source = PassphraseSource(confirm=True, prompt=prompt, is_tty=lambda: True)
    with pytest.raises(KeystoreError, match="differ"):
        source.get()


def test_repr_hides_the_value() -> None:
    source = PassphraseSource(value="hunter2-secret")
    assert "hunter2-secret" not in repr(source)
