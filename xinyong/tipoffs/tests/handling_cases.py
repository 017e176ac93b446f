"""What the handling tests share: a refusal's error and a report's history rows."""

import pytest

from xinyong.core.errors import DomainError
from xinyong.tipoffs.models import TipoffTransition


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


def history(tipoff) -> list[tuple]:
    rows = TipoffTransition.objects.filter(tipoff=tipoff).order_by("id")
    return [(r.action, r.from_state, r.to_state, r.actor, r.reason) for r in rows]
