"""Portal pages of the reports app (the public verification page)."""

from django.urls import path

from xinyong.reports.views import verify_page

app_name = "reports"
urlpatterns = [path("verify", verify_page, name="verify")]
