from django.contrib.auth import views as auth_views
from django.urls import path

from studio.accounts import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html",
                                                redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", views.password_change_view, name="password_change"),
    path("assistants/<slug:slug>/members/", views.members_page, name="members"),
    path("assistants/<slug:slug>/members/set/", views.member_set_view, name="member_set"),
    path("assistants/<slug:slug>/members/<str:username>/remove/", views.member_remove_view, name="member_remove"),
]
