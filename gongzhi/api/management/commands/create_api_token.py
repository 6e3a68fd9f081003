from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from gongzhi.api.services import MAX_DAYS, create_token
from gongzhi.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create an API token for the account of a mobile number and print its key "
        "(shown once: only its digest is stored)."
    )

    def add_arguments(self, parser):
        parser.add_argument("phone", help="The account's mobile number.")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--days", type=int, default=90, help=f"Days of validity, 1 to {MAX_DAYS} (90)."
        )

    def handle(self, *args, phone, name, days, **options):
        user = get_user_model().objects.filter(phone=phone).first()
        if user is None:
            raise CommandError(f"No account has the mobile number {phone}.")
        try:
            token, key = create_token(user=user, name=name, days=days)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Token “{token.name}” for user #{user.pk}, valid until "
            f"{token.expires_at:%Y-%m-%d %H:%M %Z}. Keep the key; it is not shown again:"
        )
        self.stdout.write(key)
