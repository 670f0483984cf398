"""How an answer to a question with a known answer is graded (``benchmarks/lense_qa.py``).

A case says which wallet's facts it asks about, whether they hold the answer (``known``),
the one fact whose value is the headline answer (``value``) and the facts any correct answer
must also cite (``cites``). An answer is correct when it knows exactly when the case does;
when known, its value is that fact's value and every expected fact is cited and shown as a
person reads it; when not known, it says "I don't know" and states no value. Apart from
correctness, every number in the text must be the rendering of a fact the answer cites: a
number that is not is *invented*, whether or not the answer is otherwise right.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rexos.lense.facts import FactSet
from rexos.lense.qa import Answer

__all__ = ["NUMBER", "Grade", "grade", "invented_numbers"]

NUMBER = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?")
"""A number as text shows it: digits with thousands commas and a decimal part."""


@dataclass(frozen=True, slots=True)
class Grade:
    correct: bool
    invented: tuple[str, ...]
    why: str
    """What was wrong (empty when correct)."""


def invented_numbers(answer: Answer, facts: FactSet) -> tuple[str, ...]:
    """The numbers in ``answer.text`` that no cited fact's rendering contains."""
    allowed = {n for i in answer.cited if i in facts for n in NUMBER.findall(facts.render(i))}
    return tuple(n for n in NUMBER.findall(answer.text) if n not in allowed)


def grade(case: Mapping[str, Any], answer: Answer, facts: FactSet) -> Grade:
    """Grade ``answer`` to ``case`` (see the module docstring)."""
    invented = invented_numbers(answer, facts)
    if answer.known is not bool(case["known"]):
        return Grade(False, invented, f"known={answer.known}, expected {case['known']}")
    if not case["known"]:
        ok = answer.text.startswith("I don't know") and answer.value is None
        return Grade(ok, invented, "" if ok else "did not say it does not know")
    if answer.value != facts.value(case["value"]):
        return Grade(False, invented, f"value {answer.value!r}, expected {case['value']}")
    for fact_id in [case["value"], *case.get("cites", [])]:
        if fact_id not in answer.cited:
            return Grade(False, invented, f"{fact_id} not cited")
        if facts.render(fact_id) not in answer.text:
            return Grade(False, invented, f"{fact_id} not shown")
    return Grade(True, invented, "")
