"""URLs of member development: the working-day calendar."""

from __future__ import annotations

from django.urls import path

from dangjian.development.views import calendar

urlpatterns = [
    path("", calendar.holidays, name="holidays"),
    path("<int:pk>/delete/", calendar.holiday_delete, name="holiday-delete"),
]
