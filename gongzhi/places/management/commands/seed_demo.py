from django.core.management.base import BaseCommand

from gongzhi.contests import demo as contests_demo
from gongzhi.core.scope import Role
from gongzhi.events import demo as events_demo
from gongzhi.events.counting import participation
from gongzhi.events.models import Activity
from gongzhi.meetings import demo as meetings_demo
from gongzhi.meetings.models import Meeting
from gongzhi.organisations import demo as organisations_demo
from gongzhi.organisations.models import OrgUnit
from gongzhi.partners import demo as partners_demo
from gongzhi.partners.models import Application, Partner
from gongzhi.places import demo
from gongzhi.planning import demo as planning_demo
from gongzhi.planning.models import PlanningProcess
from gongzhi.proposals import demo as proposals_demo
from gongzhi.proposals.models import Proposal
from gongzhi.renewal import demo as renewal_demo


class Command(BaseCommand):
    help = "Load the demo town 高境镇 (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        # Places first, then each capability that builds on it (lower apps never
        # import the higher ones; this command sits above them all).
        town = demo.seed()
        admin = partners_demo.demo_user(
            next(phone for phone, _n, role, _l in demo.DEMO_ACCOUNTS if role == Role.ADMINISTRATOR)
        )
        secretariat = partners_demo.demo_user(partners_demo.SECRETARIAT_PHONE)
        partners_demo.seed(town, admin)
        organisations_demo.seed(town, secretariat)
        area_staff = partners_demo.demo_user("13800000003")
        events_demo.seed(town, area_staff)
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
        activities = Activity.objects.filter(town=town)
        figures = participation(activities)
        self.stdout.write(
            self.style.SUCCESS(
                f"Activities: {activities.count()}, {figures.person_times} person-times, "
                f"{figures.people} people"
            )
        )
        proposals = Proposal.objects.filter(town=town)
        meetings = Meeting.objects.filter(town=town)
        self.stdout.write(
            self.style.SUCCESS(
                f"Deliberation: {proposals.count()} proposals "
                f"({proposals.filter(status='implemented').count()} implemented), "
                f"{meetings.filter(starts_at__year=meetings_demo.YEAR).count()} meetings in "
                f"{meetings_demo.YEAR}, {meetings.filter(status='scheduled').count()} coming up"
            )
        )
        processes = PlanningProcess.objects.filter(town=town)
        self.stdout.write(
            self.style.SUCCESS(
                f"Planning: {processes.count()} processes in "
                f"{processes.values('area').distinct().count()} areas "
                f"({processes.filter(status='completed').count()} completed)"
            )
        )
        self.stdout.write(self.style.SUCCESS(renewal_demo.summary(town)))
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
        for phone, name, _role, label in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {label:<48} {phone}  {name}")
