from __future__ import annotations

from django.urls import path

from dangjian.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login-verify"),
    path("login/setup/", views.login_setup, name="login-setup"),
    path("logout/", views.logout_view, name="logout"),
    path("backup-codes/", views.backup_codes, name="backup-codes"),
    path("password/", views.password_change, name="password-change"),
    path("me/", views.profile, name="profile"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/<slug:action>/", views.user_action, name="user-action"),
    path("lockouts/", views.lockout_list, name="lockout-list"),
    path("lockouts/<int:pk>/clear/", views.lockout_clear, name="lockout-clear"),
]
