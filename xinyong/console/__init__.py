"""The officers' console (控制台, issue 16): the workbench of what is due from each officer, and the links to
dashboards, plan progress reports, evaluation and government-integrity monitoring. Server-rendered pages for
signed-in officers whose session passed the second factor (`console/access.py`)."""
