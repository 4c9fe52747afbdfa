"""The API's documentation page (Swagger UI from drf-spectacular-sidecar, served by the app)
and the API's catch-all 404 in problem+json.

The page loads its start-up script from a URL of its own (SpectacularSwaggerSplitView) and
its template has no inline style, so the site's Content-Security-Policy applies unchanged:
scripts, styles and images from 'self' (and data: images, already allowed)."""

from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularSwaggerSplitView

from .problems import problem_response


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "API Cổng Dịch vụ công"
    authentication_classes = []
    permission_classes = []


@csrf_exempt
def not_found(request, *args, **kwargs):
    return problem_response(404, "Không có địa chỉ API này.", request=request, code="not_found")
