from django.contrib.auth.decorators import permission_required
from django.shortcuts import render


@permission_required("registry_app.view_receptiontally", raise_exception=True)
def receptions(request):
    return render(request, "registry_app/receptions.html")
