import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Max
from django.utils import timezone

from gongzhi.core.models import Notification
from gongzhi.core.scope import Role
from gongzhi.demo import contests as contests_demo
from gongzhi.demo import cultivation as cultivation_demo
from gongzhi.demo import events as events_demo
from gongzhi.demo import meetings as meetings_demo
from gongzhi.demo import news as news_demo
from gongzhi.demo import organisations as organisations_demo
from gongzhi.demo import paper as paper_demo
from gongzhi.demo import partners as partners_demo
from gongzhi.demo import places as places_demo
from gongzhi.demo import planning as planning_demo
from gongzhi.demo import proposals as proposals_demo
from gongzhi.demo import renewal as renewal_demo
from gongzhi.events.counting import participation
from gongzhi.events.models import Activity
from gongzhi.meetings.models import Meeting
from gongzhi.organisations.models import OrgUnit
from gongzhi.partners.models import Application, Partner
from gongzhi.planning.models import PlanningProcess
from gongzhi.proposals.models import Proposal


class Command(BaseCommand):
    help = (
        "Load the demo town 高境镇 (idempotent): the programme's history (2023, carried "
        "on into 2024) and the present, counted from today; print the demo logins."
    )

    # call_command("seed_demo", now=...) only (the tests: the moment they count from).
    stealth_options = ("now",)

    def handle(self, *args, **options):
        # The moment the present is counted from: plans, activities, meetings and
        # proposals of "today" and "next week" are relative to it. The services that
        # check the clock themselves (sign-up before the start) still read the real one.
        now = options.get("now") or timezone.now()
        started = time.monotonic()
        told_before = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
        # Places first, then each capability that builds on it (lower apps never
        # import the higher ones; the demo app sits above them all).
        town = places_demo.seed()
        admin = partners_demo.demo_user(
            next(
                phone
                for phone, _n, role, _l in places_demo.DEMO_ACCOUNTS
                if role == Role.ADMINISTRATOR
            )
        )
        secretariat = partners_demo.demo_user(partners_demo.SECRETARIAT_PHONE)
        partners_demo.seed(town, admin)
        organisations_demo.seed(town, secretariat)
        area_staff = partners_demo.demo_user("13800000003")
        events_demo.seed(town, area_staff)
        cultivation_demo.seed(town, secretariat)
        contests_demo.seed(town, secretariat)
        # Proposals before meetings: the meetings cite the adopted ones on their agendas.
        # The seven the programme built are left adopted and built as projects right
        # away (completing a project marks its proposal implemented), so that the
        # meetings and plans below see only the proposals still adopted.
        proposals_demo.seed(town, area_staff, secretariat, implement=False)
        renewal_demo.seed(town, area_staff, secretariat)
        meetings_demo.seed(town, area_staff, secretariat)
        # Planning links the demo's activities and meetings and takes in its proposals.
        planning_demo.seed(town, area_staff, secretariat)
        # A project on site now, from the plan completed above.
        renewal_demo.seed_current(town, area_staff, secretariat)
        news_demo.seed(town, secretariat)
        # What the history told people is old news: read (the present's messages stay
        # new). Only what this run's history sent, so a second run changes nothing.
        history = time.monotonic() - started
        Notification.objects.filter(pk__gt=told_before, read_at__isnull=True).update(read_at=now)
        # The present: each app's demo counted back and forth from ``now``.
        events_demo.seed_today(town, area_staff, now=now)
        cultivation_demo.seed_today(town, secretariat, now=now)
        proposals_demo.seed_today(town, area_staff, secretariat, now=now)
        meetings_demo.seed_today(town, area_staff, secretariat, now=now)
        planning_demo.seed_today(town, area_staff, secretariat, now=now)
        __import__("gongzhi.demo.venues", fromlist=["seed"]).seed(town, area_staff, secretariat)
        # This week's paper forms, recorded on what is open now (after everything above).
        papers = paper_demo.seed_today(town, area_staff, now=now)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo town {town.name}: {town.areas.count()} residential areas")
        )
        units = OrgUnit.objects.filter(town=town)
        self.stdout.write(
            self.style.SUCCESS(
                f"Talent pool: {Partner.objects.filter(town=town).count()} partners, "
                f"{Application.objects.filter(town=town).open().count()} applications "
                f"waiting; organisation: {units.filter(kind='secretariat').count()} secretariat, "
                f"{units.filter(kind='committee').count()} committees, "
                f"{units.filter(kind='team').count()} teams"
            )
        )
        year = meetings_demo.YEAR
        activities = Activity.objects.filter(town=town)
        figures = participation(activities.filter(starts_at__year=year))
        self.stdout.write(
            self.style.SUCCESS(
                f"Activities: {activities.filter(starts_at__year=year).count()} in {year} "
                f"({figures.person_times} person-times, {figures.people} people); "
                f"{activities.filter(starts_at__date=timezone.localdate(now)).count()} today, "
                f"{activities.filter(starts_at__gt=now).count()} coming up"
            )
        )
        proposals = Proposal.objects.filter(town=town)
        meetings = Meeting.objects.filter(town=town)
        self.stdout.write(
            self.style.SUCCESS(
                f"Deliberation: {proposals.filter(created_at__year=year).count()} proposals in "
                f"{year} ({proposals.filter(status='implemented').count()} implemented), "
                f"{proposals.filter(created_at__gt=now - timedelta(days=30)).count()} this "
                f"month; {meetings.filter(starts_at__year=year).count()} meetings in {year}, "
                f"{meetings.filter(status='scheduled').count()} coming up"
            )
        )
        processes = PlanningProcess.objects.filter(town=town)
        active = processes.filter(status="active")
        steps = sorted(set(active.values_list("current_order", flat=True)))
        self.stdout.write(
            self.style.SUCCESS(
                f"Planning: {processes.count()} processes in "
                f"{processes.values('area').distinct().count()} areas "
                f"({processes.filter(status='completed').count()} completed, "
                f"{active.count()} open at steps {', '.join(str(n) for n in steps)})"
            )
        )
        self.stdout.write(self.style.SUCCESS(renewal_demo.summary(town)))
        if papers:
            self.stdout.write(
                self.style.SUCCESS(f"Paper voices: {papers} paper forms recorded by area staff")
            )
        self.stdout.write(
            f"Seeded in {elapsed:.1f} s (history {history:.1f} s, today "
            f"{elapsed - history:.1f} s), as of {timezone.localtime(now):%Y-%m-%d %H:%M}"
        )
        self.stdout.write(f"Demo logins (password for all: {places_demo.DEMO_PASSWORD}):")
        for phone, name, _role, label in places_demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {label:<48} {phone}  {name}")
        self.stdout.write(
            "Log in by SMS code too: the demo sends no text messages; the administrator "
            "reads the codes (and every other text) at /sms/outbox/, and the server log "
            "shows them."
        )
