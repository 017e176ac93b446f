"""Writes of the evaluation app (issue 16): loading scorecard versions, computing a month's evaluation.

`scorecards_load` stores each version of evaluation/data/scorecards.yaml once (a reference spec,
core/reference.py): a new version is added, a stored one is never changed (a file that changes a loaded
version is refused — add a version instead), a version the file dropped stays stored.

`evaluation_month_compute` reads the month's figures from the metrics layer (inputs.py), applies the
scorecard in force on the month's first day (scoring.py) and replaces the month's evaluation of that kind in
one transaction with its audit event `evaluation.compute`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from xinyong.accounts.models import UnitType
from xinyong.accounts.roles import OFFICE
from xinyong.audit.services import audit_append
from xinyong.catalog.yamlcheck import sha256_text
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.reference import AuditNote, Changes, LoadResult, ReferenceSpec, reference_load
from xinyong.evaluation import inputs, selectors
from xinyong.evaluation.models import Evaluation, EvaluationResult, IndicatorResult, Scorecard
from xinyong.evaluation.scorecard import DEFAULT_PATH, INVALID, KIND_LABELS, KINDS, scorecards_parse
from xinyong.evaluation.scoring import EntityScore, entity_score, ranked

Progress = Callable[[str], None]


# ── scorecard versions ─────────────────────────────────────────────────────────────────────────────────────


class ScorecardsLoadResult(LoadResult):
    def head(self) -> str:
        return "考核评分表"


def scorecards_load(
    *, actor: Actor, now: dt.datetime, path: str | Path | None = None
) -> ScorecardsLoadResult:
    """Store every scorecard version of the file not stored yet (`scorecards.load` audited when any is new).
    Refuses (`scorecards.invalid`) an invalid file, or one that changes a version already loaded."""
    return reference_load(SCORECARDS, actor=actor, now=now, path=path)


def _write(cards, changes: Changes) -> ScorecardsLoadResult:
    stored = {(s.kind, s.version): s for s in Scorecard.objects.select_for_update()}
    for card in cards:
        document = card.as_document()
        label = f"{card.kind}:{card.version}"
        have = stored.get((card.kind, card.version))
        if have is None:
            Scorecard.objects.create(
                kind=card.kind,
                version=card.version,
                effective_from=card.effective_from,
                title=card.title,
                document=document,
                sha256=sha256_text(repr(document)),
                loaded_at=changes.now,
            )
            changes.add("created", label)
        elif have.document != document:
            raise DomainError(
                INVALID,
                f"考核评分表 {label} 已载入，内容不可更改：请以新的版本号和生效日期新增一版",
                status=409,
            )
    return ScorecardsLoadResult(
        created=changes.of("created"), updated=changes.of("updated"), deactivated=changes.of("deactivated")
    )


def _audit(cards, result: ScorecardsLoadResult, changes: Changes) -> AuditNote:
    return AuditNote("scorecards.load", "scorecards", "scorecards.yaml", result.labels())


SCORECARDS = ReferenceSpec(
    name="scorecards",
    default_path=DEFAULT_PATH,
    invalid=INVALID,
    parse=lambda text, _path: scorecards_parse(text, unit_types=tuple(UnitType.values)),
    write=_write,
    audit=_audit,
    append=audit_append,
)


# ── a month's evaluation ───────────────────────────────────────────────────────────────────────────────────


def evaluation_month_compute(
    *, month: dt.date, kind: str, now: dt.datetime, actor: Actor, progress: Progress = lambda _: None
) -> Evaluation:
    """Compute the month's evaluation of `kind` (unit | district) from the metrics layer's figures and
    replace any earlier one (plan task 55 督导考核; docs/adr/0036). The credit office's acting staff only."""
    actor.require(*OFFICE)
    if kind not in KINDS:
        raise DomainError("evaluation.bad_kind", f"考核类别应为 {'、'.join(KINDS)}")
    month = month.replace(day=1)
    stored = selectors.scorecard_in_force(kind=kind, month=month)
    if stored is None:
        raise DomainError("evaluation.no_scorecard", f"{month:%Y-%m} 没有生效的{KIND_LABELS[kind]}考核评分表")
    card = selectors.scorecard_value(stored)
    units = selectors.units_evaluated(unit_types=card.unit_types)
    progress(f"{stored.title}：{len(units)} 个参评{KIND_LABELS[kind]}，{len(card.indicators)} 项指标")
    figures = inputs.month_figures(
        kind=kind, month=month, metrics=[i.metric for i in card.indicators], units=units, progress=progress
    )
    scores = ranked([entity_score(card, unit.code, figures.get(unit.pk, {})) for unit in units])
    by_code = {unit.code: unit for unit in units}
    with transaction.atomic():
        evaluation = _replace(stored, month, kind, scores, by_code, now=now, actor=actor)
    progress(f"已保存：{evaluation.entities} 个参评，{evaluation.ranked} 个有排名")
    return evaluation


def _replace(stored: Scorecard, month, kind, scores: list[EntityScore], units, *, now, actor) -> Evaluation:
    previous = Evaluation.objects.select_for_update().filter(month=month, kind=kind).first()
    replaced = None
    if previous is not None:
        replaced = {"scorecard": previous.scorecard.version, "computed_at": previous.computed_at.isoformat()}
        IndicatorResult.objects.filter(result__evaluation=previous).delete()
        EvaluationResult.objects.filter(evaluation=previous).delete()
        previous.delete()
    evaluation = Evaluation.objects.create(
        scorecard=stored,
        month=month,
        kind=kind,
        computed_at=now,
        computed_by=actor.label,
        entities=len(scores),
        ranked=sum(1 for s in scores if s.rank is not None),
    )
    results = EvaluationResult.objects.bulk_create(
        [
            _result_row(evaluation, position, score, units[score.code])
            for position, score in enumerate(scores, 1)
        ]
    )
    IndicatorResult.objects.bulk_create(
        [
            _indicator_row(row, i, s)
            for row, score in zip(results, scores, strict=True)
            for i, s in enumerate(score.scores, 1)
        ]
    )
    audit_append(
        actor=actor,
        action="evaluation.compute",
        target_type="evaluation",
        target_id=f"{kind}:{month:%Y-%m}",
        now=now,
        payload={
            "scorecard": stored.version,
            "entities": evaluation.entities,
            "ranked": evaluation.ranked,
            "top": [s.code for s in scores[:3]],
            "replaced": replaced,
        },
    )
    return evaluation


def _result_row(evaluation: Evaluation, position: int, score: EntityScore, unit) -> EvaluationResult:
    level = score.level
    return EvaluationResult(
        evaluation=evaluation,
        unit=unit,
        position=position,
        total=score.total,
        counted_weight=score.counted_weight,
        rank=score.rank,
        level_code=level.code if level else "",
        level_name=level.name if level else "",
    )


def _indicator_row(result: EvaluationResult, position: int, s) -> IndicatorResult:
    i = s.indicator
    return IndicatorResult(
        result=result,
        position=position,
        code=i.code,
        metric=i.metric,
        name=i.name,
        weight=i.weight,
        numerator=s.numerator,
        denominator=s.denominator,
        value=s.value,
        share=s.share,
        points=s.points,
    )
