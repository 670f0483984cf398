"""Imported token lists: copies kept under ``$REXOS_HOME/tokenlists/`` for later extractions."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from rexos.agents.ticker.tokenlist import TokenList, load_token_list
from rexos.errors import ConfigError

__all__ = ["TokenListLibrary"]

_UNSAFE = re.compile(r"[^a-z0-9]+")


class TokenListLibrary:
    """The token lists a user imported, one checked compact JSON file per list."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def add(self, source: str | Path, *, timeout: float = 10.0) -> tuple[Path, TokenList]:
        """Load and check ``source`` (file or URL), then store it; a list of the same name
        replaces the older copy."""
        token_list = load_token_list(source, timeout=timeout)
        stem = _UNSAFE.sub("-", token_list.name.lower()).strip("-") or "tokenlist"
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{stem}.tokenlist.json"
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".import-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(token_list.to_json(), handle, separators=(",", ":"))
        os.replace(tmp, path)
        return path, token_list

    def paths(self) -> list[Path]:
        """The stored lists, by file name."""
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.tokenlist.json"))

    def load(self) -> list[TokenList]:
        """Every stored list; a damaged one is a :class:`~rexos.errors.ConfigError`."""
        lists = []
        for path in self.paths():
            try:
                lists.append(load_token_list(path))
            except ConfigError as exc:
                raise ConfigError(f"{exc} (remove it or import it again)") from exc
        return lists
