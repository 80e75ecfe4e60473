"""Response headers Django has no setting for, and the rule that public pages only read."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.urls import Resolver404, resolve

SAFE_METHODS = ("GET", "HEAD")


class SecurityHeadersMiddleware:
    """Cross-Origin-Resource-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def accepts_public_posts(request: HttpRequest) -> bool:
    """Whether the URL is a public form's (programs.views.public_forms.public_form)."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return getattr(view, "accepts_public_posts", False)


class ReadOnlyPublicPagesMiddleware:
    """Everything outside the admin and the public forms answers GET and HEAD only (405
    otherwise), so no other public page can be written to, whatever a later view forgets."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method not in SAFE_METHODS
            and not request.path.startswith("/admin/")
            and not (request.method == "POST" and accepts_public_posts(request))
        ):
            return HttpResponseNotAllowed(SAFE_METHODS)
        return self.get_response(request)


class SmallAnonymousBodiesMiddleware:
    """A request from someone not signed in may carry at most ANONYMOUS_MAX_BODY_BYTES (the
    login form is a few hundred bytes): 413 otherwise, before anything reads the body. Signed-in
    staff may send more (imports), capped by DATA_UPLOAD_MAX_MEMORY_SIZE, the import's own limits
    and nginx's client_max_body_size."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest("Bad Content-Length\n", content_type="text/plain")
        if length > settings.ANONYMOUS_MAX_BODY_BYTES and not request.user.is_authenticated:
            return HttpResponse(
                "Request body too large: sign in first.\n",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)
