"""Write the README's generated regions from their sources.

A region is the text between ``<!-- generated: NAME -->`` and ``<!-- /generated -->``.
Figures come from ``benchmarks/*.json`` (what the benchmark scripts last wrote), the
settings table from ``rexos.config.SETTINGS_HELP``. Nothing in a region is written by hand:
re-run this script after a benchmark or a setting changes.

    python scripts/readme_tables.py          # rewrite README.md
    python scripts/readme_tables.py --check  # exit 1 and name the regions that differ
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rexos.config import SETTINGS_HELP

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BENCHMARKS = ROOT / "benchmarks"
REGION = re.compile(
    r"(<!-- generated: (?P<name>[a-z]+) -->\n)(?P<body>.*?)(<!-- /generated -->)", re.S
)

GAS_LABELS = {
    "transfer": "REX transfer (to a holder)",
    "transfer_to_new_holder": "REX transfer (to a new holder)",
    "approve": "approve",
    "stake_first": "stake, first",
    "stake_again": "stake, again",
    "claim": "claim",
    "unstake_no_deduction": "unstake, no deduction",
    "unstake_with_deduction": "unstake, with deduction and burn",
    "release": "vesting release",
    "bridge_send_lock": "bridge: lock and send",
    "bridge_deliver_mint": "bridge: deliver and mint",
    "bridge_send_burn": "bridge: burn and send back",
    "bridge_deliver_release": "bridge: deliver and release",
}
Json = Mapping[str, Any]


def _load(name: str) -> Json:
    data: Json = json.loads((BENCHMARKS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _n(value: int | float) -> str:
    return f"{value:,}"


def _goal(gas: int, goal: int | None) -> tuple[str, str]:
    if goal is None:
        return "–", "–"
    return f"≤ {goal:,}", "yes" if gas <= goal else "**no**"


def _table(header: Sequence[str], align: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def gas() -> str:
    """The contract gas table of ``benchmarks/gas.json``."""
    data = _load("gas")
    rows = []
    for figure in data["figures"]:
        action = figure["action"]
        label = GAS_LABELS.get(action, action.replace("_", " "))
        rows.append((label, _n(figure["gas"]), *_goal(figure["gas"], figure["goal"])))
    intro = (
        f"Total transaction gas from receipts, 21,000 base included; {data['node']}, "
        f"`--hardfork {data['hardfork']}` (`python benchmarks/gas.py` writes "
        "`benchmarks/gas.json`):\n\n"
    )
    return intro + _table(
        ("action", "gas", "goal", "within goal"), ("---", "---:", "---:", "---"), rows
    )


def dprompt() -> str:
    """DPrompt and opML gas from ``benchmarks/dprompt.json`` and ``benchmarks/opml.json``."""
    dp, opml = _load("dprompt"), _load("opml")
    goals: Json = dp["goals"]
    rows = []
    for name, label in (
        ("request", "DPrompt request"),
        ("respond", "DPrompt respond"),
        ("finalize", "DPrompt finalize"),
        ("challenge", "LLM answer: challenge"),
        ("resolve", "LLM answer: committee resolution"),
        ("dispute_total", "LLM answer: whole committee dispute"),
    ):
        rows.append((label, _n(dp["gas"][name]), *_goal(dp["gas"][name], goals.get(name))))
    game: Json = opml["wrong_output"]
    for name, label in (
        ("move_max", "opML: largest move"),
        ("one_step", "opML: one-step re-execution"),
        ("dispute_total", f"opML: whole dispute ({game['moves']} moves, {opml['steps']} steps)"),
    ):
        rows.append((label, _n(game[name]), *_goal(game[name], opml["goals"].get(name))))
    intro = (
        f"{dp['node']} (`python benchmarks/dprompt.py`, `python benchmarks/opml.py`; "
        "the opML row is a dispute over a wrong output):\n\n"
    )
    return intro + _table(
        ("action", "gas", "goal", "within goal"), ("---", "---:", "---:", "---"), rows
    )


def routing() -> str:
    """Router latency and quality from ``benchmarks/routing.json``."""
    data = _load("routing")
    rows = []
    for pools, latency in data["latency"].items():
        cold, warm = latency["cold"], latency["warm"]
        rows.append(
            (
                _n(int(pools)),
                f"{cold['median_ms']} / {cold['p95_ms']}",
                f"{warm['median_ms']} / {warm['p95_ms']}",
            )
        )
    quality = [
        (
            kind,
            str(q["trades"]),
            f"{q['gap_to_optimum_bps_mean']} / {q['gap_to_optimum_bps_max']}",
            f"{q['gap_to_routable_optimum_bps_mean']} / {q['gap_to_routable_optimum_bps_max']}",
            f"{q['certified_gap_bps_max']}",
            f"{q['certificate_held_share']:.0%}",
            str(q["gain_over_grid_bps_median"]),
        )
        for kind, q in data["quality"].items()
    ]
    return (
        f"`find_route` latency in ms, median / p95 ({data['machine']}; "
        "`python benchmarks/routing.py`):\n\n"
        + _table(("pools", "cold", "warm"), ("---:", "---:", "---:"), rows)
        + "\nQuality on random pool graphs (up to 50 pools over 2 to 6 tokens; arbitraged, or "
        "with pools disagreeing by up to 2 %): gap to an independently solved optimum (mean / "
        "max), and to the best route one RexRouter swap can run (no arbitrage loop through the "
        "sell or buy token), the largest gap the router's whole-graph bound certifies, the "
        "share of graphs "
        "where that bound held, and the median gain over a 5 %-grid baseline, in bps:\n\n"
        + _table(
            (
                "graphs",
                "trades",
                "gap to optimum, mean / max",
                "gap to runnable optimum",
                "certified gap, max",
                "bound held",
                "gain over grid, median",
            ),
            ("---", "---:", "---:", "---:", "---:", "---:", "---:"),
            quality,
        )
    )


def agents() -> str:
    """Intent-grammar and orchestrator figures from ``benchmarks/agents.json``."""
    data = _load("agents")
    golden: Json = data["golden_intents"]
    cases = sum(g["cases"] for g in golden.values())
    correct = sum(g["correct"] for g in golden.values())
    latency, tickers, plan = (
        data["intent_parse_latency_us"],
        data["ticker_extraction"],
        data["three_step_plan"],
    )
    rows = [
        ("intent golden suite (regression, not an accuracy claim)", f"{correct} / {cases} cases"),
        ("intent parse, median / p95", f"{latency['median']} / {latency['p95']} µs"),
        ("ticker extraction", f"{_n(tickers['texts_per_s'])} texts/s"),
        (
            f"three-step plan ({plan['transactions_per_run']} transactions, {plan['chain']})",
            f"{plan['median_s']} s median of {plan['runs']}",
        ),
    ]
    return (
        f"`python benchmarks/agents.py` (Python {data['python']}):\n\n"
        + f"> {plan['request']}\n\n"
        + _table(("what", "figure"), ("---", "---:"), rows)
    )


def understanding() -> str:
    """Figures on the frozen blind evaluation sets from ``benchmarks/agents.json``."""
    data = _load("agents")["understanding"]
    goals, first = data["goals"], data["test_half_first_score"]
    rows = []
    for name, label in (
        ("test_half", "test half (scored only)"),
        ("dev3_test", "third set's test half (scored only)"),
        ("dev4_test", "fourth set's test half (scored only)"),
        ("dev5_test", "fifth set's test half (scored only)"),
        ("dev6_test", "sixth set's test half (scored only)"),
        ("dev7_test", "seventh set's test half (confusable neighbours; scored only)"),
        ("dev8_test", "eighth set's test half (ordinary chat context; scored only)"),
        ("dev_half", "dev half (studied)"),
        ("dev2", "second dev set (studied)"),
        ("dev3_dev", "third set's dev half (studied)"),
        ("dev4_dev", "fourth set's dev half (studied)"),
        ("dev5_dev", "fifth set's dev half (studied)"),
        ("dev6_dev", "sixth set's dev half (studied)"),
        ("dev7_dev", "seventh set's dev half (studied)"),
        ("dev8_dev", "eighth set's dev half (studied)"),
    ):
        r, t = data[name]["requests"], data[name]["tokens"]
        rows.append(
            (
                f"{label}, {r['requests']} requests / {t['sentences']} sentences",
                f"{r['intent_accuracy']:.1%}",
                f"{r['exact_arguments']:.1%}",
                f"{r['wrong_intent_share']:.1%}",
                f"{r['abstain_rate']:.1%}",
                f"{t['f1']:.3f}",
            )
        )
    rows.append(
        (
            f"test half, first score (commit {first['commit']})",
            f"{first['intent_accuracy']:.1%}",
            f"{first['exact_arguments']:.1%}",
            f"{first['wrong_intent_share']:.1%}",
            f"{first['abstain_rate']:.1%}",
            f"{first['token_f1']:.3f}",
        )
    )
    rows.append(
        (
            "goal",
            goals["intent_accuracy"],
            goals["exact_arguments"],
            goals["wrong_intent_share"],
            "–",
            goals["token_f1"],
        )
    )
    latency = data["latency_ms"]
    return (
        "`python benchmarks/understanding.py` on the blind sets of `tests/eval/understanding/`"
        f" (p95 {latency['p95']} ms per request, median {latency['median']} ms, no LLM):\n\n"
        + _table(
            ("set", "intent", "exact arguments", "wrong intent", "asked instead", "token F1"),
            ("---", "---:", "---:", "---:", "---:", "---:"),
            rows,
        )
    )


def sentiment() -> str:
    """Lense's sentiment figures on the blind set's test half from ``benchmarks/lense.json``."""
    data = _load("lense")["sentiment"]
    rows = []
    for key, label in (
        ("int8_model", "int8 model (shipped)"),
        ("float_model", "float model before quantisation"),
        ("lexicon_baseline", "lexicon baseline"),
    ):
        found = data[key]
        per = found["per_class"]
        rows.append(
            (
                label,
                f"{found['macro_f1']:.4f}",
                f"{found['accuracy']:.4f}",
                *(f"{per[name]['f1']:.3f}" for name in ("neutral", "positive", "negative")),
            )
        )
    latency = data["latency"]
    return (
        f"`python benchmarks/lense.py`: {data['model']} on the test half ({data['test_size']}"
        f" items, scored only; trained on {data['train_size']}) of the blind set in"
        f" `src/rexos/lense/data/sentiment/` (median {latency['p50_us']} µs per item):\n\n"
        + _table(
            ("classifier", "macro-F1", "accuracy", "F1 neutral", "F1 positive", "F1 negative"),
            ("---", "---:", "---:", "---:", "---:", "---:"),
            rows,
        )
    )


def api() -> str:
    """HTTP API figures from ``benchmarks/api.json``."""
    data = _load("api")
    reads, turn, attacks = data["concurrent_reads"], data["one_chat_turn"], data["attacks"]
    rows = [
        (
            f'{reads["requests"]} concurrent reads ("{reads["request"]}"), p50 / p95',
            f"{reads['p50_s']} / {reads['p95_s']} s",
        ),
        (
            "one chat turn, same block, p50 / p95",
            f"{turn['same_block']['p50_s']} / {turn['same_block']['p95_s']} s",
        ),
        (
            "one chat turn, new block, p50 / p95",
            f"{turn['new_block']['p50_s']} / {turn['new_block']['p95_s']} s",
        ),
        ("guard attacks held", f"{attacks['held']} / {attacks['attempts']}"),
    ]
    return (
        f"`python benchmarks/api.py` ({data['server']}; {data['chain']}; {data['cpus']} CPUs, "
        f"load average {data['load_average_1min_at_start']} at the start):\n\n"
        + _table(("what", "figure"), ("---", "---:"), rows)
    )


def startup() -> str:
    """Command start-up times from ``benchmarks/startup.json``."""
    data = _load("startup")
    rows = [
        (f"`{command}`", f"{c['median_s']} s", f"{c['min_s']}–{c['max_s']} s", str(c["runs"]))
        for command, c in data["commands"].items()
    ]
    load = data["load_average_1min"]
    return (
        f"Whole-process wall time (`python benchmarks/startup.py`; {data['cpus']} CPUs, load "
        f"average {load['before']} before and {load['after']} after):\n\n"
        + _table(("command", "median", "range", "runs"), ("---", "---:", "---:", "---:"), rows)
    )


def lense() -> str:
    """Lense's figures from ``benchmarks/lense.json`` (discovery, report, questions) and
    ``benchmarks/lense_page.json`` (the page)."""
    data = _load("lense")
    found, report, qa = data["discovery"], data["report"], data["qa"]
    page = _load("lense_page")
    cold, warm = report["cold_s"], report["warm_median_s"]

    def acc(part: Json) -> str:
        return f"{part['correct']} / {part['questions']} ({part['accuracy_pct']}%)"

    invented = sum(
        qa[k]["answers_with_invented_numbers"]
        for k in (
            "blind_test",
            "blind_dev",
            "blind2_test",
            "blind2_dev",
            "blind3_test",
            "blind3_dev",
            "blind4_test",
            "blind4_dev",
            "blind5_test",
            "blind5_dev",
            "answerer_dev",
        )
    )
    rows = [
        (
            f"discovery of a wallet holding {found['tokens']:,} tokens ({found['chain']})",
            f"{found['time_s']} s, {found['rpc_requests']} RPC requests",
            f"≤ {found['goal_s']} s",
        ),
        (
            f"report for {report['assets']} assets, {report['charts']} charts, HTML + PDF,"
            " cold / warm",
            f"{cold['total_s']} / {warm['total_s']} s",
            f"≤ {report['goal_s']} s",
        ),
        (
            "report numbers traced to a fact (HTML and PDF text)",
            f"{report['numbers']['share_traced']:.0%}",
            "100%",
        ),
        ("questions, first blind set, unseen test half", acc(qa["blind_test"]), "≥ 95%"),
        ("questions, second blind set, unseen test half", acc(qa["blind2_test"]), "≥ 95%"),
        ("questions, third blind set, unseen test half", acc(qa["blind3_test"]), "≥ 95%"),
        ("questions, fourth blind set, unseen test half", acc(qa["blind4_test"]), "≥ 95%"),
        ("questions, fifth blind set, unseen test half", acc(qa["blind5_test"]), "≥ 95%"),
        (
            "questions, fourth / fifth blind set, first score on arrival (test half)",
            f"{qa['blind4_first_score']['blind4_test']['correct']} / 80 "
            f"({qa['blind4_first_score']['blind4_test']['accuracy_pct']}%) / "
            f"{qa['blind5_first_score']['blind5_test']['correct']} / 80 "
            f"({qa['blind5_first_score']['blind5_test']['accuracy_pct']}%)",
            "–",
        ),
        (
            "questions, blind sets' studied dev halves",
            ", ".join(
                acc(qa[f"{n}_dev"]) for n in ("blind", "blind2", "blind3", "blind4", "blind5")
            ),
            "–",
        ),
        ("answers stating a number that is not a cited fact", str(invented), "0"),
        (
            "page load (report kept / rebuilt), p50",
            f"{page['page_report_kept']['median_ms']:.0f} / "
            f"{page['page_report_built']['median_ms']:.0f} ms",
            "–",
        ),
    ]
    return (
        "`python benchmarks/lense_discovery.py`, `benchmarks/lense_report.py`,"
        " `benchmarks/lense_qa.py`, `benchmarks/lense_page.py` (2 CPUs):\n\n"
        + _table(("what", "figure", "goal"), ("---", "---:", "---:"), rows)
    )


MARKET_LABELS = {
    "list": "list an agent",
    "new_version": "add a version",
    "deposit_first": "deposit credit, first",
    "deposit": "deposit credit, again",
    "deposit_with_permit": "deposit with an ERC-2612 permit",
    "open_job": "open a job (buy a use)",
    "settle": "settle at the maximum",
    "settle_below_max": "settle below the maximum",
    "settle_below_max_credit_emptied": "settle below the maximum, the job held all the credit",
    "refund": "refund after expiry",
    "rate": "rate",
    "claim": "developer claims",
    "distribute_fees": "distribute fees to sREX and the treasury",
    "withdraw_credit": "withdraw credit",
    "delist": "delist",
}


def market() -> str:
    """The Agent Market's gas (``benchmarks/market.json``) and its publish-to-settled time."""
    data = _load("market")
    gas = data["gas"]
    rows = [(label, _n(gas[key])) for key, label in MARKET_LABELS.items() if key in gas]
    together, goal = data["open_plus_settle"], data["goal_open_plus_settle"]
    rows.append(("**open a job + settle it** (the dearer settle)", f"**{_n(together)}**"))
    flow = data["publish_to_first_settled_s"]
    steps = ", ".join(f"{k} {v} s" for k, v in flow.items() if k != "total")
    return (
        f"Gas from {data['node']} receipts (`--hardfork {data['hardfork']}`), whole "
        "transactions; `python benchmarks/market.py` writes `benchmarks/market.json`.\n\n"
        + _table(("action", "gas"), ("---", "---:"), rows)
        + f"\nOpen + settle: {_n(together)} gas, goal ≤ {_n(goal)}: "
        + ("met" if data["goal_met"] else "**not met**")
        + " (a job that held all of its buyer's credit and settles below its maximum refills "
        + f"an empty slot: {_n(gas['open_job'] + gas['settle_below_max_credit_emptied'])} "
        + "together). From `rexos market publish` to a first settled job: "
        + f"{flow['total']} s ({steps}; "
        + data["publish_to_first_settled_note"]
        + ").\n"
    )


