from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/papers/", views.meeting_papers, name="papers"),
    path("<int:pk>/issue/", views.issue_papers, name="issue"),
    path("<int:pk>/next/", views.prepare_next, name="prepare_next"),
]
