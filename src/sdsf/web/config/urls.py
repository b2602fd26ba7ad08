import django.contrib.auth.admin  # noqa: F401  (users and groups in the admin)
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("sdsf.web.www.urls")),
]

handler400 = "sdsf.web.www.errors.bad_request"
handler403 = "sdsf.web.www.comptes.refused"
handler404 = "sdsf.web.www.errors.not_found"
handler500 = "sdsf.web.www.errors.server_error"
