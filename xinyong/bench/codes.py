"""Code bodies of the generated subjects, shared by the benchmarks' data builders."""

from __future__ import annotations

from xinyong.subjects.samplenames import CODE_BODY


def code_body(value: int) -> str:
    """Eight characters of the USCC alphabet spelling `value` (0 ≤ value < 31**8) in base 31, most
    significant first: increasing values give increasing bodies."""
    chars = []
    for _ in range(8):
        value, digit = divmod(value, 31)
        chars.append(CODE_BODY[digit])
    return "".join(reversed(chars))
