"""Reads of the lists app: list types, entries (for checks, the API and the back office), notices."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from xinyong.accounts.policy import same_person
from xinyong.accounts.roles import UNIT_OFFICERS, Role
from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound
from xinyong.lists.current import entry_current_q
from xinyong.lists.models import EntryState, ListEntry, ListKind, ListType, Notice


def list_type_list(*, active_only: bool = True) -> QuerySet[ListType]:
    types = ListType.objects.select_related("deciding_unit", "category").order_by("code")
    return types.filter(active=True) if active_only else types


def list_type_get(*, code: str) -> ListType:
    found = ListType.objects.select_related("deciding_unit").filter(code=code).first()
    if found is None:
        raise NotFound("list_type.not_found", f"名单类型 {code} 不存在")
    return found


def list_entries_for_subjects(
    *, subject_ids: Iterable[int], states: Iterable[str] = (EntryState.PUBLISHED,), on: dt.date | None = None
) -> dict[int, list[ListEntry]]:
    """The entries of these subjects in `states`, by subject id (one query, list types joined). With `on`, a
    published entry whose last day on the list is before `on` is left out even if the expiry sweep has not
    run yet (checks pass the business date)."""
    entries = ListEntry.objects.filter(subject_id__in=list(subject_ids), state__in=list(states))
    if on is not None:
        entries = entries.exclude(state=EntryState.PUBLISHED, expires_on__lt=on)
    found: dict[int, list[ListEntry]] = defaultdict(list)
    for entry in entries.select_related("list_type").order_by("subject_id", "list_type__code", "pk"):
        found[entry.subject_id].append(entry)
    return dict(found)


def list_entry_get(*, entry_id: int) -> ListEntry:
    """One entry with its list type, subject, units, basis records, transitions and statements."""
    entry = (
        ListEntry.objects.select_related("list_type__deciding_unit", "subject", "proposing_unit")
        .prefetch_related("basis_records", "transitions", "statements")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound("list_entry.not_found", f"名单条目 {entry_id} 不存在")
    return entry


def list_entry_list(
    *,
    subject_id: int | None = None,
    list_type_code: str | None = None,
    state: str | None = None,
    public_only: bool = False,
    own_subject_id: int | None = None,
) -> QuerySet[ListEntry]:
    """Entries, newest first. `public_only`: published entries of public list types — plus, with
    `own_subject_id`, every entry of that subject (a subject sees its own entries in any state)."""
    entries = ListEntry.objects.select_related("list_type__deciding_unit", "subject", "proposing_unit")
    if public_only:
        visible = Q(state=EntryState.PUBLISHED, list_type__public=True)
        if own_subject_id is not None:
            visible |= Q(subject_id=own_subject_id)
        entries = entries.filter(visible)
    if subject_id is not None:
        entries = entries.filter(subject_id=subject_id)
    if list_type_code:
        entries = entries.filter(list_type__code=list_type_code)
    if state:
        entries = entries.filter(state=state)
    return entries.prefetch_related("basis_records").order_by("-pk")


def list_entries_overdue_statements(*, now: dt.datetime) -> QuerySet[ListEntry]:
    """Entries whose statement period has ended (or was waived) and that still wait for a decision: the
    deciding units' to-do list, oldest deadline first."""
    over = Q(statement_deadline__lt=now) | Q(statement_waived=True)
    return (
        ListEntry.objects.filter(over, state=EntryState.NOTICE_SENT)
        .select_related("list_type__deciding_unit", "subject")
        .order_by("statement_deadline", "pk")
    )


def notices_for_subject(*, subject_id: int) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(subject_id=subject_id)
        .select_related("entry__list_type")
        .order_by("-sent_at", "-pk")
    )


def notice_get(*, notice_id: int, subject_id: int | None) -> Notice:
    """A notice of this subject (404 for anyone else's: its existence is not disclosed)."""
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None or subject_id is None or notice.subject_id != subject_id:
        raise NotFound("notice.not_found", f"告知书 {notice_id} 不存在")
    return notice


def list_entry_black_published(*, subject_id: int) -> ListEntry | None:
    """The subject's earliest published entry on a black list (严重失信主体名单), list type joined."""
    return (
        ListEntry.objects.select_related("list_type")
        .filter(subject_id=subject_id, state=EntryState.PUBLISHED, list_type__kind=ListKind.BLACK)
        .order_by("published_at", "id")
        .first()
    )


