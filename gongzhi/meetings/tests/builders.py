"""Building meetings for tests, through the services: a meeting under way, a joint
meeting with its three parties, a motion carried to a decision."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from gongzhi.meetings import services
from gongzhi.meetings.models import Choice, MeetingKind, Party


def make_meeting(*, town, area, actor, **fields):
    """A meeting that started half an hour ago (sign-in is open)."""
    now = timezone.now()
    values = {
        "kind": MeetingKind.SELF_GOVERNANCE,
        "title": "逸景佳苑自治会议",
        "venue": "逸致议事厅",
        "starts_at": now - timedelta(minutes=30),
        "ends_at": now + timedelta(minutes=90),
        "area": area,
    }
    values.update(fields)
    return services.create_meeting(town=town, actor=actor, **values)


def sign_in_people(meeting, actor, names, party=Party.RESIDENT):
    """Invite and sign in each name; returns the attendees in order."""
    people = []
    for name in names:
        person = services.invite(meeting=meeting, actor=actor, name=name, party=party)
        people.append(services.sign_in(meeting=meeting, actor=actor, attendee=person))
    return people


def seconded_motion(meeting, actor, people, text="增设非机动车充电桩", **kwargs):
    motion = services.move_motion(
        meeting=meeting, actor=actor, text=text, mover=people[0], **kwargs
    )
    if meeting.second_required:
        motion = services.second_motion(motion=motion, actor=actor, seconder=people[1])
    return motion


def add_action(meeting, actor, **fields):
    """An action item of ``meeting`` for the property company, due today unless given."""
    values = {"title": "联系物业", "owner_name": "物业", "due_on": timezone.localdate()}
    values.update(fields)
    return services.add_action_item(meeting=meeting, actor=actor, **values)


def decided_meeting(*, town, area, actor, organiser=None, approve=True, **fields):
    """A quorate meeting (3 members, 3 present) with a motion passed 2–1, an action
    item and, when ``approve``, approved minutes naming the attendees."""
    meeting = make_meeting(
        town=town, area=area, actor=actor, organiser=organiser, member_count=3, **fields
    )
    people = sign_in_people(meeting, actor, ["王小明", "张三丰", "李四"])
    item = services.add_agenda_item(meeting=meeting, actor=actor, title="充电桩选址")
    motion = seconded_motion(meeting, actor, people, agenda_item=item)
    for person, choice in zip(people, [Choice.YES, Choice.YES, Choice.NO], strict=True):
        services.cast_vote(motion=motion, actor=actor, attendee=person, choice=choice)
    motion = services.decide_motion(motion=motion, actor=actor)
    action = services.add_action_item(
        meeting=meeting,
        actor=actor,
        title="联系物业报价",
        owner_name="王小明",
        owner_unit=organiser,
        due_on=timezone.localdate() + timedelta(days=14),
        motion=motion,
    )
    services.save_minutes(meeting=meeting, actor=actor, body="王小明动议，张三丰附议；表决通过。")
    if approve:
        services.approve_minutes(meeting=meeting, actor=actor)
    return {"meeting": meeting, "people": people, "motion": motion, "action": action}


def manage_url(meeting, action="manage"):
    """The manage page, or with ``action`` the URL its form of that name posts to."""
    return reverse(f"meetings:{action}", args=[meeting.town.slug, meeting.pk])


def motion_url(motion, action="motion"):
    """The motion page, or with ``action`` the URL its form of that name posts to."""
    args = [motion.meeting.town.slug, motion.meeting_id, motion.pk]
    return reverse(f"meetings:{action}", args=args)


def text(response):
    return response.content.decode()
