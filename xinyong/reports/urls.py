"""Portal pages of the reports app (the public verification page)."""

urlpatterns: list = []
