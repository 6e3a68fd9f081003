"""One masking of public text: names and mobile numbers on public meeting pages."""

from datetime import timedelta

from django.utils import timezone

from gongzhi.meetings import minutes, services
from gongzhi.meetings.models import (
    MeetingKind,
    Party,
)

from .builders import make_meeting, manage_url, seconded_motion, sign_in_people, text

# --- 5. One masking of public text --------------------------------------------------


def test_public_text_masks_names_and_mobile_numbers():
    masked = minutes.public_text("王小明（13812345678）发言；工单号 213812345678901。", ["王小明"])
    assert masked == "王**（138****5678）发言；工单号 213812345678901。"


def test_public_meeting_page_masks_every_text_staff_typed(client_for, town, area_a, staff):
    meeting = make_meeting(
        town=town, area=area_a, actor=staff, kind=MeetingKind.JOINT, member_count=3
    )
    people = sign_in_people(meeting, staff, ["王小明", "张三丰"])
    item = services.add_agenda_item(meeting=meeting, actor=staff, title="王小明反映的漏水问题")
    services.record_party(
        meeting=meeting,
        actor=staff,
        party=Party.OWNERS_COMMITTEE,
        present=True,
        note="代表张三丰 13812345678",
    )
    seconded_motion(meeting, staff, people, text="同意王小明的方案", agenda_item=item)
    services.add_action_item(
        meeting=meeting,
        actor=staff,
        title="张三丰联系物业",
        owner_name="王小明 13912345678",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    public = text(client_for("anonymous").get(meeting.get_absolute_url()))
    for full in ("王小明", "张三丰", "13812345678", "13912345678"):
        assert full not in public
    assert "王**反映的漏水问题" in public and "同意王**的方案" in public
    assert "张**联系物业" in public and "138****5678" in public
    area_page = text(client_for("anonymous").get(area_a.get_absolute_url()))
    assert "张**联系物业" in area_page and "张三丰" not in area_page
    assert "139****5678" in area_page
    # staff keep the full text
    staff_page = text(client_for("area_staff").get(manage_url(meeting)))
    assert "王小明反映的漏水问题" in staff_page and "张三丰联系物业" in staff_page
