"""/console/plan/… (included by console/urls.py, so the names are `console:plan…`)."""

from django.urls import path

from xinyong.console.plan import review, units

urlpatterns = [
    path("", units.tasks_page, name="plan"),
    path("tasks/<int:task>/<str:period>/", units.report_form_page, name="plan-report-form"),
    path("reports/<int:report_id>/", review.report_page, name="plan-report"),
    path("reports/<int:report_id>/evidence/<int:evidence_id>", units.evidence_file, name="plan-evidence"),
    path("reviews/", review.reviews_page, name="plan-reviews"),
    path("overdue/", review.overdue_page, name="plan-overdue"),
]
