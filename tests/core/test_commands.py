"""Set-up commands that `make run` relies on."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.mark.django_db
def test_ensure_admin_creates_once_and_prints_the_login(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    password = (tmp_path / "admin-password.txt").read_text().strip()
    assert "username: admin" in out.getvalue()
    assert f"password: {password}" in out.getvalue()
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    again = io.StringIO()
    call_command("ensure_admin", stdout=again)
    assert f"password: {password}" in again.getvalue()
    assert get_user_model().objects.filter(username="admin").count() == 1


def test_translations_compile(tmp_path, settings):
    import shutil

    from django.conf import settings as live

    shutil.copytree(live.LOCALE_PATHS[0], tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    out = io.StringIO()
    call_command("compile_translations", stdout=out)
    assert "compiled 2 catalogue(s)" in out.getvalue()
    assert (tmp_path / "locale" / "ko" / "LC_MESSAGES" / "django.mo").exists()
