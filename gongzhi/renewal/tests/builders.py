"""Building micro-renewal projects for tests (and the permission matrix, the demo's
tests and the benchmark): a completed plan to start from, a project at any status,
and real photo uploads.

``project_at(status, ...)`` goes through the services, so what it builds obeys every
rule (a completed project has closed milestones, before and after photos, a
published result and an open satisfaction survey). Use a temporary MEDIA_ROOT.
"""

import io
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongzhi.organisations.models import OrgUnit, UnitKind
from gongzhi.planning.models import ProcessStatus
from gongzhi.planning.tests.builders import process_at_step
from gongzhi.renewal import services
from gongzhi.renewal.models import Phase, ProjectKind, ProjectStatus
from gongzhi.tests.factories import RoleGrantFactory, SiteFactory, UserFactory


def jpeg_upload(name="site.jpg", *, size=(8, 6), color=(40, 140, 60), exif=True):
    """A real JPEG (with a GPS-bearing EXIF block unless ``exif`` is False)."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPS IFD: latitude
        image.save(out, "JPEG", exif=data)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def area_staff(area):
    user = UserFactory()
    RoleGrantFactory(user=user, town=area.town, role="area_staff", areas=[area])
    return user


def completed_process(*, area, actor, title=""):
    """A planning process of ``area`` that has passed its eleven steps."""
    process = process_at_step(11, town=area.town, area=area, actor=actor, title=title)
    process.runs.filter(closed_at__isnull=True).update(
        closed_at=timezone.now(), outcome="completed"
    )
    process.status = ProcessStatus.COMPLETED
    process.completed_at = timezone.now()
    process.save()
    return process


def unit_of(town, name="社区合伙人秘书处"):
    """The town's secretariat (one per town), made when the town has none yet."""
    unit = OrgUnit.objects.filter(town=town, kind=UnitKind.SECRETARIAT).first()
    return unit or OrgUnit.objects.create(town=town, name=name, kind=UnitKind.SECRETARIAT)


def make_project(*, actor, site, town=None, responsible_unit=None, **fields):
    """A planned project on ``site`` made through the service, its details valid unless
    given. Name its origin (``process=``, ``proposal=`` or ``entry=``); the town is the
    site's and the responsible unit the town's secretariat unless given."""
    town = town or site.town
    today = timezone.localdate()
    values = {
        "title": "中心花园微更新",
        "description": "花园步道、座椅和雨水花园",
        "kind": ProjectKind.GARDEN,
        "budget": Decimal("50000.00"),
        "funding_source": "town_budget",
        "planned_start": today,
        "planned_end": today + timedelta(days=30),
    }
    values.update(fields)
    return services.create_project(
        town=town,
        actor=actor,
        site=site,
        responsible_unit=responsible_unit or unit_of(town),
        **values,
    )


def new_project(*, actor, area=None, site=None, process=None, budget="50000.00", **fields):
    """A planned project from a completed plan (made here unless given), built in the
    past: its planned dates lie 60 to 10 days ago."""
    site = site or SiteFactory(area=area, town=area.town)
    process = process or completed_process(area=site.area, actor=actor)
    today = timezone.localdate()
    values = {
        "budget": Decimal(budget),
        "contractor": "上海某园林公司",
        "planned_start": today - timedelta(days=60),
        "planned_end": today - timedelta(days=10),
    }
    values.update(fields)
    return make_project(actor=actor, site=site, process=process, **values)


def _photo(project, actor, phase, when):
    return services.add_photo(
        project=project,
        actor=actor,
        phase=phase,
        upload=jpeg_upload(f"{phase}.jpg"),
        content=f"{phase} view",
        taken_at=when,
        place=project.site.name,
        photographer="陈社工",
    )


def project_at(status, *, actor, area=None, **fields):
    """A project at ``status`` (planned, construction, completed, maintenance,
    suspended), built through the services by ``actor`` (staff of its area)."""
    project = new_project(actor=actor, area=area, **fields)
    today = timezone.localdate()
    now = timezone.now()
    if status == ProjectStatus.PLANNED:
        return project
    if status == ProjectStatus.SUSPENDED:
        return services.suspend(project=project, actor=actor, reason="等待审批", on=today)
    milestone = services.add_milestone(
        project=project,
        actor=actor,
        title="施工",
        planned_start=today - timedelta(days=40),
        planned_end=today - timedelta(days=20),
    )
    _photo(project, actor, Phase.BEFORE, now - timedelta(days=45))
    project = services.start_construction(
        project=project, actor=actor, on=today - timedelta(days=40)
    )
    if status == ProjectStatus.UNDER_CONSTRUCTION:
        return project
    services.record_milestone(
        milestone=milestone,
        actor=actor,
        actual_start=today - timedelta(days=40),
        actual_end=today - timedelta(days=15),
    )
    _photo(project, actor, Phase.AFTER, now - timedelta(days=12))
    project = services.complete_project(
        project=project,
        actor=actor,
        result="建成花园步道和座椅",
        completed_on=today - timedelta(days=14),
    )
    if status == ProjectStatus.COMPLETED:
        return project
    return services.start_maintenance(
        project=project, actor=actor, maintained_by="居民自治小组", on=today
    )


def aware(days_ago=0, hour=10):
    moment = datetime.combine(timezone.localdate() - timedelta(days=days_ago), datetime.min.time())
    return timezone.make_aware(moment.replace(hour=hour))
