from django.conf import settings
from django.utils.functional import SimpleLazyObject


def portal(request):
    """Values every template needs: the site name, the languages, and the
    catalogue version that keys cached fragments (read only if used)."""
    from .catalogue import version

    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "PORTAL_LANGUAGES": settings.LANGUAGES,
        "CATALOGUE_VERSION": SimpleLazyObject(version),
    }
