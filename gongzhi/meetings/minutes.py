"""Public text of meetings: the names of the people on a meeting's list masked
(张三 → 张**) and mainland mobile numbers masked (138****1234), since minutes,
motions, agenda topics, party notes and action items are published to every
resident. Staff pages show the full text."""

import re

from gongzhi.core.masking import mask_name, mask_phone

# An 11-digit mainland mobile number, not part of a longer run of digits.
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def public_text(body: str, names) -> str:
    """Mask every occurrence of each name in ``body``, and every mobile number.
    Longer names are replaced first, so that 王小明 is masked whole even when 王小
    is also on the list."""
    body = MOBILE.sub(lambda m: mask_phone(m.group(0)), body or "")
    names = sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True)
    if not names:
        return body
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return pattern.sub(lambda m: mask_name(m.group(0)), body)


def names_by_meeting(meeting_ids) -> dict[int, list[str]]:
    """The names on each meeting's list, in one query."""
    from .models import Attendee

    names: dict[int, list[str]] = {}
    rows = Attendee.objects.filter(meeting_id__in=set(meeting_ids)).values_list(
        "meeting_id", "name"
    )
    for meeting_id, name in rows:
        names.setdefault(meeting_id, []).append(name)
    return names


def mask_public(rows, *fields: str, names: dict[int, list[str]] | None = None):
    """Mask, in place, the text ``fields`` of each row (agenda items, motions, party
    records, action items: anything with a ``meeting_id``) with the names of its
    meeting's list; the names are read in one query unless given. The rows are for
    display only: never save them."""
    rows = [row for row in rows if row is not None]
    if names is None:
        names = names_by_meeting(row.meeting_id for row in rows)
    for row in rows:
        for field in fields:
            setattr(row, field, public_text(getattr(row, field), names.get(row.meeting_id, [])))
    return rows
