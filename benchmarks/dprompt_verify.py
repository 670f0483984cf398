"""Verification by scoring, measured: false slashes across configurations, cheats, cost.

Run: ``OMP_WAIT_POLICY=PASSIVE python benchmarks/dprompt_verify.py`` (needs the ``llm``
extra; the server configuration also needs llama-cpp-python's ``server`` extra and is
skipped without it; ``--quick`` checks every path on a few prompts and writes nothing).
A reduced run measures only some parts and configurations (``--only
honest,server,edited_prompt --configs 2x512,2x8``) and writes them under
``"verification"."partial"``; ``--save``/``--rejudge`` keep the judged scores and judge them
again under the registry's current policy without the model (see :func:`main`).
``--protocol`` judges every answer also through the path committees use: posted with its
commitment to the real ``RequestBook`` on anvil, read back and judged by
:func:`~rexos.dprompt.verdict.judge_answer` (:class:`Protocol`); those figures go under
``"verification"."in_protocol"``, the scoring figures are kept.
``OMP_WAIT_POLICY=PASSIVE`` keeps llama.cpp's threads from spinning on a shared machine
(5× faster here when other processes load the cores; results do not change).
Writes the key ``"verification"`` of ``benchmarks/dprompt.json`` (other keys kept).

One verifier — the default model as DPrompt pins it (2 threads, ``n_batch`` 512) with the
registry's :data:`~rexos.llm.registry.GEMMA_270M_VERIFICATION` — judges:

* honest answers to every prompt of ``dprompt_verify_prompts.PROMPTS`` (84: questions,
  instructions, continuations; greedy, 32 tokens) from each configuration in ``CONFIGS``
  (threads × ``n_batch``) and, when it can run, ``llama_cpp.server`` over HTTP (1 thread,
  ``n_batch`` 128, repeat penalty sent as 1.0), and from a second llama.cpp build
  (``NATIVE_DIR``: the same llama-cpp-python version built with ``GGML_NATIVE=ON``, run in a
  subprocess; skipped with a printed note when absent); on the first ``CHEAT_PROMPTS``
  prompts each in-process provider also commits, and the verifier checks the commitment;
* honest answers to ``HELD_OUT`` (24 prompts written after the policy was chosen) from the
  same configurations, all with commitments: the false-slash goal checked on answers the
  policy was not chosen from (``held_out``; ``budget_rule`` states the rule);
* cheats on the first ``CHEAT_PROMPTS`` prompts (edited tokens: ``EDIT_PROMPTS``):
  another model (the same file with two pairs of adjacent layers swapped: other weights,
  same architecture — no other GGUF model
  is available offline), two quantisation swaps (requantised to Q4_0 and Q8_0 by
  llama.cpp's quantize API), one to five edited tokens (a random token, and the stealthy
  edit: the position's runner-up token), a truncated output, an edited prompt, an output
  past ``max_tokens``. The edited-prompt cheater commits to the run it did (its edited prompt
  and output); scoring alone is what a cheater who recomputes an honest commitment over the
  asked prompt faces (``recommitted_commitment_rejected``: such commitments rejected), and
  ``rejected_with_commitment_logits_only`` counts what the commitment's logits catch without
  its prompt digest. A cheat whose text equals the honest answer is not a wrong answer
  and is counted apart (``same_as_honest``); the commitment still tells the models apart.

For every kind of answer it also reports the sequence-level statistics the policy bounds
(:func:`~rexos.llm.verify.deviation`): how many claimed tokens are off the verifier's
argmax and the sum of their gaps to the best logit (the honest maximum and each cheat's
minimum are what the bounds are chosen from).
"""

from __future__ import annotations

import json
import math
import os
import pickle
import random
import shutil
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from dprompt import PRICE, REQUESTER, Bench  # the DPrompt benchmark's anvil deployment
from dprompt_verify_prompts import HELD_OUT, PROMPTS, edited
from rexos.chain import AnvilChain
from rexos.config import Settings, find_anvil
from rexos.dprompt.verdict import judge_answer
from rexos.dprompt.views import receipt_hash
from rexos.llm import (
    DEFAULT_MODEL_ID,
    DecodingParams,
    default_registry,
    greedy,
    output_hash,
    prompt_hash,
)
from rexos.llm.gguf import GGUFModel, resolve_weights
from rexos.llm.spec import VerificationPolicy
from rexos.llm.verify import (
    Scores,
    Verdict,
    check_commitment,
    check_decoding,
    commitment_hash,
    deviation,
    make_commitment,
    prompt_digest,
)

OUT = Path(__file__).with_name("dprompt.json")
MAX_TOKENS = 32
PARAMS = greedy(max_tokens=MAX_TOKENS)
CONFIGS = ((2, 512), (1, 512), (2, 64), (2, 8), (1, 8))
"""(threads, n_batch) of the honest providers; the first is the verifier's own."""
CHEAT_PROMPTS = 30
EDIT_PROMPTS = 12
SWAPPED_LAYERS = ((5, 6), (11, 12))
SERVER = (1, 128)
SEED = 18
NATIVE_DIR = Path(os.environ.get("REXOS_LLAMA_NATIVE", "/tmp/llama-native"))
"""llama-cpp-python (same version) built with ``CMAKE_ARGS=-DGGML_NATIVE=ON --target`` here: a
second llama.cpp build run as an honest provider in a subprocess; skipped when absent."""
NATIVE = "native_build_threads2_batch512"
BUDGET_FACTOR = 2
"""The stated rule of the sequence bound: twice the largest honest figure on the tuning prompts
(``PROMPTS``), rounded up (regret to a tenth of a logit); checked on ``HELD_OUT``."""


