"""Build the token-list snapshot shipped with the Ticker agent.

Reads the npm package ``@uniswap/default-token-list`` (fetched with ``npm pack`` into a
temporary directory, or a tarball, unpacked package directory or JSON file given with
``--source``), checks it with :func:`rexos.agents.ticker.tokenlist.parse_token_list` and
writes the compact list (name, timestamp, version and each EVM token's chainId, address,
symbol, name, decimals; one token per line) to
``src/rexos/agents/ticker/data/uniswap-default.tokenlist.json``.

    python scripts/build_tokenlist.py [--source PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from rexos.agents.ticker.tokenlist import SNAPSHOT_NAME, TokenList, parse_token_list

PACKAGE = "@uniswap/default-token-list"
LIST_IN_PACKAGE = "build/uniswap-default.tokenlist.json"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/rexos/agents/ticker/data" / SNAPSHOT_NAME


def _from_tarball(tarball: Path) -> bytes:
    with tarfile.open(tarball, "r:gz") as archive:
        member = archive.extractfile(f"package/{LIST_IN_PACKAGE}")
        if member is None:
            raise SystemExit(f"{tarball} has no package/{LIST_IN_PACKAGE}")
        return member.read()


def _npm_pack() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", PACKAGE, "--pack-destination", tmp, "--silent"],
            check=True,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
        )
        tarballs = sorted(Path(tmp).glob("*.tgz"))
        if len(tarballs) != 1:
            raise SystemExit(f"npm pack {PACKAGE} produced {len(tarballs)} tarballs")
        return _from_tarball(tarballs[0])


def read_source(source: Path | None) -> bytes:
    """The raw list: from npm, a ``.tgz``, an unpacked package directory or a JSON file."""
    if source is None:
        return _npm_pack()
    if source.is_dir():
        return (source / LIST_IN_PACKAGE).read_bytes()
    if source.name.endswith((".tgz", ".tar.gz")):
        return _from_tarball(source)
    return source.read_bytes()


def compact_text(token_list: TokenList) -> str:
    """The compact JSON text: header fields, then one token per line (diff-friendly)."""
    data = token_list.to_json()
    tokens = data.pop("tokens")
    if not isinstance(tokens, list):
        raise SystemExit("token list without a tokens array")
    header = json.dumps(data, separators=(",", ":"), ensure_ascii=False)[:-1]
    lines = ",\n".join(json.dumps(t, separators=(",", ":"), ensure_ascii=False) for t in tokens)
    return f'{header},"tokens":[\n{lines}\n]}}\n'


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the Ticker agent's token-list snapshot.")
    parser.add_argument("--source", type=Path, help="tarball, package dir or JSON file")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="snapshot to write")
    args = parser.parse_args(argv)
    token_list = parse_token_list(json.loads(read_source(args.source)), PACKAGE)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(compact_text(token_list), encoding="utf-8")
    print(
        f"{args.out}: {token_list.name} {token_list.version_text}, "
        f"{len(token_list.tokens)} tokens ({token_list.skipped} non-EVM skipped)"
    )


if __name__ == "__main__":
    main()
