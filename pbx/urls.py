from django.urls import path

from . import views

urlpatterns = [
    path("", views.rollout, name="rollout"),
    path("sites.csv", views.sites_csv, name="sites_csv"),
    path("revisions.csv", views.revisions_csv, name="revisions_csv"),
    path("rollout.xlsx", views.rollout_xlsx, name="rollout_xlsx"),
]
