"""The Studio page: the plug-in library, the templates, and a form that checks a spec.

A spec posted in the form is data, read exactly as ``rexos studio validate`` reads a file
(:func:`rexos.studio.load_spec`'s safe YAML, the JSON Schema, the spec's rules, then
:func:`rexos.studio.problems` against the installed tools); nothing in it is evaluated, and
every part of it the page shows back (the text, a name, a problem) is escaped. *Run evals*
reads each eval's request with the intent reader, offline, as ``rexos studio test`` does.

A spec whose evals ran with none failing can be published from the page when the server has
a wallet (``rexos serve --wallet``): *Publish* shows the exact transaction the Wallet agent
planned (:class:`rexos.studio.publishing.Publisher`), and only *Sign and publish*, a second
POST naming that transaction's fingerprint, sends it through the gateway. The terminal's
command is always shown too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from rexos.errors import RexosError
from rexos.studio import (
    TEMPLATES,
    AgentSpec,
    InstalledTool,
    SpecError,
    dump_spec,
    export_a2a,
    export_erc8004,
    export_mcp,
    new_spec,
    parse_spec,
    problems,
    spec_hash,
)
from rexos.studio.evals import EvalResult, EvalStatus, run_eval
from rexos.studio.publishing import PendingPublish, Published
from rexos.studio.safeyaml import load_document
from rexos.types import format_units
from rexos.web.html import Html, attrs, join, render, row_table, tag
from rexos.web.layout import hidden_csrf, page

__all__ = [
    "MAX_SPEC_CHARS",
    "Action",
    "EvalRow",
    "Publishing",
    "StudioResult",
    "check_spec",
    "marking",
    "studio_page",
    "template_specs",
]

MAX_SPEC_CHARS = 24 * 1024
"""The longest spec the form takes (a form post is percent-encoded, and the page guard reads
at most 64 KiB); a longer one is checked from its file with ``rexos studio validate``."""

EXAMPLE_URL = "https://agent.example/a2a"
EXAMPLE_NAMESPACE = "io.github.you"
"""What the exports' names are shown with; ``rexos studio export`` takes the real ones."""

Action = Literal["validate", "test"]


@dataclass(frozen=True, slots=True)
class EvalRow:
    """One eval: its request, the intent expected and the one read, and why it passed or not."""

    status: EvalStatus
    request: str
    expected: str
    read: str
    detail: str


@dataclass(frozen=True, slots=True)
class Publishing:
    """The page's publishing state: the wallet this server signs with (``None``: none, so
    the page gives the terminal's command), and a publication waiting for a yes, just made,
    or refused."""

    wallet: str | None = None
    pending: PendingPublish | None = None
    published: Published | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class StudioResult:
    """What checking a spec found: an unreadable spec (``error``), its problems, or a valid
    spec's hash and export names (and with ``action == "test"``, its evals)."""

    action: Action
    error: str | None = None
    problems: tuple[str, ...] = ()
    name: str = ""
    version: str = ""
    hash: str = ""
    exports: tuple[tuple[str, str], ...] = ()
    evals: tuple[EvalRow, ...] = ()
    spec: AgentSpec | None = field(default=None, compare=False, repr=False)
    """The spec read (``None`` when it could not be)."""

    @property
    def valid(self) -> bool:
        return self.error is None and not self.problems


def marking(tool: InstalledTool) -> str:
    """``moves funds``, ``changes state`` or ``read-only``, as ``rexos studio tools`` says."""
    if tool.moves_funds:
        return "moves funds"
    return "changes state" if tool.changes_state else "read-only"


