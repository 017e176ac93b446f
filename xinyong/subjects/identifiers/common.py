"""What every identifier validator shares: the error type, normalisation and the shared checks (pure Python,
no Django). See the package docstring for the normalisation rules and the error codes."""

from __future__ import annotations

_DIGITS = "0123456789"
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d")
_INVISIBLE = frozenset("\u200b\u200c\u200d\ufeff")


class IdentifierError(ValueError):
    """An identifier failed validation; ``code`` is stable, ``message`` is Simplified Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[IdentifierError], tuple[str, str]]:
        return (type(self), (self.code, self.message))


# --------------------------------------------------------------------------- normalisation


def _half_width(ch: str) -> str:
    """Map a full-width ASCII character (U+FF01–U+FF5E) to its half-width form."""
    return chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch


def normalize(raw: str) -> str:
    """Return ``raw`` without whitespace, zero-width characters and dashes, half-width, upper-case.

    Only ASCII letters are upper-cased; see the module docstring.
    """
    if not isinstance(raw, str):
        raise TypeError(f"identifier must be str, not {type(raw).__name__}")
    if raw.isascii() and raw.isalnum():  # the common case, on the import's hot path: only case to fix
        return raw.upper()
    chars = (_half_width(ch) for ch in raw)
    kept = (ch for ch in chars if not ch.isspace() and ch not in _DASHES and ch not in _INVISIBLE)
    return "".join(ch.upper() if ch.isascii() else ch for ch in kept)


# --------------------------------------------------------------------------- shared checks


def _check_length(value: str, expected: int, code: str, label: str) -> None:
    """Raise ``code`` unless ``value`` has exactly ``expected`` characters."""
    if len(value) != expected:
        raise IdentifierError(code, f"{label}长度错误：应为 {expected} 位，实为 {len(value)} 位")


def _check_alphabet(value: str, allowed: str, code: str, label: str, rule: str, start: int = 1) -> None:
    """Raise ``code`` naming the first (1-based, offset by ``start``) character not in ``allowed``."""
    for position, ch in enumerate(value, start=start):
        if ch not in allowed:
            raise IdentifierError(code, f"{label}第 {position} 位字符“{ch}”无效：{rule}")


def _check_equal(expected: str, actual: str, code: str, label: str) -> None:
    """Raise ``code`` with "应为 expected，实为 actual" unless they are equal."""
    if expected != actual:
        raise IdentifierError(code, f"{label}：应为 {expected}，实为 {actual}")


def _check_digits(value: str, expected: int, kind: str, label: str) -> None:
    """Check that ``value`` is exactly ``expected`` ASCII digits (codes ``kind.length/.character``)."""
    _check_length(value, expected, f"{kind}.length", label)
    _check_alphabet(value, _DIGITS, f"{kind}.character", label, "只能是数字")
