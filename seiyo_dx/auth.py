from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.seed import DEMO_USERNAMES


class NoDemoAccountsInProductionBackend(ModelBackend):
    """The documented demo accounts can log in only on a development site (DEBUG on)."""

    def user_can_authenticate(self, user):
        if user.get_username() in DEMO_USERNAMES and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)


def client_ip(request) -> str | None:
    """The client's address for login throttling (django-axes).

    ``REMOTE_ADDR``, unless it is one of ``TRUSTED_PROXIES``: then the last address the proxy
    appended to ``X-Forwarded-For`` (the ones before it are the client's own claims).
    """
    remote = request.META.get("REMOTE_ADDR")
    if remote in settings.TRUSTED_PROXIES:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if forwarded:
            return forwarded[-1]
    return remote


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: the login page again, with a clear message."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    message = _(
        "ログインに%(limit)d回続けて失敗したため、このユーザー名でのログインを"
        "%(hours)d時間停止しています。時間をおいて試すか、管理者に解除を依頼してください。"
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "hours": settings.AXES_COOLOFF_TIME}
    context = {"form": form, "locked_out": message, "next": request.POST.get("next", "")}
    return render(request, "registration/login.html", context, status=429)
