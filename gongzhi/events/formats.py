"""Writes for the formats an activity can take: partners involved (hosts, helpers,
speakers), the World Café (rounds, tables with hosts, notes, harvest) and the charity
market (stalls and what they raised).

Partners put on an activity get a Commitment for its time, so matching does not
suggest them for anything else then; taking them off removes it.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongzhi.core.access import require_perm
from gongzhi.core.errors import DomainError
from gongzhi.core.images import clean_photo
from gongzhi.core.services import claim_submission, record_event
from gongzhi.core.validators import HAPPENED
from gongzhi.partners.matching import Match, Need, nearby_areas, rank_partners
from gongzhi.partners.models import Commitment, Mode, Partner, PartnerStatus

from .models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityPhoto,
    CafeTable,
    HarvestTheme,
    MarketStall,
    PartnerRole,
    Round,
    TableNote,
    WorldCafe,
)

# A table host leads a conversation: planning and think-tank partners first.
HOST_MODES = [Mode.PLANNING, Mode.THINK_TANK]
MAX_TABLES = 30
MAX_ROUNDS = 6


# --- Partners involved --------------------------------------------------------------


@transaction.atomic
def add_activity_partner(*, activity: Activity, partner: Partner, role: str, actor):
    """Put a partner on an activity, committed for its time."""
    require_perm(actor, "events.manage_activity", activity)
    if role not in PartnerRole.values:
        raise DomainError(_("Choose a role: host, helper or speaker."))
    if partner.town_id != activity.town_id:
        raise DomainError(_("This partner belongs to another town."))
    if partner.status != PartnerStatus.ACTIVE:
        raise DomainError(_("Only an active partner can take part."))
    if ActivityPartner.objects.filter(activity=activity, partner=partner).exists():
        raise DomainError(_("%(name)s is already on this activity.") % {"name": partner.name})
    commitment = Commitment.objects.create(
        partner=partner,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        what=activity.title[:120],
    )
    try:
        with transaction.atomic():
            involved = ActivityPartner.objects.create(
                activity=activity, partner=partner, role=role, commitment=commitment, added_by=actor
            )
    except IntegrityError:
        raise DomainError(
            _("%(name)s is already on this activity.") % {"name": partner.name}
        ) from None
    record_event(
        actor=actor,
        verb="activity.add_partner",
        target=activity,
        after={"partner": partner.pk, "role": role},
    )
    return involved


@transaction.atomic
def remove_activity_partner(*, involved: ActivityPartner, actor) -> None:
    """Take a partner off an activity (and off any table they host there)."""
    require_perm(actor, "events.manage_activity", involved.activity)
    activity = involved.activity
    CafeTable.objects.filter(cafe__activity=activity, host_partner=involved.partner).update(
        host_partner=None
    )
    if involved.commitment_id:
        Commitment.objects.filter(pk=involved.commitment_id).delete()
    involved.delete()
    record_event(
        actor=actor,
        verb="activity.remove_partner",
        target=activity,
        before={"partner": involved.partner_id, "role": involved.role},
    )


def host_need(activity: Activity, *, modes=None, skills=(), exclude=()) -> Need:
    """Who could host at ``activity``: by mode and skill, near its area, free then."""
    return Need(
        town_id=activity.town_id,
        modes=list(modes if modes is not None else HOST_MODES),
        skills=list(skills),
        area_id=activity.area_id,
        nearby_area_ids=nearby_areas(activity.area),
        at=activity.starts_at,
        until=activity.ends_at,
        exclude_partner_ids=list(exclude),
    )


def suggest_hosts(activity: Activity, *, modes=None, skills=(), limit=20) -> list[Match]:
    """Ranked host suggestions; partners already on the activity are left out."""
    involved = ActivityPartner.objects.filter(activity=activity).values_list(
        "partner_id", flat=True
    )
    return rank_partners(
        host_need(activity, modes=modes, skills=skills, exclude=involved), limit=limit
    )


# --- World Café ---------------------------------------------------------------------


@transaction.atomic
def set_up_world_cafe(
    *,
    activity: Activity,
    actor,
    questions: list[str],
    tables: int,
    minutes: int = 25,
    submission_token: str | None = None,
) -> WorldCafe:
    """Create the café of a world_cafe activity: one round per question (usually
    three) and ``tables`` tables, with hosts suggested by matching where there are
    enough free partners; the organiser can change any host afterwards."""
    require_perm(actor, "events.manage_activity", activity)
    claim_submission(submission_token, user=actor)
    if activity.kind != ActivityKind.WORLD_CAFE:
        raise DomainError(_("Only a World Café activity has rounds and tables."))
    if WorldCafe.objects.filter(activity=activity).exists():
        raise DomainError(_("This World Café is already set up."))
    questions = [q.strip() for q in questions if q and q.strip()]
    if not questions:
        raise DomainError(_("Give each round a question."))
    if len(questions) > MAX_ROUNDS:
        raise DomainError(_("At most %(n)d rounds.") % {"n": MAX_ROUNDS})
    if not 1 <= tables <= MAX_TABLES:
        raise DomainError(_("Between 1 and %(n)d tables.") % {"n": MAX_TABLES})
    if not 20 <= minutes <= 30:
        raise DomainError(_("A round lasts 20 to 30 minutes."))
    try:
        # Two organisers setting it up at once: the second waits for the first's
        # row and is then told, instead of failing on the unique activity.
        with transaction.atomic():
            cafe = WorldCafe.objects.create(activity=activity)
    except IntegrityError:
        raise DomainError(_("This World Café is already set up.")) from None
    Round.objects.bulk_create(
        Round(cafe=cafe, number=n, question=q[:200], minutes=minutes)
        for n, q in enumerate(questions, start=1)
    )
    made = CafeTable.objects.bulk_create(
        CafeTable(cafe=cafe, number=n) for n in range(1, tables + 1)
    )
    hosts = [m.partner for m in suggest_hosts(activity, limit=tables)]
    for table, partner in zip(made, hosts, strict=False):
        _make_host(table, partner, actor)
    record_event(
        actor=actor,
        verb="world_cafe.set_up",
        target=activity,
        after={"rounds": len(questions), "tables": tables},
    )
    return cafe


def _make_host(table: CafeTable, partner: Partner, actor) -> None:
    if not ActivityPartner.objects.filter(activity=table.cafe.activity, partner=partner).exists():
        add_activity_partner(
            activity=table.cafe.activity, partner=partner, role=PartnerRole.HOST, actor=actor
        )
    table.host_partner = partner
    table.host_user = None
    table.save(update_fields=["host_partner", "host_user"])


@transaction.atomic
def set_table_host(*, table: CafeTable, actor, partner: Partner | None = None, user=None):
    """Give a table its host (桌长) — a partner or another person — who stays at the
    table for every round. A partner host is put on the activity as its host."""
    require_perm(actor, "events.manage_activity", table.cafe.activity)
    if partner is not None and user is not None:
        raise DomainError(_("A table has one host."))
    table = CafeTable.objects.select_for_update().select_related("cafe__activity").get(pk=table.pk)
    activity = table.cafe.activity
    previous = table.host_partner_id
    if partner is not None and previous == partner.pk:
        return table
    elsewhere = CafeTable.objects.filter(cafe=table.cafe).exclude(pk=table.pk)
    if (partner and elsewhere.filter(host_partner=partner).exists()) or (
        user and elsewhere.filter(host_user=user).exists()
    ):
        raise DomainError(_("A host stays at one table for every round."))
    table.host_partner = None
    table.host_user = None
    table.save(update_fields=["host_partner", "host_user"])
    if previous:
        # The previous host was there to host this table; they are free again.
        old = ActivityPartner.objects.filter(
            activity=activity, partner_id=previous, role=PartnerRole.HOST
        ).first()
        if old:
            remove_activity_partner(involved=old, actor=actor)
    if partner is not None:
        _make_host(table, partner, actor)
    elif user is not None:
        table.host_user = user
        table.save(update_fields=["host_user"])
    record_event(
        actor=actor,
        verb="world_cafe.host",
        target=activity,
        after={"table": table.number, "partner": getattr(partner, "pk", None)},
    )
    return table


@transaction.atomic
def record_table_note(
    *,
    table: CafeTable,
    round: Round,
    actor,
    text: str,
    photo=None,
    submission_token: str | None = None,
):
    """What a table said in a round, with an optional photo (cleaned of EXIF)."""
    require_perm(actor, "events.manage_activity", table.cafe.activity)
    claim_submission(submission_token, user=actor)
    if table.cafe_id != round.cafe_id:
        raise DomainError(_("This round belongs to another World Café."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write what the table said."))
    note = TableNote(table=table, round=round, text=text[:2000], written_by=actor)
    if photo:
        try:
            cleaned = clean_photo(photo, name="note")
        except ValidationError as error:
            raise DomainError(error.messages[0]) from None
        note.photo.save(cleaned.name, cleaned, save=False)
    note.save()
    record_event(
        actor=actor,
        verb="world_cafe.note",
        target=table.cafe,
        after={"table": table.number, "round": round.number},
    )
    return note


@transaction.atomic
def add_harvest_theme(
    *,
    cafe: WorldCafe,
    actor,
    title: str,
    summary: str = "",
    notes=(),
    submission_token: str | None = None,
):
    """One theme of the whole-room harvest (成果汇总), citing notes of this café."""
    require_perm(actor, "events.manage_activity", cafe.activity)
    claim_submission(submission_token, user=actor)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the theme a title."))
    notes = list(notes)
    if any(n.table.cafe_id != cafe.pk for n in notes):
        raise DomainError(_("A theme can only cite notes of its own World Café."))
    order = (cafe.themes.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    theme = HarvestTheme.objects.create(
        cafe=cafe, title=title[:100], summary=(summary or "").strip()[:2000], order=order
    )
    theme.notes.set(notes)
    record_event(actor=actor, verb="world_cafe.harvest", target=cafe, after={"theme": title})
    return theme


# --- Charity market -----------------------------------------------------------------


@transaction.atomic
def add_market_stall(
    *,
    activity: Activity,
    actor,
    offer: str,
    offer_kind: str,
    unit=None,
    partner: Partner | None = None,
    raised_amount: Decimal | None = None,
    items_raised: str = "",
    submission_token: str | None = None,
) -> MarketStall:
    """A stall at a charity market, run by exactly one unit or one partner."""
    require_perm(actor, "events.manage_activity", activity)
    claim_submission(submission_token, user=actor)
    if activity.kind != ActivityKind.CHARITY_MARKET:
        raise DomainError(_("Only a charity market has stalls."))
    if (unit is None) == (partner is None):
        raise DomainError(_("A stall is run either by a unit or by a partner."))
    runner = unit or partner
    if runner.town_id != activity.town_id:
        raise DomainError(_("The stall's runner belongs to another town."))
    if raised_amount is not None and raised_amount < 0:
        raise DomainError(_("Funds raised cannot be negative."))
    stall = MarketStall(
        activity=activity,
        unit=unit,
        partner=partner,
        offer=(offer or "").strip(),
        offer_kind=offer_kind,
        raised_amount=raised_amount,
        items_raised=(items_raised or "").strip(),
    )
    try:
        stall.full_clean()
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    stall.save()
    record_event(actor=actor, verb="market.stall", target=activity, after={"offer": stall.offer})
    return stall


@transaction.atomic
def record_stall_raised(
    *, stall: MarketStall, actor, raised_amount: Decimal | None, items_raised: str = ""
) -> MarketStall:
    """What a stall raised: funds (yuan), items, or both; empty when nothing."""
    require_perm(actor, "events.manage_activity", stall.activity)
    if raised_amount is not None and raised_amount < 0:
        raise DomainError(_("Funds raised cannot be negative."))
    before = {"raised": stall.raised_amount, "items": stall.items_raised}
    stall.raised_amount = raised_amount
    stall.items_raised = (items_raised or "").strip()[:200]
    stall.save(update_fields=["raised_amount", "items_raised", "updated_at"])
    record_event(
        actor=actor,
        verb="market.raised",
        target=stall.activity,
        before=before,
        after={"raised": raised_amount, "items": stall.items_raised},
    )
    return stall


# --- Activity photos ----------------------------------------------------------------


@transaction.atomic
def add_activity_photo(
    *,
    activity: Activity,
    actor,
    image,
    content: str,
    taken_at,
    place: str,
    people: str,
    photographer: str,
    submission_token: str | None = None,
) -> ActivityPhoto:
    """A photo with its ledger facts; the image is checked and re-encoded (no EXIF)."""
    require_perm(actor, "events.manage_activity", activity)
    claim_submission(submission_token, user=actor)
    try:
        cleaned = clean_photo(image, name="activity")
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    if not content.strip() or not place.strip() or not photographer.strip():
        raise DomainError(_("Say what the photo shows, where, and who took it."))
    # A slip such as year 0001 or 9999 is refused, as for every photo's time.
    taken_at = HAPPENED.check(taken_at, label=_("When the photo was taken"))
    photo = ActivityPhoto(
        activity=activity,
        content=content.strip(),
        taken_at=taken_at,
        place=place.strip(),
        people=people.strip(),
        photographer=photographer.strip(),
        uploaded_by=actor,
    )
    photo.image.save(cleaned.name.replace("note.", "photo."), cleaned, save=False)
    photo.save()
    record_event(actor=actor, verb="activity.photo", target=activity, after={"photo": photo.pk})
    return photo
