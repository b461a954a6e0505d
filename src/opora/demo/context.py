"""The state a demo generation carries from step to step."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ProgressCallback = Callable[[str, int, int], None]
"""Called as `progress(label, done, total)` after every step of a generation."""


@dataclass
class DemoContext:
    """Seed, random sources and every object a generation has created so far.

    Steps read what earlier steps created (`municipalities`, `schools`, ...) and add their own.
    `profiles` maps a school code to the latent traits (`SchoolProfile`) the card and the yearly
    snapshots were drawn from, so later steps (results, programs) can stay consistent with them.
    `extra` is free room for later steps that need to pass something along.
    """

    seed: int
    schools_target: int
    municipalities_target: int
    years: tuple[int, ...]
    rng: random.Random
    region: Any = None
    municipalities: list[Any] = field(default_factory=list)
    settlements: list[Any] = field(default_factory=list)
    schools: list[Any] = field(default_factory=list)
    snapshots: list[Any] = field(default_factory=list)
    users: dict[str, Any] = field(default_factory=dict)
    profiles: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def rng_for(self, name: str) -> random.Random:
        """Return a random source of its own for the step `name`, derived from the seed.

        A step that draws from its own source keeps its output when other steps are added,
        removed or changed before it.
        """
        return random.Random(f"opora-demo:{self.seed}:{name}")


def demo_step(
    label: str,
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    """Mark a function as a generation step with a Russian `label` for the progress bar."""

    def decorate(function: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        function.label = label  # type: ignore[attr-defined]
        return function

    return decorate


def step_label(step: Callable[[DemoContext], None]) -> str:
    """The Russian label of a step (its function name when it has none)."""
    return str(getattr(step, "label", step.__name__))
