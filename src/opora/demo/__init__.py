"""The deterministic synthetic demo region, shared by `opora demo`, the tests and the benchmarks.

Use `generate_demo(seed, schools=..., municipalities=...)` (defined in `opora.demo.generator`).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opora.demo.context import DemoContext


def generate_demo(seed: int, **options: Any) -> "DemoContext":
    """Build the demo region; see `opora.demo.generator.generate_demo`."""
    from opora.demo.generator import generate_demo as generate

    return generate(seed, **options)