def notice_for_letter(*, notice_id: int) -> Notice | None:
    """A notice with its entry's list type, deciding and proposing units (for its letter), or None."""
    return (
        Notice.objects.select_related("entry__list_type__deciding_unit", "entry__proposing_unit")
        .filter(pk=notice_id)
        .first()
    )


def list_entry_published_count(*, usccs: Iterable[str]) -> int:
    """How many published entries the subjects with these USCCs have."""
    return ListEntry.objects.filter(subject__uscc__in=list(usccs), state=EntryState.PUBLISHED).count()


def list_entry_with_unit(*, entry_id: int) -> ListEntry:
    """One entry with its list type and deciding unit joined (objections and repairs against it), or a 404."""
    entry = ListEntry.objects.select_related("list_type__deciding_unit").filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("list_entry.not_found", f"名单条目 {entry_id} 不存在")
    return entry


def list_entry_state(*, entry_id: int) -> str:
    """The entry's lifecycle state (one column of one row)."""
    return ListEntry.objects.filter(pk=entry_id).values_list("state", flat=True).get()


def list_entries_published_on_records(*, record_ids: Iterable[int]) -> list[ListEntry]:
    """The published entries based on any of these records (versions of one decision), once each, by id,
    list types joined: the entries a repair of the record concerns."""
    entries = ListEntry.objects.filter(basis_records__in=list(record_ids), state=EntryState.PUBLISHED)
    return list(entries.select_related("list_type").distinct().order_by("pk"))


def list_type_ids() -> dict[str, int]:
    """List type code → id (every list type, active or not): how a loader resolves the types a file names."""
    return dict(ListType.objects.values_list("code", "id"))


def list_entry_with_subject(*, entry_id: int) -> ListEntry:
    """One entry with its list type and subject; `ListEntry.DoesNotExist` when there is none (an outbox
    handler's event names an entry that exists)."""
    return ListEntry.objects.select_related("list_type", "subject").get(pk=entry_id)


def list_entries_standing(*, subject_ids: Iterable[int], on: dt.date, wide: bool) -> list[ListEntry]:
    """The entries a standing shows (standing.selectors): current on `on` (lists.current) of public list types
    or, `wide` (government tiers, the subject itself), current of every list type and exited; by subject,
    list type code and id, with their list types and catalog categories."""
    entries = ListEntry.objects.filter(subject_id__in=list(subject_ids)).select_related("list_type__category")
    if wide:
        entries = entries.filter(entry_current_q(on) | Q(state=EntryState.EXITED))
    else:
        entries = entries.filter(entry_current_q(on), list_type__public=True)
    return list(entries.order_by("subject_id", "list_type__code", "pk"))


# ── the public portal's list columns (issue 15) ────────────────────────────────────────────────────────


def list_types_public() -> QuerySet[ListType]:
    """The active public list types (黑名单、红名单 …; not 重点关注 unless public), deciding unit joined."""
    return list_type_list().filter(public=True)


def list_entries_public_current(*, list_type: ListType, on: dt.date) -> QuerySet[ListEntry]:
    """The entries of a public list type current on `on` (lists.current), newest listing first (then newest
    id): what the public sees of that list (the API's public_only answer less entries past their term)."""
    if not list_type.public:
        raise NotFound("list_type.not_found", f"名单类型 {list_type.code} 不存在")
    entries = ListEntry.objects.filter(entry_current_q(on), list_type=list_type)
    return entries.select_related("subject").order_by("-published_at", "-pk")


def list_types_public_on_record(*, record_id: int, on: dt.date) -> list[ListType]:
    """The public list types with an entry current on `on` (lists.current) based on this record, by code: the
    list columns a record's portal page links to (issue 15 "a penalty's detail → list column")."""
    entries = ListEntry.objects.filter(entry_current_q(on), basis_records=record_id, list_type__public=True)
    ids = entries.values_list("list_type_id", flat=True)
    return list(ListType.objects.filter(pk__in=ids, active=True).order_by("code"))


