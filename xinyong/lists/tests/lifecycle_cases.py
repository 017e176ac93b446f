"""What the lifecycle tests share: a second company's code, a refusal's check, the subject's own actor."""

import datetime as dt

import pytest

from tests.support.lists import PROPOSED_AT, REVIEWER, bj
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.models import User
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.subjects.identifiers import uscc_make

UTC = dt.UTC
OTHER_COMPANY = uscc_make("9111010500054321")
LATER = bj(2026, 12, 1, 9)


def _refused(call, code: str, status: int) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.code, caught.value.status) == (code, status), caught.value
    return caught.value


def _subject_actor(subject, username="huaxin") -> Actor:
    """The subject's own account (a verified SubjectAccount), as the API would build its actor."""
    user = User.objects.create_user(username=username, password="x-strong-password-1")
    subject_account_link(actor=REVIEWER, user=user, subject_id=subject.pk, now=PROPOSED_AT)
    return Actor(label=f"user:{user.pk}", roles=frozenset({"subject"}), user_id=user.pk)
