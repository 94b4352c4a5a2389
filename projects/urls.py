from django.urls import path

from . import views

urlpatterns = [
    path("", views.schedule, name="schedule"),
    path("blank.xlsx", views.schedule_blank, name="schedule_blank"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("initiatives/", views.initiatives, name="initiatives"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative"),
]