EVAL_HEADER = ("cut (more than)", "half", "eligibility", "sybil precision", "sybil recall",
               "KYC wrongly excluded")  # fmt: skip


def airdrop() -> str:
    """The airdrop's gas and tree build (``benchmarks/economy.json``) and the engine's scores
    on the blind set (``benchmarks/airdrop_eval.json``)."""
    data = _load("economy")
    a = data["airdrop"]
    rows = [
        ("claim, sent alone (mean over two whole bitmap words)", _n(a["claim_amortised"])),
        ("claim, the first in its bitmap word", _n(a["claim_first_in_word"])),
        ("claim sent by a relayer (reads the binding)", _n(a["claim_relayed_amortised"])),
        ("**claim in a relayer's batch of 32**, per claim", f"**{_n(a['claim_in_batch_of_32'])}**"),
        ("claim in a relayer's batch of 128, per claim", _n(a["claim_in_batch_of_128"])),
        ("claim and stake into sREX", _n(a["claim_and_stake"])),
    ]
    evaluation = _load("airdrop_eval")
    scores = []
    for key in sorted(evaluation, key=lambda k: -int(k.split("_")[1])):
        run = evaluation[key]
        for half in ("dev", "test"):
            e, s = run[half]["eligibility"], run[half]["sybil"]["decided_population"]
            scores.append((str(run["cut"]), half, f"{e['accuracy']:.4f}", str(s["precision"]),
                           str(s["recall"]), str(run[half]["kyc_wrongly_excluded"])))  # fmt: skip
    return (
        f"Gas from {a['node']} receipts (`--hardfork {a['hardfork']}`), whole transactions, "
        f"a tree of {_n(a['leaves'])} leaves ({a['proof_nodes']}-node proofs) built in "
        f"{a['tree_build_s']} s, every recipient a fresh address holding no REX; "
        "`python benchmarks/economy.py` writes `benchmarks/economy.json`.\n\n"
        + _table(("airdrop action", "gas"), ("---", "---:"), rows)
        + f"\nGoal ≤ {_n(a['goal_claim'])} a claim: "
        + ("met" if a["goal_met"] else "**not met**")
        + " in a relayer's batch; a claim sent alone to a fresh address cannot reach it (the "
        "transaction base and the new REX balance take 43,100 before any distributor code).\n\n"
        "The eligibility engine and sybil filter on the blind set (`tests/eval/airdrop/`, "
        "10,000 addresses, 40 planted clusters, written by a session that never saw the "
        "engine; the test half was not studied); `python benchmarks/airdrop_eval.py`:\n\n"
        + _table(
            (
                "cut (more than)",
                "half",
                "eligibility",
                "sybil precision",
                "sybil recall",
                "KYC wrongly excluded",
            ),
            ("---:", "---", "---:", "---:", "---:", "---:"),
            scores,
        )
    )


