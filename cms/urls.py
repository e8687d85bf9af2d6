from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.my_record, name="my_record"),
    path("learn/", include("lms.learning.urls")),
    path("exams/", include("lms.exams.urls")),
    path("competitions/", include("lms.competitions.urls")),
    path("reports/", include("reports.urls")),
    path("subsidies/", include("reports.subsidies.urls")),
    path("", include("certificates.urls")),
    path("certificates/", include("certificates.urls_holder")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
