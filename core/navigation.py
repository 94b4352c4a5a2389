from django.urls import reverse

from .registry import navigation as registry


def navigation(request):
    """The main menu, from what the apps registered; the current section is marked."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in registry:
        url = reverse(item.url_name)
        current = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"label": item.label, "url": url, "current": current})
    return {"nav_items": items}