def fees() -> str:
    """Gas of one FeeRouter payment by each method (``benchmarks/economy.json``'s ``fees``)."""
    f = _load("economy")["fees"]
    rows = [
        (label, _n(f[key]), _n(f[key + "_first"]))
        for key, label in (("pay_stable", "in USDC"), ("pay_rex", "in REX at the TWAP"),
                           ("pay_points", "with AI points"))
    ]  # fmt: skip
    desks = [
        (label, _n(f[key]), _n(f[base]))
        for key, label, base in (
            ("desk_request_stable", "DPrompt request bought in USDC", "request_from_credit"),
            ("desk_request_rex", "DPrompt request bought in REX", "request_from_credit"),
            ("desk_request_points", "DPrompt request bought with points", "request_from_credit"),
            ("desk_job_stable", "Agent Market job bought in USDC", "job_from_credit"),
        )
    ]
    return (
        f"Gas from {f['node']} receipts (`--hardfork {f['hardfork']}`), one use of "
        f"`{f['service']}`; `python benchmarks/fees.py` writes the `fees` part of "
        "`benchmarks/economy.json`.\n\n"
        + _table(("payment", "gas", "payer's first of that kind"), ("---", "---:", "---:"), rows)
        + "\n\nBought at a desk (`payAndCall`: the payment and the request or job in one "
        "transaction) beside the same paid from prepaid credit:\n\n"
        + _table(("bought", "gas", "from credit"), ("---", "---:", "---:"), desks)
    )


