"""Conditional requests for every API answer (and the feeds): the ETag and Last-Modified
follow the catalogue version, which rises whenever published content or the
taxonomy changes, so a client that asks again gets `304 Not Modified` until
something it could see has changed."""

import hashlib

from django.utils.decorators import method_decorator
from django.views.decorators.http import condition

from scis.core.catalogue import version_and_time


def _state(request):
    # Read once per request: both validators come from the same row.
    if not hasattr(request, "_scis_catalogue_state"):
        request._scis_catalogue_state = version_and_time()
    return request._scis_catalogue_state


def _etag(request, *args, **kwargs) -> str:
    number, _changed = _state(request)
    digest = hashlib.sha256(f"{number}:{request.get_full_path()}".encode()).hexdigest()[
        :32
    ]
    return digest


def _last_modified(request, *args, **kwargs):
    _number, changed = _state(request)
    return changed


# Function-view decorator (feeds, OAI-PMH, downloads): GET and HEAD answered
# conditionally.
conditional_view = condition(etag_func=_etag, last_modified_func=_last_modified)


def conditional(view_class):
    """Class decorator: answers GET and HEAD conditionally."""
    return method_decorator(conditional_view, name="dispatch")(view_class)
