from django.urls import reverse

from .registry import navigation as registry


def current_url(path: str, urls: list[str]) -> str | None:
    """The one menu URL the page belongs to: the longest that the path is, or starts with.

    ``/schedule/initiatives/3/`` belongs to その他の取組 (``/schedule/initiatives/``), not also
    to 全体のスケジュール (``/schedule/``); the home page ``/`` is current only on itself.
    """
    matches = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(matches, key=len, default=None)


def navigation(request):
    """The main menu, from what the apps registered; exactly one entry (or none) is current."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": [], "nav_home_current": False}
    entries = [(item.label, reverse(item.url_name)) for item in registry]
    home = reverse("home")
    current = current_url(request.path, [home, *(url for _, url in entries)])
    items = [{"label": label, "url": url, "current": url == current} for label, url in entries]
    return {"nav_items": items, "nav_home_current": current == home}
