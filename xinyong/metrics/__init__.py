"""Period metrics (统计指标): per unit and month counts that dashboards and evaluation read (issue 16)."""