def check_spec(text: str, action: Action, installed: Mapping[str, InstalledTool]) -> StudioResult:
    """Read ``text`` as a spec and check it against ``installed``; with ``action ==
    "test"`` a spec with no problem but its evals' also has its evals run."""
    if len(text) > MAX_SPEC_CHARS:
        return StudioResult(action, error=f"the spec is {len(text):,} characters; this form "
                            f"takes at most {MAX_SPEC_CHARS:,} (check a longer one with "
                            "`rexos studio validate FILE`)")  # fmt: skip
    if not text.strip():
        return StudioResult(action, error="paste a spec (YAML) first")
    try:
        spec = parse_spec(load_document(text))
    except SpecError as exc:
        return StudioResult(action, error=str(exc))
    found = problems(spec, installed, publish=action == "test")
    if action == "test":
        found = [p for p in found if not p.startswith("evals[")]
    base = StudioResult(action, problems=tuple(found), name=spec.name, version=spec.version,
                        hash=spec_hash(spec), exports=_exports(spec), spec=spec)  # fmt: skip
    if found or action == "validate":
        return base
    return replace(base, evals=tuple(_row(run_eval(spec, e)) for e in spec.evals))


def _exports(spec: AgentSpec) -> tuple[tuple[str, str], ...]:
    mcp = export_mcp(spec, namespace=EXAMPLE_NAMESPACE, url=EXAMPLE_URL)
    return (
        ("A2A agent card", str(export_a2a(spec, url=EXAMPLE_URL)["name"])),
        ("MCP server.json", str(mcp["name"])),
        ("ERC-8004 registration", str(export_erc8004(spec, a2a_url=EXAMPLE_URL)["name"])),
    )


def _row(result: EvalResult) -> EvalRow:
    return EvalRow(
        result.status, result.request, result.expect_intent or "-", result.read, result.detail
    )


def template_specs(installed: Mapping[str, InstalledTool]) -> list[tuple[str, str, bool]]:
    """Each template as ``(name, YAML pinned to installed, True)``, or ``(name, why not,
    False)`` when a tool it needs is not installed."""
    found: list[tuple[str, str, bool]] = []
    for name in sorted(TEMPLATES):
        try:
            found.append((name, dump_spec(new_spec(name, f"my-{name}", installed)), True))
        except RexosError as exc:
            found.append((name, str(exc), False))
    return found


def _library(tools: Sequence[InstalledTool]) -> Html:
    head = tag("thead", tag("tr", join(tag("th", h, scope="col") for h in
                                       ("Tool", "Plug-in", "Marking", "Pin"))))  # fmt: skip
    rows = []
    for t in sorted(tools, key=lambda t: t.name):
        what = marking(t)
        rows.append(tag("tr", join([
            tag("td", join([tag("code", t.name), Html("<br>"), tag("small", t.description)])),
            tag("td", f"{t.plugin} {t.plugin_version}"),
            tag("td", tag("mark" if t.moves_funds else "span", what), data_marking=what),
            tag("td", tag("code", t.hash, class_="pin")),
        ]), data_tool=t.name))  # fmt: skip
    return tag("table", join([head, tag("tbody", join(rows))]), class_="library")


def _templates(templates: Sequence[tuple[str, str, bool]]) -> Html:
    parts = []
    for name, text, usable in templates:
        if not usable:
            parts.append(tag("article", join([tag("h3", name), tag("p", text, class_="error")])))
            continue
        copy = tag("textarea", text, readonly=True, rows="12", spellcheck="false",
                   aria_label=f"The {name} template (YAML), to copy")  # fmt: skip
        use = tag("a", "Check this template", href=f"/studio?template={name}#compose",
                  role="button", class_="outline")  # fmt: skip
        parts.append(tag("article", join([tag("h3", name), copy, use]), data_template=name))
    return join(parts)