def settings() -> str:
    """Every setting declared in ``rexos.config.SETTINGS_HELP``, with its help text."""
    rows = [
        (f"`{name}`", help_text.replace("|", "\\|")) for name, help_text in SETTINGS_HELP.items()
    ]
    return _table(("variable", "meaning"), ("---", "---"), rows)


GENERATORS: dict[str, Callable[[], str]] = {
    "gas": gas,
    "dprompt": dprompt,
    "routing": routing,
    "agents": agents,
    "understanding": understanding,
    "sentiment": sentiment,
    "lense": lense,
    "market": market,
    "airdrop": airdrop,
    "fees": fees,
    "api": api,
    "startup": startup,
    "settings": settings,
}


def render(text: str) -> str:
    """``text`` with every generated region rewritten; an unknown region name is an error."""

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in GENERATORS:
            raise SystemExit(f"README.md: unknown generated region {name!r}")
        return match.group(1) + GENERATORS[name]() + match.group(4)

    return REGION.sub(replace, text)


def regions(text: str) -> dict[str, str]:
    """Each generated region's name and body."""
    return {m.group("name"): m.group("body") for m in REGION.finditer(text)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report regions that differ")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    new = render(text)
    if args.check:
        now, wanted = regions(text), regions(new)
        stale = [name for name in wanted if now[name] != wanted[name]]
        if stale:
            print(f"stale README regions: {', '.join(stale)}; run python scripts/readme_tables.py")
            return 1
        return 0
    if new != text:
        args.readme.write_text(new, encoding="utf-8")
        print(f"rewrote {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
