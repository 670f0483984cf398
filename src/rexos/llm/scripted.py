"""``ScriptedModel``: a deterministic fake model for tests.

Answers come from a dict (prompt → text), a callable, or a default; every
call is recorded; it can be told to fail. Output is cut to ``max_tokens``
whitespace-separated "tokens" and at the first stop string, like a real model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rexos.errors import ModelError
from rexos.llm.model import ChatMessage, Completion, FinishReason, render_chat_prompt
from rexos.llm.params import DecodingParams

__all__ = ["ScriptedCall", "ScriptedModel"]

Script = Mapping[str, str] | Callable[[str, DecodingParams], str]


@dataclass(frozen=True, slots=True)
class ScriptedCall:
    """One recorded call: the method, the rendered prompt and the parameters."""

    method: str
    prompt: str
    params: DecodingParams


class ScriptedModel:
    """A :class:`~rexos.llm.model.Model` whose answers are written in advance.

    ``script`` maps an exact prompt (for ``chat``: the rendered transcript,
    see :func:`~rexos.llm.model.render_chat_prompt`) to its answer, or is a
    function of prompt and params. Prompts it does not know get ``default``.
    Set :attr:`fail_with` to an error to make every following call raise it.
    """

    def __init__(
        self,
        script: Script | None = None,
        *,
        default: str = "",
        model_id: str = "scripted",
        fail_with: ModelError | None = None,
    ) -> None:
        self._script: Script = script if script is not None else {}
        self._default = default
        self._model_id = model_id
        self.fail_with = fail_with
        self.calls: list[ScriptedCall] = []

    @property
    def model_id(self) -> str:
        """The id given at construction (``"scripted"`` by default)."""
        return self._model_id

    @property
    def weights_hash(self) -> str:
        """A stable stand-in: sha256 of ``"scripted:<model_id>"``."""
        return hashlib.sha256(f"scripted:{self._model_id}".encode()).hexdigest()

    def complete(self, prompt: str, params: DecodingParams) -> Completion:
        """Return the scripted answer for ``prompt``."""
        return self._answer("complete", prompt, params)

    def chat(self, messages: Sequence[ChatMessage], params: DecodingParams) -> Completion:
        """Return the scripted answer for the rendered transcript of ``messages``."""
        return self._answer("chat", render_chat_prompt(messages), params)

    def _answer(self, method: str, prompt: str, params: DecodingParams) -> Completion:
        self.calls.append(ScriptedCall(method, prompt, params))
        if self.fail_with is not None:
            raise self.fail_with
        if callable(self._script):
            text = self._script(prompt, params)
        else:
            text = self._script.get(prompt, self._default)
        return _truncate(text, prompt, params)


def _truncate(text: str, prompt: str, params: DecodingParams) -> Completion:
    finish: FinishReason = "stop"
    cut = min((i for i in (text.find(s) for s in params.stop) if i >= 0), default=-1)
    if cut >= 0:
        text = text[:cut]
    words = text.split(" ")
    if len(words) > params.max_tokens:
        text = " ".join(words[: params.max_tokens])
        finish = "length"
    return Completion(
        text=text,
        finish_reason=finish,
        prompt_tokens=len(prompt.split()),
        completion_tokens=len(text.split()),
    )
