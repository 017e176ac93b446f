"""Claims of the test provider: every claim of the user's profile, in the ID token and at userinfo (a profile
may even set `sub`, as providers that use the resident ID as the user's identifier do)."""

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider.models import Profile


class ProfileClaimsValidator(OAuth2Validator):
    oidc_claim_scope = None  # every claim, whatever the scope

    def get_additional_claims(self, request):
        profile = Profile.objects.filter(user=request.user).first()
        return dict(profile.claims) if profile else {}