def _result(result: StudioResult | None, publish: Html) -> Html:
    if result is None:
        return Html("")
    if result.error is not None:
        parts = [tag("h3", "The spec cannot be read"),
                 tag("p", result.error, class_="error", data_testid="spec-error")]  # fmt: skip
        return tag("article", join(parts), class_="check invalid", role="alert")
    head = tag("p", join([tag("strong", result.name), " ", result.version, " · spec hash ",
                          tag("code", result.hash, data_testid="spec-hash")]))  # fmt: skip
    if result.problems:
        items = tag("ul", join(tag("li", p) for p in result.problems), data_testid="problems")
        title = f"{len(result.problems)} problem" + ("s" if len(result.problems) > 1 else "")
        return tag("article", join([tag("h3", title), head, items]), class_="check invalid",
                   role="alert")  # fmt: skip
    parts = [tag("h3", "valid", data_testid="verdict"), head, _export_list(result)]
    if result.action == "test":
        parts.append(_eval_table(result.evals))
    parts.append(publish)
    return tag("article", join(parts), class_="check valid")


def _export_list(result: StudioResult) -> Html:
    items = [tag("li", join([label, ": ", tag("code", name)])) for label, name in result.exports]
    note = tag("small", f"(shown with {EXAMPLE_NAMESPACE} and {EXAMPLE_URL}; "
                        "`rexos studio export` takes yours)")  # fmt: skip
    return join([tag("ul", join(items), class_="exports", data_testid="exports"), note])


def _eval_table(evals: Sequence[EvalRow]) -> Html:
    counts = {s: sum(e.status == s for e in evals) for s in ("pass", "fail", "needs run")}
    summary = tag("p", f"{counts['pass']} passed, {counts['fail']} failed, "
                       f"{counts['needs run']} left to `rexos studio run`",
                  data_testid="eval-summary")  # fmt: skip
    head = tag("tr", join(tag("th", h, scope="col") for h in
                          ("Result", "Request", "Expected", "Read as", "Detail")))  # fmt: skip
    rows = [tag("tr", join([tag("td", e.status), tag("td", e.request), tag("td", e.expected),
                            tag("td", e.read), tag("td", e.detail)]), data_status=e.status)
            for e in evals]  # fmt: skip
    return join([summary, tag("table", join([tag("thead", head), tag("tbody", join(rows))]),
                              class_="evals")])  # fmt: skip


def _publish_command(result: StudioResult) -> Html:
    file = f"{result.name}.yaml"
    command = f"rexos studio test {file} && rexos market publish {file} --wallet YOUR_WALLET"
    return tag("p", join(["To publish from a terminal, save it as ", tag("code", file),
                          " and run ", tag("code", command, data_testid="publish-command"),
                          "."]))  # fmt: skip


def _publish(result: StudioResult, csrf: str, spec_text: str, wallet: str | None) -> Html:
    """How to publish a valid spec: the form (evals run, none failed, and this server has a
    wallet to sign with), else why not yet, and the terminal's command."""
    command = _publish_command(result)
    if wallet is None:
        why = "This server has no wallet to sign with (start it with `rexos serve --wallet`)."
        return join([tag("p", why, class_="hint"), command])
    if result.action != "test":
        return join([tag("p", "Run its evals to publish it from here.", class_="hint"), command])
    if any(e.status == "fail" for e in result.evals):
        return join([tag("p", "An eval fails, so it cannot be published.", class_="hint"),
                     command])  # fmt: skip
    listing = tag("label", join([
        "Add it as a new version of your listing (leave empty for a new listing)",
        Html('<input name="listing" inputmode="numeric" pattern="[0-9]{1,20}" '
             'autocomplete="off" placeholder="listing id">'),
    ]))  # fmt: skip
    spec = Html(f'<input type="hidden"{attrs({"name": "spec", "value": spec_text})}>')
    button = tag("button", f"Publish from {wallet}", type="submit")
    fields = join([hidden_csrf(csrf), spec, listing, button])
    form = tag("form", fields, method="post", action="/studio/publish#result", class_="publish",
               data_testid="publish-form")  # fmt: skip
    note = tag("small", "Next you see the exact transaction; nothing is signed until you "
                        "confirm it.")  # fmt: skip
    return join([form, note, command])


