"""Who is signed in on a self-service page and for which subject (package docstring)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_noop

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.acting import agencies_of, agency_of, agency_refusal, scope_labels
from xinyong.accounts.actors import request_actor
from xinyong.accounts.models import Agency
from xinyong.accounts.policy import agency_actor
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.portal.wording import chinese, error_of, word
from xinyong.subjects.models import Subject
from xinyong.subjects.selectors import subject_find, subject_primary_code

NOT_A_SUBJECT = gettext_noop("仅限已实名核验的信用主体账户，或正在代为办理的代理人使用")


@dataclass(frozen=True)
class Me:
    """The session's actor; the subject it is or acts for (None when neither); the agency it acts under;
    the refusal when its agency is no longer live."""

    actor: Actor
    subject: Subject | None
    agency: Agency | None = None
    refusal: DomainError | None = None

    @property
    def code(self) -> str:
        """The subject's code as it may be shown: USCC (or registration number), a person's masked ID."""
        return subject_primary_code(self.subject) if self.subject is not None else ""

    def acting(self, operation: str) -> tuple[Actor, int]:
        """The Actor that does `operation` for the subject, and the subject's id; raises the refusal (an
        agency no longer live, an operation outside the power of attorney, no subject at all)."""
        if self.refusal is not None:
            raise self.refusal
        if self.subject is None:
            raise DomainError("me.not_a_subject", NOT_A_SUBJECT, status=403)
        return agency_actor(operation, self.actor), self.subject.pk

    def allowed(self, operation: str) -> bool:
        try:
            self.acting(operation)
        except DomainError:
            return False
        return True


def me_of(request: HttpRequest) -> Me:
    """The signed-in user as a subject account or as an agent acting for one (package docstring)."""
    actor = request_actor(request)
    if actor.agency_id is None:
        subject_id = subject_id_of(actor=actor)
        return Me(actor, subject_find(subject_id=subject_id) if subject_id else None)
    user_id = actor.user_id or 0
    if actor.acting_for is None:
        return Me(actor, None, refusal=agency_refusal(user_id=user_id, agency_id=actor.agency_id, now=now()))
    agency = agency_of(user_id=user_id, agency_id=actor.agency_id)
    return Me(actor, subject_find(subject_id=actor.acting_for), agency)


def me_context(me: Me, request: HttpRequest) -> dict:
    """What every self-service page shows of who is acting for whom."""
    agency = me.agency
    return {
        "me": me,
        "agency_scope": _scope(agency) if agency else "",
        "is_agent": agency is not None or bool(agencies_of(user_id=request.user.pk or 0)),
    }


def _scope(agency: Agency) -> str:
    """An agency's matters (委托事项), listed as the page's language lists."""
    labels = scope_labels(agency.scope)
    return "、".join(labels) if chinese() else ", ".join(map(word, labels))


def refused(request: HttpRequest, me: Me, exc: DomainError) -> HttpResponse:
    """The refusal page: the reason in the page's language (and its code), with the way on."""
    context = {**me_context(me, request), "message": error_of(exc), "code": exc.code}
    return render(request, "portal/me/refused.html", context, status=exc.status)
