"""Dashboards (看板): charts with their tables beside them, per unit, district and month (issue 16)."""