EPSILONS = (250, 500, 1000, 2000)
"""Tolerances (thousandths of a logit) whose verdicts are also counted, to show the trade-off."""
WINDOW_BOUNDS = ((6, 500), (6, 750), (6, 1000), (6, 1500), (4, 1000), (3, 100_000_000))
"""(off-argmax, regret in thousandths) per 32-token window whose verdicts are also counted."""


@dataclass(frozen=True)
class Judged:
    """One verdict with what the figures need: the scores and the commitment drift."""

    valid: bool
    commitment_valid: bool | None
    failure: str
    scores: Scores
    drift_milli: int | None
    logits_valid: bool | None = None
    """The commitment's logits alone (its prompt digest replaced by the asked prompt's)."""
    recommitted_valid: bool | None = None
    """A cheater's commitment recomputed over the asked prompt (edited prompt only)."""
    protocol_valid: bool | None = None
    """The committee's verdict in the protocol (``--protocol``): the answer posted with its
    commitment to the real ``RequestBook``, read back and judged by ``judge_answer``."""
    protocol_failure: str = ""
    protocol_recommitted_valid: bool | None = None
    """The same with the strongest cheater's commitment: recomputed with the registered
    model over the asked prompt and the posted output (what scoring alone then faces)."""


@dataclass
class Tally:
    """Verdicts of one kind of answer: scoring alone, scoring + commitment, other tolerances.

    The judged answers are kept (with their scores), so :meth:`figures` can judge them again
    under any policy (``--rejudge``) without the model.
    """

    judged: list[Judged] = field(default_factory=list)
    same_as_honest: int = 0
    same_caught_by_commitment: int = 0

    def add(self, j: Judged, policy: VerificationPolicy | None = None) -> None:
        self.judged.append(j)

    @property
    def answers(self) -> int:
        return len(self.judged)

    def figures(self, policy: VerificationPolicy) -> dict[str, Any]:
        n = self.answers
        rejected = rejected_with_commitment = logits_only = recommitted = 0
        failures: dict[str, int] = {}
        at_eps: dict[int, int] = {}
        at_window: dict[str, int] = {}
        for j in self.judged:
            verdict = check_decoding(j.scores, PARAMS, policy)
            rejected += not verdict.valid
            if not verdict.valid:
                failures[verdict.failure] = failures.get(verdict.failure, 0) + 1
            rejected_with_commitment += not verdict.valid or j.commitment_valid is False
            logits_only += not verdict.valid or j.logits_valid is False
            recommitted += j.recommitted_valid is False
            for eps in EPSILONS:
                ok = check_decoding(j.scores, PARAMS, replace(policy, epsilon_milli=eps)).valid
                at_eps[eps] = at_eps.get(eps, 0) + (not ok)
            for off, regret in WINDOW_BOUNDS:
                bound = replace(policy, window_off_argmax=off, window_regret_milli=regret)
                ok = check_decoding(j.scores, PARAMS, bound).valid
                key = f"{off}_{regret}"
                at_window[key] = at_window.get(key, 0) + (not ok)
        devs = [deviation(j.scores) for j in self.judged]
        offs = [d.off_argmax for d in devs]
        regrets = [d.regret_milli for d in devs]
        out: dict[str, Any] = {
            "answers": n,
            "rejected": rejected,
            "rate": round(rejected / n, 4) if n else None,
            "rejected_with_commitment": rejected_with_commitment,
            "rate_with_commitment": round(rejected_with_commitment / n, 4) if n else None,
            "rejected_with_commitment_logits_only": logits_only,
            "rejected_at_epsilon_milli": {str(k): v for k, v in at_eps.items()},
            "rejected_at_window_off_argmax_regret_milli": at_window,
            "failures": dict(sorted(failures.items())),
        }
        if n:
            out["off_argmax"] = {
                "min": min(offs),
                "max": max(offs),
                "answers_by_count": {str(k): offs.count(k) for k in sorted(set(offs))},
            }
            out["regret_milli"] = {"min": min(regrets), "max": max(regrets)}
        posted = [j for j in self.judged if j.protocol_valid is not None]
        if posted:
            failed = [j.protocol_failure for j in posted if not j.protocol_valid]
            out["in_protocol"] = {
                "answers": len(posted),
                "rejected": len(failed),
                "rate": round(len(failed) / len(posted), 4),
                "failures": {f: failed.count(f) for f in sorted(set(failed))},
                "rejected_recommitted": sum(
                    j.protocol_recommitted_valid is False
                    or (j.protocol_recommitted_valid is None and not j.protocol_valid)
                    for j in posted
                ),
            }
        if any(j.recommitted_valid is not None for j in self.judged):
            out["recommitted_commitment_rejected"] = recommitted
        gaps = [p.best.logit - p.logit for j in self.judged for p in j.scores.positions]
        if gaps:
            out["max_logit_gap"] = round(max(gaps), 4)
        if self.same_as_honest:
            out["same_as_honest"] = self.same_as_honest
            out["same_as_honest_caught_by_commitment"] = self.same_caught_by_commitment
        drifts = self.drifts
        if drifts:
            out["commitment_drift_milli"] = {"min": min(drifts), "max": max(drifts)}
        return out

    @property
    def drifts(self) -> list[int]:
        return [j.drift_milli for j in self.judged if j.drift_milli is not None]


