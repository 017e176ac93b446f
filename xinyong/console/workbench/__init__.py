"""The workbench (工作台, issue 16, ADR 0039): what is due from an officer, read from each owning app's own
selectors, marked by working days left.

due.py      what counts as due, near (即将到期) and overdue (已逾期), in working days (xinyong/workdays)
items.py    the item kinds and one item as a row of the page and of the CSV
queues.py   each kind's queue: the owning app's selector, scoped by the actor as the API scopes it
"""
