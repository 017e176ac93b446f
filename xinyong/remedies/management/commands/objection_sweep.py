"""`xinyong objection_sweep`: objections not accepted or not verified by their deadline are escalated to the
credit office (督办), each once. Idempotent; catches up."""

from django.core.management.base import BaseCommand

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.timeutil import business_date, now
from xinyong.remedies.services import objections_escalate


class Command(BaseCommand):
    help = "异议逾期督办：逾期未受理或未核实的异议提请信用办督办（可随时、反复运行）"

    def handle(self, *args, **opts):
        at = now()
        escalated = objections_escalate(
            actor=Actor(label="system:objection_sweep", roles=frozenset({Role.ADMIN})), now=at
        )
        self.stdout.write(f"{business_date(at)}：{escalated} 件异议逾期，已提请督办")
