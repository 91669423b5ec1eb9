"""The reader's newsletter forms: sign up (full page and footer) and
preferences."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import NewsletterSection, SubscriberLanguage

# Named like a field people expect on a contact form, so that form-filling
# bots fill it; readers never see it (the template hides it).
HONEYPOT = "website"


def _reading_language() -> str:
    language = (get_language() or "ko")[:2]
    return language if language in SubscriberLanguage.values else "ko"


class PreferencesForm(forms.Form):
    """What a subscriber may change later: language and sections."""

    language = forms.ChoiceField(
        label=_("Language of the newsletter"),
        choices=SubscriberLanguage.choices,
        widget=forms.RadioSelect,
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections of interest"),
        help_text=_("Choose none to receive every section."),
        choices=NewsletterSection.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class SubscribeForm(PreferencesForm):
    """Sign-up: the preferences plus the address and a honeypot."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = ["email", "language", "sections", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = _reading_language()

    def is_bot(self) -> bool:
        """True when the hidden field was filled in: no person can see it."""
        return bool(self.data.get(HONEYPOT, "").strip())
