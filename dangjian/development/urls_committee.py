"""URLs of member development: committee."""

from __future__ import annotations

from django.urls import path

from dangjian.development.views import committee

urlpatterns = [
    path("", committee.queue, name="committee-queue"),
    path("<int:pk>/approve/", committee.approve, name="committee-approve"),
    path("<int:pk>/return/", committee.return_, name="committee-return"),
    path("<int:pk>/reject/", committee.reject, name="committee-reject"),
    path("<int:pk>/resubmit/", committee.resubmit, name="case-resubmit"),
]
