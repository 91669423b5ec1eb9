import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

NOT_SHOWN = "(unchanged — set earlier; reset it with `manage.py changepassword`)"


class Command(BaseCommand):
    """Create the first administrator once and print how to log in.

    The generated password is kept in var/admin-password.txt (readable only by
    its owner) so every `make run` can print it again; change it in the admin
    and delete the file for anything but a local trial."""

    help = "Create the 'admin' superuser if missing and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username="admin", **options):
        user_model = get_user_model()
        password_file = settings.VAR_DIR / "admin-password.txt"
        user = user_model.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(
                username=username, email=f"{username}@localhost", password=password
            )
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n", encoding="utf-8")
            password_file.chmod(0o600)
        elif password_file.exists():
            password = password_file.read_text(encoding="utf-8").strip()
        else:
            password = NOT_SHOWN
        self.stdout.write(
            "\nAdmin login: http://127.0.0.1:8000/admin/\n"
            f"  username: {username}\n  password: {password}\n"
        )
