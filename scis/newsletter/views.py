"""Reader-facing newsletter pages: sign up, confirm, preferences (with data
download and erase) and unsubscribe, the last three reached by signed links.
The work happens in subscribers.py; these views only translate HTTP."""

import json

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rest_framework.throttling import BaseThrottle

from . import links, subscribers
from .forms import PreferencesForm, SubscribeForm
from .models import Subscriber


def client_address(request) -> str:
    """The client's IP address, behind as many proxies as the API trusts
    (API_NUM_PROXIES), so the sign-up limit counts the same client the API
    rate limit does."""
    return BaseThrottle().get_ident(request)


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    """The sign-up form. Every accepted POST, new address or not, bot or
    not, ends on the same "check your mailbox" page."""
    if request.method != "POST":
        return render(request, "newsletter/subscribe.html", {"form": SubscribeForm()})
    if not subscribers.within_rate_limit(client_address(request)):
        response = render(
            request,
            "newsletter/subscribe_limited.html",
            {"minutes": max(1, settings.NEWSLETTER_SUBSCRIBE_WINDOW // 60)},
            status=429,
        )
        response["Retry-After"] = str(settings.NEWSLETTER_SUBSCRIBE_WINDOW)
        return response
    form = SubscribeForm(request.POST)
    done = HttpResponseRedirect(reverse("newsletter_subscribe_done"))
    if form.is_bot():
        return done
    if not form.is_valid():
        return render(request, "newsletter/subscribe.html", {"form": form}, status=400)
    sign_up = subscribers.SignUp(
        email=form.cleaned_data["email"],
        language=form.cleaned_data["language"],
        sections=form.cleaned_data["sections"],
    )
    try:
        subscribers.subscribe(sign_up)
    except subscribers.MailNotSent:
        form.add_error(
            None,
            _(
                "We could not send the confirmation message just now. Nothing is "
                "lost: please try again in a few minutes."
            ),
        )
        return render(request, "newsletter/subscribe.html", {"form": form}, status=503)
    return done


def subscribe_done(request):
    return render(
        request,
        "newsletter/subscribe_done.html",
        {"days": settings.NEWSLETTER_CONFIRM_DAYS},
    )


def confirm(request, token: str):
    subscriber = subscribers.confirm(token)
    if subscriber is None:
        return render(
            request,
            "newsletter/confirm_invalid.html",
            {"days": settings.NEWSLETTER_CONFIRM_DAYS},
            status=400,
        )
    return render(
        request,
        "newsletter/confirm.html",
        {
            "subscriber": subscriber,
            "preferences_url": _preferences_path(subscriber),
        },
    )


def _preferences_path(subscriber: Subscriber) -> str:
    return reverse(
        "newsletter_preferences",
        kwargs={"token": links.make_token(subscriber, links.Purpose.PREFERENCES)},
    )


def _invalid_link(request):
    return render(request, "newsletter/preferences_invalid.html", status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request, token: str):
    subscriber = links.read_token(token, links.Purpose.PREFERENCES)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            subscribers.update_preferences(
                subscriber, form.cleaned_data["language"], form.cleaned_data["sections"]
            )
            return HttpResponseRedirect(f"{request.path}?saved=1")
        status = 400
    else:
        form = PreferencesForm(
            initial={"language": subscriber.language, "sections": subscriber.sections}
        )
        status = 200
    return render(
        request,
        "newsletter/preferences.html",
        {
            "form": form,
            "subscriber": subscriber,
            "token": token,
            "saved": request.GET.get("saved") == "1",
            "unsubscribe_url": reverse(
                "newsletter_unsubscribe",
                kwargs={
                    "token": links.make_token(subscriber, links.Purpose.UNSUBSCRIBE)
                },
            ),
        },
        status=status,
    )


def export(request, token: str):
    """Download everything stored about the subscriber, as JSON."""
    subscriber = links.read_token(token, links.Purpose.PREFERENCES)
    if subscriber is None:
        return _invalid_link(request)
    response = HttpResponse(
        json.dumps(subscribers.export_data(subscriber), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = subscribers.export_filename(subscriber)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["POST"])
def erase(request, token: str):
    subscriber = links.read_token(token, links.Purpose.PREFERENCES)
    if subscriber is None:
        return _invalid_link(request)
    subscribers.erase(subscriber)
    return render(request, "newsletter/preferences_erased.html")


ONE_CLICK = "One-Click"


# The RFC 8058 one-click POST comes from the mail provider with neither a
# CSRF token nor a cookie; the signed token in the URL is what authenticates
# it, as it does the button on the page.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """GET shows a button and changes nothing (mail scanners open links);
    POST unsubscribes at once."""
    subscriber = links.read_token(token, links.Purpose.UNSUBSCRIBE)
    one_click = request.POST.get("List-Unsubscribe") == ONE_CLICK
    if subscriber is None:
        if one_click:
            return HttpResponse(
                "This unsubscribe link is not valid.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return render(request, "newsletter/unsubscribe_invalid.html", status=400)
    if request.method != "POST":
        return render(
            request, "newsletter/unsubscribe.html", {"subscriber": subscriber}
        )
    subscribers.unsubscribe(subscriber)
    if one_click:
        return HttpResponse("Unsubscribed.", content_type="text/plain; charset=utf-8")
    return render(
        request,
        "newsletter/unsubscribe_done.html",
        {"subscriber": subscriber, "preferences_url": _preferences_path(subscriber)},
    )
