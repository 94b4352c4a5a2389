from django.shortcuts import render
from django.utils import timezone


def home(request):
    """The start page after login (the executive dashboard grows here)."""
    return render(request, "home.html", {"today": timezone.localdate()})
