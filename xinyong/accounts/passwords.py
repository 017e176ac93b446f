"""Password policy (issue 14): at least 12 characters from at least three of four classes — capital letters,
small letters, digits, other symbols (a CJK character counts as a symbol) — with messages in Chinese.
Django's common-password, all-numeric and similarity validators run beside it (settings
AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
)


def _classes_of(password: str) -> set[str]:
    found = set()
    for char in password:
        name = next((label for label, test in CLASSES if char.isascii() and test(char)), "符号")
        found.add(name)
    return found


class LengthAndClassesValidator:
    """≥ `min_length` characters and ≥ `min_classes` of the four classes (module docstring)."""

    def __init__(self, min_length: int = 12, min_classes: int = 3) -> None:
        self.min_length, self.min_classes = min_length, min_classes

    def validate(self, password: str, user=None) -> None:
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    "密码太短：至少 %(min_length)d 个字符，现有 %(length)d 个。",
                    code="password_too_short",
                    params={"min_length": self.min_length, "length": len(password)},
                )
            )
        if len(_classes_of(password)) < self.min_classes:
            errors.append(
                ValidationError(
                    "密码须包含大写字母、小写字母、数字、符号四类中的至少 %(min_classes)d 类。",
                    code="password_too_simple",
                    params={"min_classes": self.min_classes},
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        return (
            f"至少 {self.min_length} 个字符，包含大写字母、小写字母、数字、符号四类中的至少 "
            f"{self.min_classes} 类；不能是常见密码，不能全是数字，不能与用户名或姓名相似。"
        )
