from django.contrib.auth import views as auth_views
from django.urls import path

from studio.accounts import member_views, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.password_change_view, name="password_change"),
    path("invitations/accept/", views.invitation_accept_view, name="invitation_accept"),
    path("invitations/<str:token>/", views.invitation_open, name="invitation_open"),
    path("assistants/<slug:slug>/members/", member_views.members_page, name="members"),
    path("assistants/<slug:slug>/members/set/", member_views.member_set_view, name="member_set"),
    path("assistants/<slug:slug>/members/invite/", member_views.member_invite_view, name="member_invite"),
    path("assistants/<slug:slug>/members/<str:username>/remove/", member_views.member_remove_view,
         name="member_remove"),
    path("assistants/<slug:slug>/invitations/<int:invitation_id>/revoke/", member_views.invitation_revoke_view,
         name="invitation_revoke"),
]
