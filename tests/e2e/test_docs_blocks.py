"""Every ```bash, ```sh and ```python block of every page under docs/ runs as written.

* A page's shell blocks run in order in one bash process (``set -euo pipefail``) with a
  fresh ``REXOS_HOME`` and a ``rexos devnet down`` when it ends, so the blocks of one page
  share one devnet and background jobs. Its Python blocks then run in order in one
  namespace.
* A page whose commands reach outside APIs (explanation/feeds.md, explanation/perps.md)
  runs its ``rexos`` lines in-process against the recorded answers in ``tests/fixtures``,
  the way their CLI tests do; how-to/openai-model.md talks to the recorded OpenAI-compatible
  server at ``REXOS_LLM_URL``.
* ``<!-- docs-test: skip (reason) -->`` just before a block leaves it out;
  ``<!-- docs-test: run by tests/... -->`` names the test that runs it instead. Both are
  counted and kept rare. A fenced block that holds ``rexos`` commands must say its
  language, so that no shell example escapes this test by having none.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FIXTURES = ROOT / "tests" / "fixtures"
RUN = ("bash", "sh", "python")
FENCE = re.compile(
    r"(?:<!-- docs-test: (?P<marker>[^\n]*?) -->\n\n?)?^```(?P<lang>[a-z]*)\n(?P<code>.*?)^```$",
    re.S | re.M,
)
MOST_SKIPS = 4


@dataclass(frozen=True)
class Block:
    page: str
    lang: str
    code: str
    marker: str | None


def _blocks(page: Path) -> list[Block]:
    name = page.relative_to(DOCS).as_posix()
    text = page.read_text(encoding="utf-8")
    return [
        Block(name, m.group("lang"), m.group("code"), m.group("marker"))
        for m in FENCE.finditer(text)
    ]


PAGES = sorted(DOCS.rglob("*.md"))
BLOCKS = [block for page in PAGES for block in _blocks(page)]


def _runnable(page: str) -> list[Block]:
    return [b for b in BLOCKS if b.page == page and b.lang in RUN and b.marker is None]


RUN_PAGES = sorted({b.page for b in BLOCKS if b.lang in RUN and b.marker is None})


# ---------------------------------------------------------------- rules for every block


def test_every_block_that_runs_commands_says_its_language() -> None:
    untagged = [
        b for b in BLOCKS if not b.lang and re.match(r"\s*(\$ )?(rexos|python|export) ", b.code)
    ]
    assert untagged == [], [f"{b.page}: {b.code.splitlines()[0]}" for b in untagged]


def test_skips_are_rare_and_say_why() -> None:
    marked = [b for b in BLOCKS if b.marker is not None]
    skips = [b for b in marked if b.marker.startswith("skip")]
    for block in skips:
        assert re.fullmatch(r"skip \(.{12,}\)", block.marker or ""), block
    assert len(skips) <= MOST_SKIPS, [f"{b.page}: {b.marker}" for b in skips]


def test_blocks_run_elsewhere_name_a_test_that_reads_the_page() -> None:
    elsewhere = [b for b in BLOCKS if b.marker and b.marker.startswith("run by ")]
    for block in elsewhere:
        path = ROOT / block.marker.removeprefix("run by ").split()[0]
        assert path.is_file(), block.marker
        assert Path(block.page).name in path.read_text(encoding="utf-8"), (block.page, path)
    for block in BLOCKS:
        assert block.marker is None or block.marker.startswith(("skip", "run by ")), block


def test_every_page_with_runnable_blocks_is_run() -> None:
    assert {"tutorials/first-hour.md", "explanation/feeds.md", "explanation/perps.md"} <= set(
        RUN_PAGES
    )


# ---------------------------------------------------------------- page contexts


@contextmanager
def _recorded_feeds(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every outside URL answered from tests/fixtures on 127.0.0.1, through the same env vars a
    user sets; feed URLs written in the page are rewritten to the loopback server."""
    from tests.e2e.test_cli_feeds import Recorded, _handler
    from tests.unit.explorer.seed import ALICE, REX, USDC, ZERO, seed

    routes = {
        "/rss": "news/cryptonews_atom.xml",
        "/arc/outboundfeeds/rss/": "news/coindesk_rss.xml",
        "/search": "search/searx_results.json",
    }

    Handler = _handler(Recorded(url=""), routes)  # the feeds CLI test's fixture server

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    monkeypatch.setenv("REXOS_ETHERSCAN_URL", f"{url}/v2/api")
    monkeypatch.setenv("REXOS_ETHERSCAN_API_KEY", "docs-test-key")
    monkeypatch.setenv("REXOS_SEARX_URL", url)
    monkeypatch.setenv("REXOS_NEWS_FEEDS", f"{url}/arc/outboundfeeds/rss/,{url}/rss")
    monkeypatch.setattr(_InProcess, "rewrite", {"https://cointelegraph.com": url})
    from rexos.chain.keystore import Keystore

    # "alice" of the page is the devnet's second account, whose transfers are seeded below
    alice_key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
    keystore = Keystore(tmp / "keystore", kdf="pbkdf2", work_factor=2)
    assert keystore.import_key("alice", alice_key, "docs-test passphrase").address == ALICE
    seed(tmp, 31337, [(1, 0, REX, ZERO, ALICE, 10**21), (2, 0, USDC, ALICE, ZERO, 2_500_000)])
    try:
        yield
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def _recorded_perps(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The venues answer from tests/fixtures/perps, as in tests/e2e/test_cli_perps.py."""
    import rexos.cli.perps as perps_cli
    from tests.unit.perps._support import recorded_sources

    monkeypatch.setattr(
        perps_cli, "sources", lambda names: recorded_sources(list(names) if names else None)
    )
    yield


@contextmanager
def _recorded_llm(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An OpenAI-compatible server on 127.0.0.1 replaying tests/fixtures/llm, at REXOS_LLM_URL."""
    from tests.unit.llm.recorded_server import serve_recorded

    with serve_recorded() as server:
        monkeypatch.setenv("REXOS_LLM_URL", f"{server.url}/v1")
        yield


Context = Callable[[Path, pytest.MonkeyPatch], AbstractContextManager[None]]
IN_PROCESS: dict[str, Context] = {
    "explanation/feeds.md": _recorded_feeds,
    "explanation/perps.md": _recorded_perps,
}
CONTEXTS: dict[str, Context] = {**IN_PROCESS, "how-to/openai-model.md": _recorded_llm}
EXPECT: dict[str, Sequence[str]] = {
    "tutorials/first-hour.md": (
        "Staked 1,000.0000 REX",
        "Swapped: received",
        "Answer (gemma-3-270m)",
        "Stopped the",
    ),
    "how-to/run-a-provider.md": ("Registered", "Answered by", "Stopped the"),
    "how-to/real-chain-rpc.md": ("Chain id", "REX", "Stopped the"),
    "explanation/feeds.md": ("IGNORE PREVIOUS INSTRUCTIONS",),
    "explanation/perps.md": ("Recommend okx",),
}


class _InProcess:
    """Runs a shell block's ``rexos`` lines through ``rexos.cli.main.run`` in this process."""

    rewrite: ClassVar[dict[str, str]] = {}

    @classmethod
    def run(cls, code: str, home: Path, capsys: pytest.CaptureFixture[str]) -> str:
        from rexos.cli.main import run

        seen = []
        for line in code.splitlines():
            words = shlex.split(line, comments=True)
            if not words:
                continue
            assert words[0] == "rexos", f"only rexos commands run in-process: {line}"
            args = [cls._local(w) for w in words[1:]]
            try:
                run(["--home", str(home), *args])
                code_ = 0
            except SystemExit as exc:
                code_ = int(exc.code or 0)
            captured = capsys.readouterr()
            assert code_ == 0, (line, captured.out[-2000:], captured.err[-2000:])
            seen.append(captured.out)
        return "".join(seen)

    @classmethod
    def _local(cls, word: str) -> str:
        for outside, local in cls.rewrite.items():
            if word.startswith(outside):
                return local + word.removeprefix(outside)
        return word


def _run_shell(page: str, code: str, tmp: Path) -> str:
    assert shutil.which("rexos"), "the rexos command must be installed (pip install -e .)"
    home = tmp / "home"
    home.mkdir()
    script = "set -euo pipefail\ntrap 'rexos devnet down >/dev/null 2>&1 || true' EXIT\n" + code
    env = {**os.environ, "REXOS_HOME": str(home), "TMPDIR": str(tmp), "COLUMNS": "160"}
    env.pop("REXOS_RPC_URL", None)
    done = subprocess.run(
        ["bash", "-c", script],
        env=env,
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{page}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.mark.xdist_group("anvil")
@pytest.mark.parametrize("page", RUN_PAGES)
def test_the_page_runs(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = _runnable(page)
    shell = "".join(b.code for b in blocks if b.lang in ("bash", "sh"))
    python = [b.code for b in blocks if b.lang == "python"]
    home = tmp_path / "home-in-process"
    home.mkdir()
    monkeypatch.setenv("REXOS_HOME", str(home))
    monkeypatch.chdir(tmp_path)
    out = ""
    with ExitStack() as stack:
        if page in CONTEXTS:
            stack.enter_context(CONTEXTS[page](home, monkeypatch))
        if shell and page in IN_PROCESS:
            out += _InProcess.run(shell, home, capsys)
        elif shell:
            out += _run_shell(page, shell, tmp_path)
        namespace: dict[str, object] = {"__name__": "__docs__"}
        sys.path.insert(0, str(tmp_path))
        try:
            for code in python:
                exec(compile(code, str(DOCS / page), "exec"), namespace)
        finally:
            sys.path.remove(str(tmp_path))
        out += capsys.readouterr().out
    for needle in EXPECT.get(page, ()):
        assert needle in out, (page, needle, out[-3000:])
