from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from dichvucong.core import views as core_views
from dichvucong.dossiers.public_views import lookup_page

admin.site.site_header = "Quản trị Cổng Dịch vụ công"
admin.site.site_title = "Quản trị Cổng Dịch vụ công"
admin.site.index_title = "Quản trị hệ thống"

# The busiest public page first (every pattern before it is tried on its every request), in
# Vietnamese and English like the other public pages below.
urlpatterns = i18n_patterns(
    path("tra-cuu/", lookup_page, name="lookup"), prefix_default_language=False
)
urlpatterns += [
    path("api/v1/", include("dichvucong.api.urls")),  # REST API: never under i18n_patterns
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("tai-khoan/khoa-truy-cap-api/", include("dichvucong.api.page_urls")),
    path("thong-bao/", include("dichvucong.notifications.urls")),
    path("ho-so/", include("dichvucong.dossiers.urls")),
    path("can-bo/", include("dichvucong.backoffice.urls")),
    path("can-bo/", include("dichvucong.stats.staff_urls")),
    path("quan-tri/", admin.site.urls),
]
# The public pages also in English under /en/ (issue 9); Vietnamese URLs stay unprefixed.
urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("dieu-khoan-su-dung/", core_views.terms, name="terms"),
    path("thu-tuc/", include("dichvucong.catalog.urls")),
    path("tai-khoan/", include("dichvucong.accounts.urls")),
    path("", include("dichvucong.stats.urls")),
    prefix_default_language=False,
)

handler404 = "dichvucong.core.views.page_not_found"
handler500 = "dichvucong.core.views.server_error"
handler403 = "dichvucong.core.views.permission_denied"
