"""URLs of member development: the applicant's own progress (included at /development/me/),
and the account a branch opens for an applicant without a member record."""

from __future__ import annotations

from django.urls import path

from dangjian.development.views import applicant

urlpatterns = [
    path("", applicant.my_progress, name="my-progress"),
    path("account/<int:pk>/", applicant.account_create, name="applicant-account"),
]
