"""The subject factories moved to tests/support/factories.py; this name stays for the modules that still
import it."""

from tests.support.factories import (  # noqa: F401
    T0,
    IndividualBusinessFactory,
    PersonFactory,
    SubjectFactory,
    make_regno,
    make_ric,
    make_uscc,
)
