from __future__ import annotations

from django.urls import path

from dangjian.contributions import views

app_name = "contributions"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.submit, name="submit"),
    path("<int:pk>/", views.mine_detail, name="mine-detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/resubmit/", views.resubmit, name="resubmit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("pictures/<uuid:key>/", views.picture, name="picture"),
    path("desk/", views.desk, name="desk"),
    path("desk/<int:pk>/", views.desk_detail, name="desk-detail"),
    path("desk/<int:pk>/accept/", views.accept, name="accept"),
    path("desk/<int:pk>/return/", views.return_, name="return"),
    path("desk/<int:pk>/reject/", views.reject, name="reject"),
    path("desk/<int:pk>/publish/", views.publish, name="publish"),
]
