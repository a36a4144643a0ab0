from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("lamtheo.core.urls")),
    path("", include("lamtheo.organizations.urls")),
    path("rulebook/", include("lamtheo.rulebook.urls")),
    path("roster/", include("lamtheo.roster.urls")),
    path("", include("lamtheo.planning.urls")),
    path("commitments/", include("lamtheo.commitments.urls")),
    path("remediation/", include("lamtheo.remediation.urls")),
    path("oversight/", include("lamtheo.oversight.urls")),
    path("portal/", include("lamtheo.portal.urls")),
    path("", include("lamtheo.feedback.urls")),
    path("open311/v2/", include("lamtheo.feedback.open311_urls")),
    path("api/v1/", include("lamtheo.api.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
