"""The timed unit of the question-engine benchmarks: every template of a bank, every seed, by phase.

It uses only the engine's public calls (``make_variant``, ``solve``, ``prompt``, ``solution``), so
`benchmarks.questions_against` can load this file by its path into a worker that imports
studykit from another revision's tree.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from studykit.questions.variant import make_variant, solve

PHASES = ("draw", "prompt", "key", "solution")


def phase_seconds(templates: Sequence[Any], seeds: range) -> dict[str, float]:
    """Seconds per variant in each phase of generating, keying and rendering it (one round).

    The phases: drawing the parameters, rendering the prompt, computing the key (with its
    intermediate values) and rendering the worked solution. Their sum is the time one variant
    costs; every template runs for every seed. A prompt with computed options
    (``choices: auto``) needs the key, so those variants pay for it there.
    """
    clock = time.perf_counter
    totals = dict.fromkeys(PHASES, 0.0)
    count = 0
    for seed in seeds:
        for template in templates:
            start = clock()
            variant = make_variant(template, seed)
            drawn = clock()
            variant.prompt()
            prompted = clock()
            solved = solve(variant)
            keyed = clock()
            solved.solution()
            done = clock()
            totals["draw"] += drawn - start
            totals["prompt"] += prompted - drawn
            totals["key"] += keyed - prompted
            totals["solution"] += done - keyed
            count += 1
    return {phase: seconds / count for phase, seconds in totals.items()}
