"""Plan oversight in the console (规划任务进度, plan task 55, issue 16, ADR 0038): a unit's officers see the
reports their unit owes per period and fill them in; the credit office reviews the submitted ones and sees
who is overdue. Pages call the oversight app's services and selectors, as the API would."""