def list_entries_moved_on(*, start: dt.datetime, end: dt.datetime) -> tuple[int, int]:
    """(listed, exited): entries of public list types published, and exited, in [start, end) — the portal
    home's counts of the business day. Cost: list_entry_expiry_idx (state first) bounds each count to the
    published or exited entries, whose times are then read (no index on them; lists hold thousands of
    entries, not millions); issue 16 replaces it with an aggregate."""
    public = ListEntry.objects.filter(list_type__public=True)
    listed = public.filter(
        state__in=[EntryState.PUBLISHED, EntryState.EXITED], published_at__gte=start, published_at__lt=end
    ).count()
    exited = public.filter(state=EntryState.EXITED, exited_at__gte=start, exited_at__lt=end).count()
    return listed, exited


# ── the officers' workbench (issue 16, ADR 0039) ───────────────────────────────────────────────────────────


def list_entry_proposed_by(actor: Actor, entry: ListEntry) -> bool:
    """Whether `actor` proposed `entry` — as the same user, or the same named officer through another
    credential (accounts/policy.py `same_person`): the four-eyes test of review and decision."""
    same_user = actor.user_id is not None and actor.user_id == entry.proposed_by_user_id
    return same_user or same_person(actor, entry.proposed_by)


def _decidable_by(actor: Actor) -> Q | None:
    """The entries `actor` may review, decide and publish (`machine.require_decider`): every entry for a
    credit-office reviewer, those of list types its unit decides for a unit officer, none otherwise."""
    if actor.has_role(Role.REVIEWER):
        return Q()
    if actor.unit_code and actor.has_role(*UNIT_OFFICERS):
        return Q(list_type__deciding_unit__code=actor.unit_code)
    return None


def list_entries_awaiting(*, actor: Actor, now: dt.datetime) -> list[tuple[ListEntry, str]]:
    """What `actor` has to do on list entries, oldest proposal first, each with its step: `review` a proposal
    (已提议), `decide` once the statement period is over or waived, `publish` a decision. Scoped as the
    services authorise (`require_decider`); the actor's own proposals are not offered for review or decision
    (four eyes, `require_four_eyes`)."""
    scope = _decidable_by(actor)
    if scope is None:
        return []
    statement_over = Q(statement_deadline__lt=now) | Q(statement_waived=True)
    waiting = (
        Q(state=EntryState.PROPOSED)
        | (Q(state=EntryState.NOTICE_SENT) & statement_over)
        | Q(state=EntryState.DECIDED)
    )
    entries = (
        ListEntry.objects.filter(scope, waiting)
        .select_related("list_type__deciding_unit", "subject", "proposing_unit")
        .order_by("proposed_at", "pk")
    )
    steps: dict[str, str] = {
        EntryState.PROPOSED: "review",
        EntryState.NOTICE_SENT: "decide",
        EntryState.DECIDED: "publish",
    }
    return [
        (entry, steps[entry.state])
        for entry in entries
        if entry.state == EntryState.DECIDED or not list_entry_proposed_by(actor, entry)
    ]


# ── per-month figures (issue 16: metrics/definitions.py `list_entries`, `list_exits`) ───────────────────


def list_moves_counts(
    *, start: dt.datetime, end: dt.datetime, exits: bool
) -> list[tuple[int, str, str, int]]:
    """Entries published onto a list (or, `exits`, exited from one) in [start, end), per deciding unit of the
    list type, list type and the subject's district: (unit id, list type code, district, entries). Cost:
    list_entry_published_idx / list_entry_exited_idx (partial: only entries with that time)."""
    field = "exited_at" if exits else "published_at"
    rows = (
        ListEntry.objects.filter(**{f"{field}__gte": start, f"{field}__lt": end})
        .values_list("list_type__deciding_unit_id", "list_type__code", "subject__district")
        .annotate(n=Count("id"))
        .order_by("list_type__deciding_unit_id", "list_type__code", "subject__district")
    )
    return list(rows)


def list_moves_of_month(
    *, start: dt.datetime, end: dt.datetime, unit_id: int, limit: int, exits: bool
) -> list[tuple[int, str]]:
    """One deciding unit's entries published (or exited) in [start, end): (entry id, label)."""
    field = "exited_at" if exits else "published_at"
    entries = ListEntry.objects.filter(
        list_type__deciding_unit_id=unit_id, **{f"{field}__gte": start, f"{field}__lt": end}
    )
    rows = entries.order_by(field, "id").values_list("pk", "list_type__name")[:limit]
    return [(pk, f"{list_name} 条目 #{pk}") for pk, list_name in rows]
