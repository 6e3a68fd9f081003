"""Building partner applications for tests (also used by the permission matrix and
the accounts tests), through the service."""

from gongzhi.partners import services


def make_application(*, town, area, user=None, **fields):
    """A partner application to ``town``, its details valid unless given: a teacher of
    ``area`` applying for education. With ``user``, it is that signed-in person's, under
    their phone number."""
    values = {
        "phone": user.phone if user else "13966667777",
        "password": None,
        "name": "王老师",
        "profession": "教师",
        "skills": ["儿童教育"],
        "modes": ["education"],
        "party_status": "none",
        "availability": ["weekend_day"],
        "consent": True,
    }
    values.update(fields)
    return services.submit_application(town=town, area=area, user=user, **values)
