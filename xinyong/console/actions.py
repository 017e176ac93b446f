"""The reviewer's two steps the console handles itself (issue 16): review a list proposal
(审核：通过即发出告知书，不通过须说明理由; lists.services.list_entry_review) and accept or refuse an
objection (受理 / 不予受理; remedies.services). A page shows the case and one form; the POST calls the
same service the API calls, with the request's actor (the service authorises: four eyes, deciding unit,
reviewer only), writes its audit event, and returns to the workbench with a message — or shows the
service's refusal in Chinese on the form.

A case the officer has nothing to do on (not in its queue: done already, another unit's, its own proposal)
answers 404 on GET; a POST is still put to the service, which refuses it with its own reason.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from xinyong.console.access import officer_view
from xinyong.console.forms import ObjectionAcceptForm, ProposalReviewForm, errors_onto
from xinyong.console.views import console_render
from xinyong.console.workbench.due import due_of
from xinyong.console.workbench.queues import subject_label
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.lists import services as lists
from xinyong.lists.selectors import list_entries_awaiting
from xinyong.remedies import services as remedies
from xinyong.remedies.selectors import objections_awaiting


def _decide(request, actor, form, template: str, context: dict, call: Callable[[dict], str]) -> HttpResponse:
    """POST: validate, call the service, back to the workbench with its message; or the form with errors."""
    if form.is_valid():
        try:
            done = call(form.cleaned_data)
        except DomainError as error:
            errors_onto(form, error)
            return console_render(request, actor, template, {**context, "form": form}, status=error.status)
        messages.success(request, done)
        return HttpResponseRedirect(reverse("console:home"))
    return console_render(request, actor, template, {**context, "form": form}, status=400)


def _missing(request: HttpRequest, actor: Actor, what: str) -> HttpResponse:
    context = {"what": what}
    return console_render(request, actor, "console/item_missing.html", context, status=404)


@officer_view
def proposal_review(request: HttpRequest, actor: Actor, entry_id: int) -> HttpResponse:
    at = now()
    entry = next(
        (
            e
            for e, step in list_entries_awaiting(actor=actor, now=at)
            if e.pk == entry_id and step == "review"
        ),
        None,
    )
    context = {"entry": entry, "entry_id": entry_id, "subject": subject_label(entry.subject) if entry else ""}
    if request.method != "POST":
        if entry is None:
            return _missing(request, actor, f"名单条目 {entry_id} 的审核")
        return console_render(
            request, actor, "console/proposal_review.html", {**context, "form": ProposalReviewForm()}
        )

    def call(data: dict) -> str:
        approve = data["decision"] == "approve"
        lists.list_entry_review(
            actor=actor, entry_id=entry_id, approve=approve, reason=data["reason"], now=at
        )
        return f"名单条目 {entry_id} 已审核{'通过，告知书已发出' if approve else '不通过'}"

    form = ProposalReviewForm(request.POST)
    return _decide(request, actor, form, "console/proposal_review.html", context, call)


@officer_view
def objection_accept(request: HttpRequest, actor: Actor, objection_id: int) -> HttpResponse:
    at = now()
    found = next(
        (
            (o, due)
            for o, step, due in objections_awaiting(actor=actor)
            if o.pk == objection_id and step == "accept"
        ),
        None,
    )
    objection, deadline = found if found else (None, None)
    context = {
        "objection": objection,
        "objection_id": objection_id,
        "subject": subject_label(objection.subject) if objection else "",
        "due": due_of(deadline, now=at),
    }
    if request.method != "POST":
        if objection is None:
            return _missing(request, actor, f"异议 {objection_id} 的受理")
        return console_render(
            request, actor, "console/objection_accept.html", {**context, "form": ObjectionAcceptForm()}
        )

    def call(data: dict) -> str:
        if data["decision"] == "accept":
            remedies.objection_accept(actor=actor, objection_id=objection_id, reason=data["reason"], now=at)
            return f"异议 {objection_id} 已受理，已转提供单位核实"
        remedies.objection_refuse(actor=actor, objection_id=objection_id, reason=data["reason"], now=at)
        return f"异议 {objection_id} 不予受理，理由已作为书面答复"

    form = ObjectionAcceptForm(request.POST)
    return _decide(request, actor, form, "console/objection_accept.html", context, call)
