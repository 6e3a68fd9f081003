from django.core.management.base import BaseCommand

from gongzhi.places import demo


class Command(BaseCommand):
    help = "Load the demo town 高境镇 (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        town = demo.seed()
        self.stdout.write(
            self.style.SUCCESS(f"Demo town {town.name}: {town.areas.count()} residential areas")
        )
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for phone, name, _role, label in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {label:<48} {phone}  {name}")
