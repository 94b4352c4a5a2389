"""Root URLs: login, the admin, the reports, and every installed area at its ``url_prefix``.

An area app (``core.apps.ProgrammeAppConfig``) with a ``url_prefix`` is mounted here by the
loop below, namespaced by its label (NetBox's plugin URLs): adding an area to
``INSTALLED_APPS`` is all it takes.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.organisation import lazy_admin_header, lazy_brand

# The installation's organisation (settings.SEIYO_ORGANISATION), read when a page is shown.
admin.site.site_header = lazy_admin_header()
admin.site.site_title = lazy_brand()
admin.site.index_title = "事業データの管理"
admin.site.empty_value_display = "－"  # an empty value prints the same on every page


def area_urlpatterns() -> list:
    patterns = []
    for config in apps.get_app_configs():
        prefix = getattr(config, "url_prefix", None)
        if prefix:
            module = f"{config.name}.{config.urls_module}"
            patterns.append(path(f"{prefix}/", include((module, config.label))))
    return patterns


urlpatterns = [
    path("", include("reports.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *area_urlpatterns(),
    path("admin/", admin.site.urls),
]
