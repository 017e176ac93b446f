"""The test kit (issue 17): what tests of several apps share, in one place instead of each other's conftests.

- factories.py: factory-boy factories (subjects through `subject_register`) and unit/actor makers;
- records.py, lists.py, commitments.py, remedies.py, tipoffs.py, measures.py, reports.py, pushes.py: each app's
  reference-data fixtures, timeline, actors and scenario builders that create state through the services
  (a received record, an entry walked to any state, a signed commitment, an objection, a check …);
- clock.py: the one clock tests freeze and advance (the `clock` fixture of the root conftest);
- constraints.py: `violates(model, name)`, asserting which database constraint an IntegrityError came from.

An app's conftest imports the fixtures its tests use from here; test modules import builders from here, never
from another app's conftest.
"""
