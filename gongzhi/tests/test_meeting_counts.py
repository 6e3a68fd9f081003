"""A meeting's recorded counts read the same on its public page as on the staff page:
both come from meetings.services.attendance (issue 14, point 4)."""

from django.urls import reverse

from gongzhi.meetings import services
from gongzhi.meetings.tests.builders import make_meeting, sign_in_people


def test_the_member_count_staff_recorded_shows_on_the_public_page(
    english_client_for, people, town, area_a
):
    staff = people["secretariat"]
    meeting = make_meeting(town=town, area=area_a, actor=staff, member_count=9)
    sign_in_people(meeting, staff, ["张建国", "李秀英", "王小明", "赵丽华"])
    services.invite(meeting=meeting, actor=staff, name="陈志强")

    staff_page = (
        english_client_for("secretariat")
        .get(reverse("meetings:manage", args=[town.slug, meeting.pk]))
        .content.decode()
    )
    public_page = english_client_for("resident").get(meeting.get_absolute_url()).content.decode()
    anonymous_page = (
        english_client_for("anonymous").get(meeting.get_absolute_url()).content.decode()
    )
    figures = services.attendance(meeting)
    assert (figures.invited, figures.present, figures.members) == (5, 4, 9)
    assert figures.quorum_text == "4 present of 9 members (more than half needed)."
    for page in (staff_page, public_page, anonymous_page):
        assert "5 invited · 4 present" in page
        assert figures.quorum_text in page
        assert "Not quorate" in page

    # Staff correct the number of members: both pages follow.
    meeting.member_count = 7
    meeting.save()
    staff_page = (
        english_client_for("secretariat")
        .get(reverse("meetings:manage", args=[town.slug, meeting.pk]))
        .content.decode()
    )
    public_page = english_client_for("resident").get(meeting.get_absolute_url()).content.decode()
    for page in (staff_page, public_page):
        assert "4 present of 7 members (more than half needed)." in page
        assert "Quorate" in page


def test_the_list_counts_the_same_people_present(english_client_for, people, town, area_a):
    staff = people["secretariat"]
    meeting = make_meeting(town=town, area=area_a, actor=staff, member_count=9)
    sign_in_people(meeting, staff, ["张建国", "李秀英", "王小明"])
    listing = english_client_for("anonymous").get(
        reverse("meetings:meeting_list", args=[town.slug])
    )
    assert "3 present" in listing.content.decode()
    assert services.attendance(meeting).present == 3
