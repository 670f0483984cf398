"""The Studio page: what checking a pasted spec finds, how the page shows it (every part of a
hostile spec escaped), and its routes behind the page guard (session, CSRF, Origin)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from rexos.api.app import create_app
from rexos.api.guard import GuardPolicy
from rexos.api.web_session import WebSessions
from rexos.studio import InstalledTool, installed_tools, load_spec, spec_hash
from rexos.studio.publishing import PendingPublish, Published
from rexos.web.studio_page import (
    MAX_SPEC_CHARS,
    Publishing,
    StudioResult,
    check_spec,
    marking,
    studio_page,
    template_specs,
)
from tests.unit.api.fake_lense import WALLET, FakeLense
from tests.unit.studio.specs import DCA, DIGEST, doc

EVIL = "<script>alert('x')</script>\"&"
TOKEN = "s" * 43
PORT = 8791
BASE = f"http://127.0.0.1:{PORT}"


@pytest.fixture(scope="module")
def tools() -> dict[str, InstalledTool]:
    return installed_tools()


def _yaml(data: object) -> str:
    return str(yaml.safe_dump(data, sort_keys=False))


def _pinned(tools: dict[str, InstalledTool], path: Path = DCA) -> str:
    """The example spec at ``path`` with its tools pinned to the installed ones."""
    data = doc(path)
    for pin in data["tools"]:
        tool = tools[pin["name"]]
        pin.update(plugin=tool.plugin, plugin_version=tool.plugin_version, hash=tool.hash)
    return _yaml(data)


def test_a_valid_spec_has_the_hash_the_cli_prints_and_three_export_names(
    tools: dict[str, InstalledTool], tmp_path: Path
) -> None:
    text = _pinned(tools)
    result = check_spec(text, "validate", tools)
    assert result.valid and result.evals == ()
    file = tmp_path / "a.yaml"
    file.write_text(text)
    assert result.hash == spec_hash(load_spec(file))
    name = doc()["name"]
    assert result.exports == (
        ("A2A agent card", name),
        ("MCP server.json", f"io.github.you/{name}"),
        ("ERC-8004 registration", name),
    )


def test_each_problem_with_the_installed_tools_is_listed(tools: dict[str, InstalledTool]) -> None:
    data = doc(DIGEST)
    data["tools"][0]["hash"] = "sha256:" + "0" * 64
    remove = tools["bot.remove"]
    pin = {"plugin": remove.plugin, "plugin_version": remove.plugin_version, "hash": remove.hash}
    data["tools"].append({"name": remove.name, **pin})
    result = check_spec(_yaml(data), "validate", tools)
    assert not result.valid and result.error is None
    assert result.problems[0].startswith("tools[0]: lense.report does not match its pin")
    assert result.problems[1:] == (
        f"tools[{len(data['tools']) - 1}]: bot.remove changes what the user owns; the agent "
        "is read-only",
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("!!python/object/apply:os.system ['echo pwned']\n", "YAML tags"),
        ("a: &x [1]\nb: *x\n", "anchors"),
        (f"{EVIL}: 1\n", "unknown field"),
        ("   \n", "paste a spec"),
        ("x" * (MAX_SPEC_CHARS + 1), f"at most {MAX_SPEC_CHARS:,}"),
    ],
)
def test_an_unreadable_spec_is_one_clear_error(
    tools: dict[str, InstalledTool], text: str, says: str
) -> None:
    result = check_spec(text, "validate", tools)
    assert result.error is not None and says in result.error, result.error
    assert not result.valid and result.hash == ""


def test_running_evals_reads_each_request_and_holds_it_to_the_permissions(
    tools: dict[str, InstalledTool],
) -> None:
    passing = check_spec(_pinned(tools), "test", tools)
    assert passing.valid and passing.evals
    assert {e.status for e in passing.evals} == {"pass"}
    data = yaml.safe_load(_pinned(tools, DIGEST))
    data["evals"] = [
        {"request": "show my portfolio", "expect_intent": "portfolio"},
        {"request": "swap 5 USDC for WETH", "expect_output": ["a swap"]},
        {"request": "what is the price of WETH", "expect_intent": "portfolio"},
        {"request": "show my portfolio", "expect_output": ["holdings"]},
    ]
    rows = check_spec(_yaml(data), "test", tools).evals
    assert [r.status for r in rows] == ["pass", "fail", "fail", "needs run"]
    assert rows[1].detail == "a swap moves funds, and the agent is read-only"
    assert rows[2].read == "price" and rows[2].detail == "read as price, not portfolio"


def test_evals_wait_until_the_spec_has_no_other_problem(tools: dict[str, InstalledTool]) -> None:
    data = yaml.safe_load(_pinned(tools, DIGEST))
    data["tools"][0]["hash"] = "sha256:" + "0" * 64
    result = check_spec(_yaml(data), "test", tools)
    assert result.problems and result.evals == ()


def test_templates_are_pinned_to_the_installed_tools(tools: dict[str, InstalledTool]) -> None:
    found = template_specs(tools)
    assert [name for name, _, _ in found] == ["dca", "portfolio-digest"]
    for name, text, usable in found:
        assert usable
        assert check_spec(text, "validate", tools).valid, name
    without = {k: v for k, v in tools.items() if k != "dex.quote"}
    assert template_specs(without)[0] == ("dca", "tools: dex.quote is not installed (no "
                                          "plug-in provides it)", False)  # fmt: skip


def test_the_page_escapes_every_part_of_a_hostile_spec(tools: dict[str, InstalledTool]) -> None:
    evil_tool = replace(next(iter(tools.values())), name=EVIL, description=EVIL)
    result = StudioResult("validate", problems=(EVIL,), name=EVIL, version=EVIL, hash=EVIL)
    html = studio_page(EVIL, [evil_tool], [(EVIL, EVIL, True)],
                       spec_text=f"</textarea>{EVIL}", result=result)  # fmt: skip
    assert "<script>alert" not in html and "</textarea><script" not in html
    assert "&lt;/textarea&gt;&lt;script&gt;" in html
    assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot;&amp;") >= 7
    error = studio_page("c", [], [], result=StudioResult("test", error=EVIL))
    assert 'data-testid="spec-error">&lt;script&gt;' in error


def test_the_page_shows_the_library_and_a_valid_result(tools: dict[str, InstalledTool]) -> None:
    text = _pinned(tools)
    result = check_spec(text, "test", tools)
    html = studio_page("c", list(tools.values()), template_specs(tools), spec_text=text,
                       result=result)  # fmt: skip
    for tool in tools.values():
        row = re.search(rf'<tr data-tool="{re.escape(tool.name)}">(.*?)</tr>', html, re.DOTALL)
        assert row is not None, tool.name
        assert tool.hash in row.group(1) and f'data-marking="{marking(tool)}"' in row.group(1)
    assert f'data-testid="spec-hash">{result.hash}<' in html
    assert f"rexos market publish {result.name}.yaml --wallet YOUR_WALLET" in html
    assert f"{len(result.evals)} passed, 0 failed" in html


@pytest.fixture
def client() -> Iterator[tuple[TestClient, WebSessions]]:
    sessions = WebSessions(PORT)
    app = create_app(None, GuardPolicy.build(TOKEN, PORT), lense=FakeLense(), web=sessions,
                     home=WALLET)  # fmt: skip
    with TestClient(app, base_url=BASE, follow_redirects=False) as c:
        yield c, sessions


def _csrf(client: TestClient, sessions: WebSessions) -> str:
    assert client.get(f"/login?code={sessions.new_code()}").status_code == 303
    got = client.get("/studio?template=portfolio-digest")
    assert got.status_code == 200, got.text
    assert "name: my-portfolio-digest" in got.text
    found = re.search(r'name="csrf" value="([^"]+)"', got.text)
    assert found is not None
    return found.group(1)


def test_the_studio_form_needs_a_session_its_csrf_token_and_this_origin(
    client: tuple[TestClient, WebSessions], tools: dict[str, InstalledTool]
) -> None:
    c, sessions = client
    assert c.get("/studio").headers["location"] == "/login?next=/studio"
    csrf = _csrf(c, sessions)
    form = {"spec": _pinned(tools), "action": "validate"}
    assert c.post("/studio/check", data=form, headers={"Origin": BASE}).status_code == 403
    other = {"Origin": "http://evil.test"}
    assert c.post("/studio/check", data=form | {"csrf": csrf}, headers=other).status_code == 403
    got = c.post("/studio/check", data=form | {"csrf": csrf}, headers={"Origin": BASE})
    assert got.status_code == 200
    assert 'data-testid="verdict">valid<' in got.text
    assert got.headers["content-security-policy"].startswith("default-src 'self'")


def test_a_hostile_post_is_shown_escaped_and_an_unknown_template_is_named(
    client: tuple[TestClient, WebSessions],
) -> None:
    c, sessions = client
    csrf = _csrf(c, sessions)
    hostile = f"</textarea>{EVIL}: !!python/name:os.system\n"
    got = c.post("/studio/check", data={"spec": hostile, "action": "test", "csrf": csrf},
                 headers={"Origin": BASE})  # fmt: skip
    assert got.status_code == 200
    assert "<script>alert" not in got.text and "YAML tags" in got.text
    assert "&lt;/textarea&gt;&lt;script&gt;" in got.text
    missing = c.get("/studio?template=%3Cb%3Enope")
    assert missing.status_code == 400 and "no template &#x27;&lt;b&gt;nope&#x27;" in missing.text


FP = "0x" + "ab" * 32


def _pending(**changes: object) -> PendingPublish:
    fields: dict[str, object] = dict(
        fingerprint=FP, name=EVIL, version="1.0.0", spec_hash="0x" + "cd" * 32, price=10**17,
        listing_id=None, sender=WALLET, market=WALLET, summary=EVIL, verdict="confirm",
        reason=EVIL, gas=91_234, spec=None, prepared=None,
    )  # fmt: skip
    fields.update(changes)
    return PendingPublish(**fields)  # type: ignore[arg-type]


def test_the_publish_form_needs_a_wallet_and_evals_that_ran_without_a_failure(
    tools: dict[str, InstalledTool],
) -> None:
    text = _pinned(tools, DIGEST) + f"# {EVIL}\n"
    tested = check_spec(text, "test", tools)
    assert tested.valid and tested.spec is not None

    def shown(result: StudioResult, wallet: str | None) -> str:
        return studio_page("c", [], [], spec_text=text, result=result,
                           publishing=Publishing(wallet=wallet))  # fmt: skip

    html = shown(tested, WALLET)
    form = re.search(
        r'<form method="post" action="/studio/publish#result".*?</form>', html, re.DOTALL
    )
    assert form is not None and f"Publish from {WALLET}" in form.group(0)
    assert 'name="spec" value="' in form.group(0) and "<script>alert" not in html
    assert "# &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&quot;&amp;" in form.group(0)
    assert 'name="csrf" value="c"' in form.group(0)
    for result, wallet, why in [
        (check_spec(text, "validate", tools), WALLET, "Run its evals to publish it from here."),
        (tested, None, "This server has no wallet to sign with"),
        (replace(tested, evals=(replace(tested.evals[0], status="fail"),)), WALLET,
         "An eval fails, so it cannot be published."),
    ]:  # fmt: skip
        html = shown(result, wallet)
        assert 'action="/studio/publish#result"' not in html and why in html
        assert f"rexos market publish {tested.name}.yaml" in html


def test_the_transaction_to_confirm_and_the_result_are_shown_escaped() -> None:
    html = studio_page("c", [], [], publishing=Publishing(wallet=WALLET, pending=_pending()))
    assert f'action="/studio/publish/{FP}/confirm#result"' in html
    assert f'data-testid="fingerprint">{FP}<' in html
    assert "91,234" in html and "0.1000 REX" in html and "as a new listing" in html
    assert "<script>alert" not in html and html.count("&lt;script&gt;alert") == 3
    version = studio_page("c", [], [], publishing=Publishing(pending=_pending(listing_id=7)))
    assert "a new version of listing 7" in version
    done = Published(3, 0, EVIL, "1.0.0", "0x" + "cd" * 32, "0x" + "ef" * 32, None, None)  # type: ignore[arg-type]
    html = studio_page("c", [], [], publishing=Publishing(published=done))
    assert 'href="/market/3"' in html and "as listing 3" in html and "<script>alert" not in html
    error = studio_page("c", [], [], publishing=Publishing(error=EVIL))
    assert 'data-testid="publish-error">&lt;script&gt;' in error


def test_publishing_without_a_wallet_is_refused_and_needs_csrf_and_this_origin(
    client: tuple[TestClient, WebSessions], tools: dict[str, InstalledTool]
) -> None:
    c, sessions = client
    csrf = _csrf(c, sessions)
    form = {"spec": _pinned(tools, DIGEST)}
    assert c.post("/studio/publish", data=form, headers={"Origin": BASE}).status_code == 403
    evil = {"Origin": "http://evil.test"}
    assert c.post("/studio/publish", data=form | {"csrf": csrf}, headers=evil).status_code == 403
    assert c.post(f"/studio/publish/{FP}/confirm", data={"x": "1"}, headers={"Origin": BASE}
                  ).status_code == 403  # fmt: skip
    got = c.post("/studio/publish", data=form | {"csrf": csrf}, headers={"Origin": BASE})
    assert got.status_code == 503 and "no wallet to publish with" in got.text
    got = c.post(f"/studio/publish/{FP}/confirm", data={"csrf": csrf}, headers={"Origin": BASE})
    assert got.status_code == 503 and "no wallet to publish with" in got.text
