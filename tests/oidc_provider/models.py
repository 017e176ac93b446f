"""The claims a provider user asserts beside `sub` (no migrations: `migrate --run-syncdb` makes the table)."""

from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    claims = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"claims of {self.user}"
