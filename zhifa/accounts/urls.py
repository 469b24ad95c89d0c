from django.urls import path

from zhifa.accounts import views

urlpatterns = [
    path("", views.index, name="account-index"),
    path("password/", views.password, name="account-password"),
    path("2fa/setup/", views.setup, name="account-2fa-setup"),
    path("2fa/verify/", views.verify, name="account-2fa-verify"),
    path("2fa/recovery/", views.recovery, name="account-2fa-recovery"),
    path("tokens/", views.token_list, name="account-tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="account-token-revoke"),
]
