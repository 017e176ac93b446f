"""Users and a confidential client of the test provider:

    python -m django provider_setup --user NAME PASSWORD '{"name": "…", "uscc": "…", "uscc_verified": true}' \
        --client-id ID --client-secret SECRET --redirect-uri URI [--redirect-uri URI …]

Users and clients are created or updated (authorization code, skip_authorization, RS256)."""

import json

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction
from oauth2_provider.models import Application

from tests.oidc_provider.models import Profile


class Command(BaseCommand):
    help = "Create or update users (with their claims) and a confidential OIDC client"

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", nargs=3, action="append", default=[], metavar=("NAME", "PASSWORD", "CLAIMS")
        )
        parser.add_argument("--client-id")
        parser.add_argument("--client-secret")
        parser.add_argument("--redirect-uri", action="append", default=[])

    @transaction.atomic
    def handle(self, *args, user, client_id, client_secret, redirect_uri, **options):
        for username, password, claims in user:
            account, _ = User.objects.get_or_create(username=username)
            account.set_password(password)
            account.save()
            Profile.objects.update_or_create(user=account, defaults={"claims": json.loads(claims)})
        if client_id:
            Application.objects.update_or_create(
                client_id=client_id,
                defaults={
                    "name": client_id,
                    "client_secret": client_secret,
                    "client_type": Application.CLIENT_CONFIDENTIAL,
                    "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                    "redirect_uris": " ".join(redirect_uri),
                    "skip_authorization": True,
                    "algorithm": Application.RS256_ALGORITHM,
                },
            )
