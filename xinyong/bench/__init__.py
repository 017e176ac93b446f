"""The benchmarks (`xinyong bench import|search|check|report`, docs/performance.md): data builders, load
generators and the timing of each path against a raw baseline of the same storage, in a data directory of
their own.

The top layer: it may import any app, and no app imports it. Outside the table-ownership rule
(tests/test_table_ownership.py): its builders write millions of rows raw and its baselines query tables raw.
"""
