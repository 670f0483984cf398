"""How ``rexos.cli.main.run`` ends a command: error text printed as written, and a command's
own exit code kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from rexos.cli import main


@pytest.mark.parametrize("name", ["[/]", "[red]bob[/red]", "[bold]x", "a [link=file:///etc]b"])
def test_an_error_quoting_brackets_prints_them_as_written(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Error messages quote what users, files and chains wrote: console markup in them was
    read as markup (text lost, or a MarkupError traceback for a stray ``[/]``)."""
    with pytest.raises(SystemExit) as exit_:
        main.run(["--home", str(tmp_path), "wallet", "balance", name])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no wallet ")
    assert f"'{name}'" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_commands_exit_code_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run outside typer's standalone mode, a command's ``typer.Exit(1)`` came back as a return
    value, and the process ended 0."""
    app = typer.Typer()

    @app.command()
    def fails() -> None:
        raise typer.Exit(1)

    @app.command()
    def passes() -> None:
        raise typer.Exit(0)

    monkeypatch.setattr(main, "app", app)
    with pytest.raises(SystemExit) as exit_:
        main.run(["fails"])
    assert exit_.value.code == 1
    main.run(["passes"])  # ends normally
