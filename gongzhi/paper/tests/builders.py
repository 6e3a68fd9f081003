"""What the paper tests record on: plans at their notice, consultation and design
steps, and the form a staff member fills in."""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from gongzhi.paper.kinds import KINDS
from gongzhi.paper.services import record_from_paper
from gongzhi.planning import evidence_services as ev
from gongzhi.planning.tests.builders import draft, jump_to, pdf, publish_notice, start

PAPER = {"name": "王秀英（12号楼）", "phone": "", "reference": "YJ-2026-012", "consent": "on"}


def plan_with_drafts(*, town, area, people):
    process = start(town, area, people["secretariat"])
    jump_to(process, 3)
    first = draft(process, people["area_staff"])
    draft(process, people["area_staff"], file=pdf("二"), title="方案二")
    return process, first


def plan_at_notice(*, town, area, people):
    process, first = plan_with_drafts(town=town, area=area, people=people)
    jump_to(process, 11)
    publish_notice(process=process, actor=people["area_staff"], draft=first)
    return process


def plan_in_consultation(*, town, area, people):
    process, first = plan_with_drafts(town=town, area=area, people=people)
    jump_to(process, 8)
    now = timezone.now()
    ev.open_consultation(
        process=process,
        actor=people["area_staff"],
        draft=first,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=7),
    )
    return process


def plan_in_design(*, town, area, people):
    process, _first = plan_with_drafts(town=town, area=area, people=people)
    jump_to(process, 4)
    return process


def paper_form(area, **fields) -> dict:
    """The POST of a record page: who wrote the paper and its reference."""
    return {**PAPER, "area": area.pk, **fields}


def paper_photo(name="paper.png") -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 200, 200)).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=name)


def paper_registration(activity, staff, area):
    """A sign-up recorded from paper, with the paper's photo."""
    return record_from_paper(
        kind=KINDS["registration"], target=activity, actor=staff, area=area,
        name="王秀英（12号楼）", reference="YJ-2026-001", photo=paper_photo(),
    )  # fmt: skip