class Verifier:
    """The one verifier configuration, with timing."""

    def __init__(self, model: GGUFModel) -> None:
        self.model = model
        policy = default_registry().get(DEFAULT_MODEL_ID).verification
        assert policy is not None
        self.policy: VerificationPolicy = policy
        self.seconds: list[float] = []
        self.honest_gaps: list[float] = []
        self.protocol: Protocol | None = None

    def scores(self, prompt: str, output: str) -> Scores:
        start = time.perf_counter()
        top = max(self.policy.top_k, self.policy.commit_k)
        got = self.model.score(prompt, output, top)
        self.seconds.append(time.perf_counter() - start)
        return got

    def judge(
        self, prompt: str, output: str, commitment: bytes | None, recommit: bool = False
    ) -> Judged:
        s = self.scores(prompt, output)
        verdict = check_decoding(s, PARAMS, self.policy)
        if commitment is None:
            judged = Judged(verdict.valid, None, verdict.failure, s, None)
        else:
            committed = check_commitment(commitment, s, self.policy).valid
            rebound = commitment[:4] + prompt_digest(s.prompt_ids) + commitment[36:]
            logits = check_commitment(rebound, s, self.policy).valid
            drift = _drift(commitment, s, self.policy)
            judged = Judged(verdict.valid, committed, verdict.failure, s, drift, logits)
        if self.protocol is None:
            return judged
        # a cheater without a run of its own to commit to recomputes the commitment with the
        # registered model over the asked prompt: the verifier's own scores are exactly that
        recomputed = make_commitment(s, self.policy)
        posted = self.protocol.judge(self, prompt, output, s, commitment or recomputed)
        judged = replace(judged, protocol_valid=posted.valid, protocol_failure=posted.failure)
        if recommit and commitment is not None:
            again = self.protocol.judge(self, prompt, output, s, recomputed)
            judged = replace(judged, protocol_recommitted_valid=again.valid)
        return judged

    def note_honest(self, s: Scores) -> None:
        self.honest_gaps.extend(p.best.logit - p.logit for p in s.positions)


class _Scored:
    """The verifier model with its one scoring pass of the answer being judged: the committee
    function runs on it without scoring the same prompt and output a second time."""

    def __init__(self, model: GGUFModel, scores: Scores) -> None:
        self._model, self._scores = model, scores
        self.policy = model.policy
        self.registration_hash = model.registration_hash

    def score(self, prompt: str, output: str, top: int, temperature: float = 1.0) -> Scores:
        return self._scores

    def complete(self, prompt: str, params: DecodingParams) -> Any:
        return self._model.complete(prompt, params)


class Protocol:
    """The path committees use, on anvil: every judged answer is asked for and answered on the
    real ``RequestBook`` (``respondWithCommitment``, the receipt built as a provider builds
    it, binding the posted commitment), read back with :meth:`Client.get` as a member reads
    it, and judged by :func:`~rexos.dprompt.verdict.judge_answer` (receipt recomputed from the
    request and the carried commitment, one scoring pass, the commitment checked against it)."""

    def __init__(self) -> None:
        anvil = find_anvil()
        if anvil is None:
            raise SystemExit("--protocol needs anvil: run `make install-dev` first")
        self.chain = AnvilChain(anvil)
        self.bench = Bench(self.chain)
        self.price = PRICE
        self.requesters = (REQUESTER, REQUESTER + 1)
        self.posted = 0
        self.respond_gas: list[int] = []
        client = self.bench.client
        for i in self.requesters:  # every REX they hold as credit: one fee per judged answer
            tx = self.bench.tx(i)
            held = int(client.rex.functions.balanceOf(tx.address).call())
            if held:
                client.deposit(tx, held)

    def judge(
        self, verifier: Verifier, prompt: str, text: str, scores: Scores, commitment: bytes
    ) -> Verdict:
        b, model = self.bench, verifier.model
        requester = b.tx(self.requesters[self.posted % 2])
        self.posted += 1
        asked = b.client.ask(requester, DEFAULT_MODEL_ID, prompt, max_fee=self.price)
        receipt = receipt_hash(
            model.registration_hash,
            prompt_hash(prompt),
            PARAMS.hash(),
            PARAMS.seed,
            output_hash(text),
            commitment_hash(commitment),
        )
        b.client.respond(b.tx_of(asked.provider), asked, text, receipt, commitment)
        self.respond_gas.append(b.last_gas())
        view = b.client.get(asked.id)
        return judge_answer(_Scored(model, scores), view, PARAMS)  # type: ignore[arg-type]

    def close(self) -> None:
        self.chain.close()


def _drift(commitment: bytes, s: Scores, policy: VerificationPolicy) -> int:
    """Largest |committed − recomputed| logit (thousandths) over shared committed ids."""
    mine = make_commitment(s, policy)
    words = lambda b: struct.unpack(f">{len(b) // 4}i", b)  # noqa: E731
    a, b = words(commitment)[9:], words(mine)[9:]  # after the version and the prompt digest
    if len(a) != len(b):
        return 1 << 30
    k = policy.commit_k
    worst = 0
    for start in range(0, len(a), 2 * k):
        end = start + 2 * k
        theirs = dict(zip(a[start:end:2], a[start + 1 : end : 2], strict=True))
        ours = dict(zip(b[start:end:2], b[start + 1 : end : 2], strict=True))
        for token, value in theirs.items():
            if token in ours:
                worst = max(worst, abs(value - ours[token]))
    return worst


