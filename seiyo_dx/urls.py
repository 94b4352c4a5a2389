from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

admin.site.site_header = "西予市DX推進 管理"
admin.site.site_title = "西予市DX推進"
admin.site.index_title = "事業データの管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("workbook/", views.workbook_download, name="workbook"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("schedule/", include("projects.urls")),
    path("meetings/", include("meetings.urls")),
    path("admin/", admin.site.urls),
]
