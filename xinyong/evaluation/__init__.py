"""Evaluation of units and districts (考核评价) and government integrity (政务诚信): plan tasks 1-10 and 55
(issue 16)."""