def _publishing(publishing: Publishing, csrf: str) -> Html:
    """The publication waiting for a yes, the one just made, or why it failed."""
    if publishing.error is not None:
        error = tag("p", publishing.error, class_="error", data_testid="publish-error")
        parts = join([tag("h3", "Not published"), error])
        return tag("article", parts, class_="check invalid", role="alert")
    if publishing.published is not None:
        return _published(publishing.published)
    if publishing.pending is not None:
        return _pending(publishing.pending, csrf)
    return Html("")


def _pending(p: PendingPublish, csrf: str) -> Html:
    where = "a new listing" if p.listing_id is None else f"a new version of listing {p.listing_id}"
    rows = [
        ("Agent", f"{p.name} {p.version}, as {where}"),
        ("Spec hash", tag("code", p.spec_hash, class_="hash")),
        ("Price a use", f"{format_units(p.price, 18, 4)} REX"),
        ("From", tag("code", p.sender, class_="hash")),
        ("To", join([tag("code", p.market, class_="hash"), " (AgentMarket)"])),
        ("Transaction", p.summary),
        ("Gas (simulated)", "-" if p.gas is None else f"{p.gas:,}"),
        ("Wallet policy", f"{p.verdict}: {p.reason}"),
        ("Fingerprint", tag("code", p.fingerprint, class_="hash", data_testid="fingerprint")),
    ]
    sign = join([hidden_csrf(csrf), tag("button", "Sign and publish", type="submit")])
    confirm = tag("form", sign, method="post", class_="confirm",
                  action=f"/studio/publish/{p.fingerprint}/confirm#result")  # fmt: skip
    cancel = tag("a", "Cancel", href="/studio", role="button", class_="secondary outline")
    intro = ("Publishing signs this exact transaction from the server's wallet, through the "
             "Wallet agent's gateway. Check it, then sign.")  # fmt: skip
    parts = [tag("h3", "Confirm this transaction"), tag("p", intro),
             row_table(rows), tag("div", join([confirm, cancel]),
                                                   class_="actions")]  # fmt: skip
    return tag("article", join(parts), class_="check pending", data_testid="confirm-publish")


def _published(p: Published) -> Html:
    if p.version_index == 0:
        what = f"Listed {p.name} {p.version} as listing {p.listing_id}"
    else:
        what = f"Added {p.name} {p.version} to listing {p.listing_id} as version {p.version_index}"
    see = tag("a", f"See listing {p.listing_id}", href=f"/market/{p.listing_id}")
    tx = tag("code", p.tx_hash, class_="hash", data_testid="tx")
    parts = [
        tag("h3", "Published", data_testid="published"),
        tag("p", join([what, ". ", see])),
        tag(
            "p", join(["Transaction ", tx, "; spec hash ", tag("code", p.spec_hash, class_="hash")])
        ),
    ]
    if p.saved is not None:
        saved = join(["A copy of the spec: ", tag("code", str(p.saved))])
        parts.append(tag("p", saved, class_="hint"))
    return tag("article", join(parts), class_="check valid", data_listing=str(p.listing_id))


def studio_page(
    csrf: str,
    tools: Sequence[InstalledTool],
    templates: Sequence[tuple[str, str, bool]],
    *,
    spec_text: str = "",
    result: StudioResult | None = None,
    publishing: Publishing | None = None,
) -> str:
    """The Studio page: the check form (``spec_text`` in it, ``result`` under it, and what
    ``publishing`` holds above that), the templates and the plug-in library."""
    publishing = publishing or Publishing()
    publish = Html("")
    if result is not None and result.valid:
        publish = _publish(result, csrf, spec_text, publishing.wallet)
    shown = join([_publishing(publishing, csrf), _result(result, publish)])
    main = render("studio.html", csrf=csrf, spec=spec_text, max=str(MAX_SPEC_CHARS),
                  result=shown, templates=_templates(templates),
                  library=_library(tools), count=str(len(tools)))  # fmt: skip
    return page("Studio", main, current="studio", csrf=csrf)