def _commit(model: GGUFModel, prompt: str, text: str) -> bytes:
    policy = model.policy
    assert policy is not None
    return make_commitment(model.score(prompt, text, policy.commit_k), policy)


def _generate(model: GGUFModel, prompts: list[str], params: DecodingParams = PARAMS) -> list[str]:
    return [model.complete(p, params).text for p in prompts]


# ------------------------------------------------------------ cheat models


def _swap_layers(source: Path, target: Path, pairs: tuple[tuple[int, int], ...]) -> int:
    """Copy a GGUF file and swap the tensors of each layer pair that agree in type and shape."""
    shutil.copyfile(source, target)
    data = bytearray(target.read_bytes())
    infos, data_start = _tensor_infos(bytes(data))
    ends = [*sorted(off for _, _, off in infos.values()), len(data) - data_start]
    size = {name: ends[ends.index(off) + 1] - off for name, (_, _, off) in infos.items()}
    swapped = 0
    for a, b in pairs:
        for name, (kind, dims, off) in infos.items():
            prefix = f"blk.{a}."
            if not name.startswith(prefix):
                continue
            other = f"blk.{b}." + name[len(prefix) :]
            if other not in infos or infos[other][:2] != (kind, dims) or size[name] != size[other]:
                continue
            x, y = data_start + off, data_start + infos[other][2]
            n = size[name]
            data[x : x + n], data[y : y + n] = data[y : y + n], data[x : x + n]
            swapped += 1
    target.write_bytes(bytes(data))
    return swapped


