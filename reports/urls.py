from django.urls import path

from . import views

# Not namespaced: "home" is where login lands (LOGIN_REDIRECT_URL).
urlpatterns = [
    path("", views.home, name="home"),
    path("workbook/", views.workbook_download, name="workbook"),
]
