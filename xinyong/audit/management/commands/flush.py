"""Django's `flush`, which must lift the audit guard to empty the database.

It empties test databases only; on any other database it needs --allow-audit-purge, because emptying
the audit trail destroys the platform's evidence (see docs/adr/0003-append-only-audit.md).
"""

from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush

from xinyong.audit.dbguard import audit_guard_lifted, is_test_database


class Command(DjangoFlush):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--allow-audit-purge", action="store_true", help="also empty the audit trail")

    def handle(self, **options):
        if not (is_test_database() or options["allow_audit_purge"]):
            raise CommandError("flush 会清空审计记录：只可用于测试数据库，或显式加 --allow-audit-purge")
        with audit_guard_lifted():
            return super().handle(**options)
