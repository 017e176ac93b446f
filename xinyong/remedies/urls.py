"""Portal pages of the remedies app."""

from django.urls import path

from xinyong.remedies.views import progress_page

app_name = "remedies"
urlpatterns = [path("", progress_page, name="progress")]
