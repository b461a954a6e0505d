"""URL map: pages at the root, the API under /api/, the admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("opora.territory.urls")),
    path("accounts/", include("opora.accounts.urls")),
    path("registry/", include("opora.territory.urls_import")),
    path("results/", include("opora.assessment.urls")),
    path("programs/", include("opora.programs.urls")),
    path("support/", include("opora.support.urls")),
    path("analysis/", include("opora.analysis.urls")),
    path("api/", include("opora.api.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Опора — администрирование"
admin.site.site_title = "Опора"
admin.site.index_title = "Справочники и пользователи"