def _tensor_infos(data: bytes) -> tuple[dict[str, tuple[int, tuple[int, ...], int]], int]:
    """GGUF v3 tensor table: name → (type, dims, offset); and where tensor data starts."""
    pos = 4
    version, n_tensors, n_kv = struct.unpack_from("<IQQ", data, pos)
    assert data[:4] == b"GGUF" and version == 3
    pos += 20
    scalar = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
    alignment = 32

    def string(at: int) -> tuple[str, int]:
        (n,) = struct.unpack_from("<Q", data, at)
        return data[at + 8 : at + 8 + n].decode("utf-8"), at + 8 + n

    def value(kind: int, at: int) -> tuple[Any, int]:
        if kind == 8:
            return string(at)
        if kind == 9:
            inner, count = struct.unpack_from("<IQ", data, at)
            at += 12
            for _ in range(count):
                _, at = value(inner, at)
            return None, at
        fmt = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q"}
        fmt |= {11: "q", 12: "d"}
        return struct.unpack_from("<" + fmt[kind], data, at)[0], at + scalar[kind]

    for _ in range(n_kv):
        key, pos = string(pos)
        (kind,) = struct.unpack_from("<I", data, pos)
        got, pos = value(kind, pos + 4)
        if key == "general.alignment":
            alignment = int(got)
    infos = {}
    for _ in range(n_tensors):
        name, pos = string(pos)
        (n_dims,) = struct.unpack_from("<I", data, pos)
        dims = struct.unpack_from(f"<{n_dims}Q", data, pos + 4)
        pos += 4 + 8 * n_dims
        kind, offset = struct.unpack_from("<IQ", data, pos)
        pos += 12
        infos[name] = (kind, tuple(dims), offset)
    return infos, -(-pos // alignment) * alignment


def _requantise(source: Path, target: Path, ftype: int) -> None:
    import llama_cpp  # the benchmark's cheat, not the library: only gguf.py imports it there

    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.allow_requantize = True
    params.nthread = 2
    if llama_cpp.llama_model_quantize(str(source).encode(), str(target).encode(), params) != 0:
        raise RuntimeError(f"quantize to ftype {ftype} failed")


# ------------------------------------------------------------ server


def _serve(weights: Path, port: int) -> subprocess.Popen[bytes] | None:
    try:
        import llama_cpp.server  # noqa: F401
    except ImportError as exc:
        print(f"server configuration skipped: {exc}", file=sys.stderr)
        return None
    threads, batch = SERVER
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "llama_cpp.server", "--model", str(weights)),
            *("--port", str(port), "--n_threads", str(threads)),
            *("--n_threads_batch", str(threads), "--n_batch", str(batch)),
            *("--n_ubatch", str(batch), "--n_ctx", "2048", "--verbose", "False"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    print("server configuration skipped: the server did not start", file=sys.stderr)
    return None


def _server_complete(port: int, prompt: str) -> str:
    body = {
        "prompt": prompt,
        "max_tokens": MAX_TOKENS,
        "temperature": 0.0,
        "top_p": 1.0,
        "top_k": 1,
        "repeat_penalty": 1.0,
        "seed": 0,
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return str(json.load(response)["choices"][0]["text"])


# ------------------------------------------------------------ main


@dataclass
class Run:
    """Everything a run measured; :func:`report` turns it into figures under a policy."""

    honest: dict[str, Tally] = field(default_factory=dict)
    held_out: dict[str, Tally] = field(default_factory=dict)
    """Honest answers to ``HELD_OUT`` (prompts not used to choose the policy), per configuration."""
    changed: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    cheats: dict[str, Tally] = field(default_factory=dict)
    honest_gaps: list[float] = field(default_factory=list)
    gen_seconds: list[float] = field(default_factory=list)
    verify_seconds: list[float] = field(default_factory=list)
    prompts: int = 0
    seconds: float = 0.0
    respond_gas: list[int] = field(default_factory=list)
    """Gas of each ``respondWithCommitment`` the ``--protocol`` run posted."""


def main(argv: list[str]) -> int:
    """Measure and write the figures.

    ``--quick`` smoke-tests every path on a few prompts and writes nothing. ``--only PARTS``
    measures only some parts (comma-separated: ``honest``, ``server``, ``native`` for the
    second build, and cheat names such as ``edited_prompt``) and ``--configs 2x512,2x8``
    only some in-process configurations; a partial run writes its figures under the key's
    ``"partial"`` entry and keeps the rest. ``--save PATH`` pickles the judged scores;
    ``--rejudge PATH`` judges saved scores again under the registry's current policy (no
    model needed; ``--rejudge A,B``: honest answers and timing from ``A``, cheats from ``B``
    replace ``A``'s, and so do the native build's answers when ``B`` measured ``native``;
    a ``--protocol`` ``B``'s honest configurations join ``A``'s).
    """
    args = _options(argv)
    if "provide" in args:
        tuning, held = (int(x) for x in args["counts"].split(","))
        provide(Path(args["provide"]), tuning, held)
        return 0
    policy = default_registry().get(DEFAULT_MODEL_ID).verification
    assert policy is not None
    if "rejudge" in args:
        saved = []
        for path in args["rejudge"].split(","):
            with open(path, "rb") as f:
                saved.append(pickle.load(f))
        run, parts, configs = saved[0]
        for later, later_parts, later_configs in saved[1:]:  # later runs replace the first's
            run.cheats.update(later.cheats)
            if getattr(later, "respond_gas", None):  # --protocol runs: their honest answers join
                for name, tally in later.honest.items():
                    run.honest.setdefault(name, tally)
                    run.held_out.setdefault(name, later.held_out.get(name, Tally()))
                    run.changed.setdefault(name, later.changed.get(name, 0))
                run.respond_gas = [*getattr(run, "respond_gas", []), *later.respond_gas]
                configs = tuple(dict.fromkeys((*configs, *later_configs)))
            if later_parts and "native" in later_parts:  # a second build's answers join
                run.honest[NATIVE] = later.honest[NATIVE]
                run.held_out[NATIVE] = later.held_out[NATIVE]
                run.changed[NATIVE] = later.changed[NATIVE]
                run.notes = [n for n in run.notes if "native" not in n] + later.notes
            parts = (parts or set()) | (later_parts or set())
    else:
        parts = set(args["only"].split(",")) if "only" in args else None
        configs = CONFIGS
        if "configs" in args:
            configs = tuple(tuple(int(x) for x in c.split("x")) for c in args["configs"].split(","))
        run = measure("quick" in args, parts, configs, "protocol" in args)  # type: ignore[arg-type]
        if "save" in args:
            with open(args["save"], "wb") as f:
                pickle.dump((run, parts, configs), f)
    figures = report(run, policy)
    print(json.dumps(figures, indent=2))
    if "quick" in args:
        return 0
    current = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    if run.respond_gas:  # the committee path: its own key, the scoring figures kept
        figures["only"] = sorted(parts) if parts else "all"
        figures["configs"] = [f"threads{t}_batch{b}" for t, b in configs]
        current.setdefault("verification", {})["in_protocol"] = in_protocol(figures, run)
    elif parts is None and configs == CONFIGS:
        current["verification"] = figures
    else:
        figures["only"] = sorted(parts) if parts else "all"
        figures["configs"] = [f"threads{t}_batch{b}" for t, b in configs]
        current.setdefault("verification", {})["partial"] = figures
    OUT.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    return 0


def _options(argv: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    it = iter(argv)
    for arg in it:
        if arg == "--quick":
            out["quick"] = "1"
        elif arg == "--protocol":
            out["protocol"] = "1"
        elif arg in ("--only", "--configs", "--save", "--rejudge"):
            out[arg[2:]] = next(it)
        elif arg == "--provide":  # internal: the native build's subprocess
            out["provide"], out["counts"] = next(it), next(it)
        else:
            raise SystemExit(f"unknown argument {arg!r}")
    return out


def measure(
    quick: bool,
    parts: set[str] | None,
    configs: tuple[tuple[int, int], ...],
    protocol: bool = False,
) -> Run:
    """Generate and score every answer the figures need (``protocol``: each also through the
    committee path on the real contracts, see :class:`Protocol`)."""
    started = time.perf_counter()
    global CHEAT_PROMPTS, EDIT_PROMPTS
    if quick:
        CHEAT_PROMPTS, configs, EDIT_PROMPTS = 3, configs[:2], 3
    want = (lambda part: True) if parts is None else (lambda part: part in parts)
    settings = Settings()
    spec = default_registry().get(DEFAULT_MODEL_ID)
    weights = resolve_weights(spec, settings)
    verifier_model = GGUFModel(spec, weights)
    verifier = Verifier(verifier_model)
    if protocol:
        verifier.protocol = Protocol()
    prompts = list(PROMPTS[:4] if quick else PROMPTS)
    run = Run(prompts=len(prompts))
    held = list(HELD_OUT[:2] if quick else HELD_OUT) if want("honest") or want("native") else []
    reference = _generate(verifier_model, prompts) if configs[0] != CONFIGS[0] else []
    for threads, batch in configs if want("honest") else configs[:1]:
        name = f"threads{threads}_batch{batch}"
        model = verifier_model if (threads, batch) == CONFIGS[0] else None
        model = model or GGUFModel(spec, weights, threads=threads, batch=batch)
        texts = []
        for n, prompt in enumerate(prompts + held):
            t0 = time.perf_counter()
            text = model.complete(prompt, PARAMS).text
            run.gen_seconds.append(time.perf_counter() - t0)
            commit = protocol or n < CHEAT_PROMPTS or n >= len(prompts)
            commitment = _commit(model, prompt, text) if commit else None
            _judge_honest(run, verifier, name, n >= len(prompts), prompt, text, commitment)
            texts.append(text)
        texts = texts[: len(prompts)]
        if not reference:
            reference = texts
        run.changed[name] = sum(a != b for a, b in zip(texts, reference, strict=True))
        print(f"{name}: {len(texts)} + {len(held)} answers (differing: {run.changed[name]})")
    if want("native"):
        _native(run, verifier, prompts, held, reference)
    with TemporaryDirectory() as tmp:
        port = 18_000 + random.Random(SEED).randrange(1000)
        proc = _serve(weights, port) if want("server") else None
        if proc is not None:
            try:
                name = f"llama_cpp_server_threads{SERVER[0]}_batch{SERVER[1]}"
                texts = []
                for n, prompt in enumerate(prompts + held):
                    text = _server_complete(port, prompt)
                    texts.append(text)
                    _judge_honest(run, verifier, name, n >= len(prompts), prompt, text, None)
                texts = texts[: len(prompts)]
                run.changed[name] = sum(a != b for a, b in zip(texts, reference, strict=True))
                print(f"{name}: {len(texts)} answers (texts differing: {run.changed[name]})")
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        run.cheats = _cheats(Path(tmp), spec, weights, verifier, reference, want)
    if verifier.protocol is not None:
        run.respond_gas = verifier.protocol.respond_gas
        verifier.protocol.close()
    run.honest_gaps = verifier.honest_gaps
    run.verify_seconds = verifier.seconds
    run.seconds = time.perf_counter() - started
    return run


def _judge_honest(
    run: Run,
    verifier: Verifier,
    name: str,
    held_out: bool,
    prompt: str,
    text: str,
    commitment: bytes | None,
) -> None:
    judged = verifier.judge(prompt, text, commitment)
    (run.held_out if held_out else run.honest).setdefault(name, Tally()).add(judged)
    if not held_out:
        verifier.note_honest(judged.scores)


def _native(
    run: Run, verifier: Verifier, prompts: list[str], held: list[str], reference: list[str]
) -> None:
    """Honest answers from the second llama.cpp build (``NATIVE_DIR``), in a subprocess."""
    if not (NATIVE_DIR / "llama_cpp" / "__init__.py").is_file():
        note = f"native build configuration skipped: no llama_cpp under {NATIVE_DIR}"
        print(note, file=sys.stderr)
        run.notes.append(note)
        return
    with TemporaryDirectory() as tmp:
        out = Path(tmp) / "native.json"
        path = os.pathsep.join([str(NATIVE_DIR), os.environ.get("PYTHONPATH", "")])
        env = {**os.environ, "PYTHONPATH": path}
        counts = f"{len(prompts)},{len(held)}"
        command = [sys.executable, __file__, "--provide", str(out), counts]
        subprocess.run(command, env=env, check=True)
        got = json.loads(out.read_text(encoding="utf-8"))
    run.notes.append(f"native build: {got['library']} ({got['system_info']})")
    print(run.notes[-1])
    texts = []
    for n, (prompt, item) in enumerate(zip(prompts + held, got["answers"], strict=True)):
        commitment = bytes.fromhex(item["commitment"]) if item["commitment"] else None
        _judge_honest(run, verifier, NATIVE, n >= len(prompts), prompt, item["text"], commitment)
        texts.append(item["text"])
        run.gen_seconds.append(item["seconds"])
    texts = texts[: len(prompts)]
    run.changed[NATIVE] = sum(a != b for a, b in zip(texts, reference, strict=True))
    print(f"{NATIVE}: {len(texts)} + {len(held)} answers (differing: {run.changed[NATIVE]})")


def provide(out: Path, tuning: int, held: int) -> None:
    """The native build's side (run by :func:`_native` with ``NATIVE_DIR`` first on the
    path): answer the first ``tuning`` of ``PROMPTS`` and ``held`` of ``HELD_OUT`` as an
    honest provider with the pinned configuration; write texts and commitments as JSON."""
    import llama_cpp

    library = str(Path(llama_cpp.__file__).parent)
    if not library.startswith(str(NATIVE_DIR)):
        raise SystemExit(f"--provide loaded llama_cpp from {library}, not {NATIVE_DIR}")
    spec = default_registry().get(DEFAULT_MODEL_ID)
    model = GGUFModel(spec, resolve_weights(spec, Settings()))
    prompts = [*PROMPTS[:tuning], *HELD_OUT[:held]]
    answers = []
    for n, prompt in enumerate(prompts):
        t0 = time.perf_counter()
        text = model.complete(prompt, PARAMS).text
        seconds = time.perf_counter() - t0
        commit = n < CHEAT_PROMPTS or n >= tuning
        commitment = _commit(model, prompt, text).hex() if commit else ""
        answers.append({"text": text, "commitment": commitment, "seconds": seconds})
    info = llama_cpp.llama_print_system_info().decode().strip()
    body = {"library": library, "system_info": info, "answers": answers}
    out.write_text(json.dumps(body), encoding="utf-8")


def report(run: Run, policy: VerificationPolicy) -> dict[str, Any]:
    """The figures of ``run`` with every answer judged under ``policy``."""
    honest = {k: v.figures(policy) for k, v in run.honest.items()}
    held_out = getattr(run, "held_out", {})
    tuning = Tally()
    for t in run.honest.values():
        tuning.judged += t.judged
    unseen = Tally()
    for t in held_out.values():
        unseen.judged += t.judged
    total = Tally(judged=tuning.judged + unseen.judged)
    all_honest = total.figures(policy)
    seen = tuning.figures(policy)
    heldf = unseen.figures(policy)
    per_config = {
        k: {
            "answers": v.answers + held_out.get(k, Tally()).answers,
            "rejected": honest[k]["rejected_with_commitment"]
            + held_out.get(k, Tally()).figures(policy)["rejected_with_commitment"],
        }
        for k, v in run.honest.items()
    }
    gaps = sorted(run.honest_gaps)
    verify_s = sorted(run.verify_seconds)
    gen_mean = sum(run.gen_seconds) / len(run.gen_seconds)
    verify_mean = sum(verify_s) / len(verify_s)
    cheats = {k: v.figures(policy) for k, v in run.cheats.items()}
    return {
        "policy": {k: getattr(policy, k) for k in POLICY_FIELDS},
        "max_tokens": MAX_TOKENS,
        "prompts": run.prompts,
        "honest": honest,
        "honest_texts_differing_from_verifier": run.changed,
        "notes": getattr(run, "notes", []),
        "false_slash_per_configuration": per_config,
        "held_out": {
            "prompts": len(HELD_OUT),
            "per_configuration": {k: v.figures(policy) for k, v in held_out.items()},
            "answers": heldf["answers"],
            "rejected_with_commitment": heldf["rejected_with_commitment"],
            "off_argmax_max": heldf.get("off_argmax", {}).get("max"),
            "regret_milli_max": heldf.get("regret_milli", {}).get("max"),
            "max_logit_gap": heldf.get("max_logit_gap"),
        },
        "budget_rule": _budget_rule(seen, policy),
        "false_slash": {
            "answers": all_honest["answers"],
            "scoring": all_honest["rejected"],
            "scoring_and_commitment": all_honest["rejected_with_commitment"],
            "rate": all_honest["rate"],
            "answers_with_commitment": len(total.drifts),
            "at_epsilon_milli": all_honest["rejected_at_epsilon_milli"],
            "at_window_off_argmax_regret_milli": all_honest[
                "rejected_at_window_off_argmax_regret_milli"
            ],
        },
        "honest_tokens": len(gaps),
        "honest_logit_gap": {
            "max": round(gaps[-1], 4),
            "p999": round(gaps[int(0.999 * (len(gaps) - 1))], 4),
            "above_0.1": sum(g > 0.1 for g in gaps),
            "above_0.25": sum(g > 0.25 for g in gaps),
        },
        "honest_off_argmax": all_honest["off_argmax"],
        "honest_regret_milli": all_honest["regret_milli"],
        "cheat_off_argmax_min": {
            k: v["off_argmax"]["min"] for k, v in cheats.items() if v["answers"]
        },
        "cheat_regret_milli_min": {
            k: v["regret_milli"]["min"] for k, v in cheats.items() if v["answers"]
        },
        "honest_commitment_drift_milli_max": max(total.drifts, default=0),
        "cheats": cheats,
        "seconds": {
            "generation_mean": round(gen_mean, 4),
            "verification_mean": round(verify_mean, 4),
            "verification_p95": round(verify_s[int(0.95 * (len(verify_s) - 1))], 4),
            "verification_over_generation": round(verify_mean / gen_mean, 4),
            "run": round(run.seconds, 1),
        },
    }


def in_protocol(figures: dict[str, Any], run: Run) -> dict[str, Any]:
    """The ``--protocol`` figures: per kind of answer, how many the committee path rejected
    (with the cheater's own commitment, and with one recomputed over the asked prompt), the
    honest answers it rejected, the gas of ``respondWithCommitment``, and the timing."""
    kinds = {}
    for name, f in figures["cheats"].items():
        got = f.get("in_protocol")
        if got:
            kinds[name] = {
                "answers": got["answers"],
                "rejected": got["rejected"],
                "rate": got["rate"],
                "rejected_recommitted": got["rejected_recommitted"],
                "rate_recommitted": round(got["rejected_recommitted"] / got["answers"], 4),
                "failures": got["failures"],
                "same_as_honest": f.get("same_as_honest", 0),
                "scoring_alone_rejected": f["rejected"],
            }
    honest = {}
    for group in ("honest", "held_out"):
        source = figures[group] if group == "honest" else figures[group]["per_configuration"]
        for name, f in source.items():
            got = f.get("in_protocol")
            if got:
                honest[f"{group}_{name}"] = {
                    "answers": got["answers"],
                    "rejected": got["rejected"],
                    "failures": got["failures"],
                }
    gas = sorted(run.respond_gas)
    return {
        "cheats": kinds,
        "honest": honest,
        "honest_answers": sum(h["answers"] for h in honest.values()),
        "honest_rejected": sum(h["rejected"] for h in honest.values()),
        "respond_with_commitment_gas": {
            "answers": len(gas),
            "min": gas[0],
            "median": gas[len(gas) // 2],
            "max": gas[-1],
        },
        "seconds": figures["seconds"],
        "policy": figures["policy"],
        "only": figures["only"],
        "configs": figures["configs"],
    }


POLICY_FIELDS = tuple(f.name for f in fields(VerificationPolicy))


def _budget_rule(tuning: dict[str, Any], policy: VerificationPolicy) -> dict[str, Any]:
    """The sequence bound the stated rule gives from the tuning prompts' honest answers,
    beside the registered one (``BUDGET_FACTOR`` × the honest maximum, rounded up)."""
    if not tuning["answers"]:
        return {}
    off = BUDGET_FACTOR * tuning["off_argmax"]["max"]
    regret = math.ceil(BUDGET_FACTOR * tuning["regret_milli"]["max"] / 100) * 100
    return {
        "factor": BUDGET_FACTOR,
        "tuning_answers": tuning["answers"],
        "tuning_off_argmax_max": tuning["off_argmax"]["max"],
        "tuning_regret_milli_max": tuning["regret_milli"]["max"],
        "rule_window_off_argmax": off,
        "rule_window_regret_milli": regret,
        "registered_window_off_argmax": policy.window_off_argmax,
        "registered_window_regret_milli": policy.window_regret_milli,
    }


def _cheats(
    tmp: Path,
    spec: Any,
    weights: Path,
    verifier: Verifier,
    reference: list[str],
    want: Callable[[str], bool],
) -> dict[str, Tally]:
    rng = random.Random(SEED)
    prompts = list(PROMPTS[:CHEAT_PROMPTS])
    honest = reference[:CHEAT_PROMPTS]
    out: dict[str, Tally] = {}
    variants: list[tuple[str, Path]] = []
    if want("another_model_layers_swapped"):
        swapped = tmp / "swapped.gguf"
        n = _swap_layers(weights, swapped, SWAPPED_LAYERS)
        print(f"another model: {n} tensors swapped between layers {SWAPPED_LAYERS}")
        variants.append(("another_model_layers_swapped", swapped))
    for label, ftype in (("quantisation_swap_q4_0", 2), ("quantisation_swap_q8_0", 7)):
        if want(label):
            path = tmp / f"{label}.gguf"
            _requantise(weights, path, ftype)
            variants.append((label, path))
    for label, path in variants:
        model = GGUFModel(spec, path)
        out[label] = _judge_all(
            verifier,
            prompts,
            [(model.complete(p, PARAMS).text, p) for p in prompts],
            honest,
            lambda p, text, m=model: _commit(m, p, text),
        )
        print(f"{label}: {out[label].answers} answers")
        del model
    model = verifier.model
    vocab = model.vocab_size
    pairs = list(zip(prompts, honest, strict=True))[:EDIT_PROMPTS]
    edits = [(p, t, model.score(p, t, verifier.policy.commit_k)) for p, t in pairs]
    for k in range(1, 6):
        for how in ("random", "runner_up"):
            label = f"edited_{k}_tokens_{how}"
            if not want(label):
                continue
            tally = out[label] = Tally()
            for p, text, s in edits:
                ids = model.tokenize(text)
                if len(ids) < k:
                    continue
                for i in rng.sample(range(len(ids)), k):
                    if how == "random":
                        ids[i] = rng.randrange(1000, vocab)
                    else:
                        alt = [c.token for c in s.positions[i].top if c.token != ids[i]]
                        ids[i] = alt[0]
                cheat = model.detokenize(ids)
                if cheat == text:
                    tally.same_as_honest += 1
                    continue
                tally.add(verifier.judge(p, cheat, None))
    if want("truncated"):
        tally = out["truncated"] = Tally()
        for p, text in zip(prompts, honest, strict=True):
            ids = model.tokenize(text)
            if len(ids) < 2:
                continue
            cut = model.detokenize(ids[: rng.randrange(1, len(ids))])
            tally.add(verifier.judge(p, cut, None))
    if want("edited_prompt"):
        cheats = [(model.complete(edited(p), PARAMS).text, p) for p in prompts]
        out["edited_prompt"] = _judge_all(
            verifier,
            prompts,
            cheats,
            honest,
            lambda p, text: _commit(model, edited(p), text),  # commits to the run it did
            lambda p, text: _commit(model, p, text),  # recomputes over the asked prompt
        )
    if want("past_max_tokens"):
        longer = greedy(max_tokens=MAX_TOKENS + 16)
        tally = out["past_max_tokens"] = Tally()
        for p in prompts:
            text = model.complete(p, longer).text
            tally.add(verifier.judge(p, text, None))
    return out


def _judge_all(
    verifier: Verifier,
    prompts: list[str],
    cheats: list[tuple[str, str]],
    honest: list[str],
    commit: Callable[[str, str], bytes] | None,
    recommit: Callable[[str, str], bytes] | None = None,
) -> Tally:
    tally = Tally()
    for p, (text, _), truth in zip(prompts, cheats, honest, strict=True):
        commitment = commit(p, text) if commit is not None else None
        if text == truth:
            tally.same_as_honest += 1
            if commitment is not None:
                committed = verifier.judge(p, text, commitment).commitment_valid
                tally.same_caught_by_commitment += committed is False
            continue
        judged = verifier.judge(p, text, commitment, recommit=True)
        if recommit is not None:
            again = check_commitment(recommit(p, text), judged.scores, verifier.policy)
            judged = replace(judged, recommitted_valid=again.valid)
        tally.add(judged)
    return tally


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
