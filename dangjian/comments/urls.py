from __future__ import annotations

from django.urls import path

from dangjian.comments import views

app_name = "comments"

urlpatterns = [
    path("items/<int:item_id>/", views.thread, name="thread"),
    path("items/<int:item_id>/post/", views.comment_post, name="comment-post"),
    path("reported/", views.reported, name="reported"),
    path("<int:pk>/", views.comment_detail, name="comment-detail"),
    path("<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("<int:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("<int:pk>/like/", views.comment_like, name="comment-like"),
    path("<int:pk>/report/", views.comment_report, name="comment-report"),
    path("<int:pk>/hide/", views.comment_hide, name="comment-hide"),
    path("<int:pk>/unhide/", views.comment_unhide, name="comment-unhide"),
    path("<int:pk>/dismiss/", views.comment_dismiss, name="comment-dismiss"),
]
