from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from core.seed import DEMO_USERNAMES


class NoDemoAccountsInProductionBackend(ModelBackend):
    """The documented demo accounts can log in only on a development site (DEBUG on)."""

    def user_can_authenticate(self, user):
        if user.get_username() in DEMO_USERNAMES and not settings.DEBUG:
            return False
        return super().user_can_authenticate(user)
