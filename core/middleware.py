"""Responses with programme data are never kept by browsers or shared caches; input no page
can use is answered with a 400."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import BadRequest, ValidationError
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a logged-in user (pages and
    downloads alike); static files are served before this by WhiteNoise with their own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class RejectBadInputMiddleware:
    """A clear 400 for input no page can use, instead of a 500 deep in a query.

    - U+0000 (NUL) anywhere in the path or the query string: PostgreSQL cannot hold it in any
      text, so ``/admin/autocomplete/?term=%00``, ``?q=%00`` or a filter ``?theme__exact=%00``
      failed inside the database. No link of the app ever carries one.
    - The rows chosen for an admin action (``_selected_action``, e.g. ``delete_selected``) that
      are not ids of the model: any admin, its own or Django's (users, groups).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest(_("URLに使えない文字（U+0000）が含まれています。"))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = getattr(view_func, "model_admin", None)
        if model_admin is None or request.method != "POST":
            return None
        chosen = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not chosen:
            return None
        pk = model_admin.model._meta.pk
        for value in chosen:
            try:
                pk.to_python(value)
                if "\x00" in value:
                    raise ValidationError("NUL")
            except ValidationError:
                raise BadRequest(_("選択された行のIDが正しくありません。")) from None
        return None
