"""Meetings and the decisions they take, on record.

A meeting (self-governance 自治会议, joint 联席会, deliberation 议事会, the "三会"
hearing / coordination / evaluation, committee and team meetings) has an agenda
whose items may cite proposals, invitees and attendees (for a joint meeting, each of
the three parties present or absent), motions with mover and seconder, speeches,
votes, minutes and action items.

A decision is the recorded outcome of a motion: its text, the votes and whether it
passed, computed by ``decisions.py`` from the meeting's rules (quorum and threshold).
Meetings are a building block: the planning capability (above this app) links a
joint meeting to a step and reads its motions' outcomes; nothing here knows about
planning, so ``Motion.text``, ``Motion.result`` and ``Motion.decided_at`` are the
stable interface.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.fields import area_link, person_link, town_link
from gongzhi.core.models import TimeStampedModel
from gongzhi.core.scope import Scoped

MOTION_MAX = 1000
MINUTES_MAX = 20000


class MeetingKind(models.TextChoices):
    SELF_GOVERNANCE = "self_governance", _("Self-governance meeting")
    JOINT = "joint", pgettext_lazy("meeting kind", "Joint meeting")
    DELIBERATION = "deliberation", _("Deliberation meeting")
    HEARING = "hearing", _("Hearing")
    COORDINATION = "coordination", _("Coordination meeting")
    EVALUATION = "evaluation", _("Evaluation meeting")
    COMMITTEE = "committee", _("Committee meeting")
    TEAM = "team", _("Team meeting")


class Party(models.TextChoices):
    """The three parties of a joint meeting, and everyone else."""

    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    PROPERTY_COMPANY = "property_company", _("Property company")
    RESIDENT = "resident", _("Resident")
    OTHER = "other", pgettext_lazy("party", "Other")

    @classmethod
    def joint_parties(cls) -> list[str]:
        return [cls.RESIDENTS_COMMITTEE, cls.OWNERS_COMMITTEE, cls.PROPERTY_COMPANY]


class DecisionRule(models.TextChoices):
    """How a motion's votes decide it (DOMAIN.md "Meetings and decisions")."""

    MAJORITY = "majority", _("More yes than no among those voting (a tie fails)")
    OWNERS_ORDINARY = (
        "owners_ordinary",
        _("Owners' ordinary item: 2/3 take part; more than half of participating area and owners"),
    )
    OWNERS_MAJOR = (
        "owners_major",
        _("Owners' major item: 2/3 take part; 3/4 of participating area and owners"),
    )


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


# The moves services.py allows: a scheduled meeting is held (its minutes approved) or
# cancelled; both are final, so its record stays as it was decided.
MEETING_TRANSITIONS: dict[str, set[str]] = {
    MeetingStatus.SCHEDULED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: set(),
    MeetingStatus.CANCELLED: set(),
}


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=MeetingStatus.CANCELLED)

    def with_counts(self):
        """Annotate attendees present, motions and decided motions, counted from
        their rows. Each count is its own subquery on its meeting: joining attendees
        and motions in one query would multiply them over the whole town."""

        def count(model, **filters):
            return Coalesce(
                Subquery(
                    model.objects.filter(meeting=OuterRef("pk"), **filters)
                    .order_by()
                    .values("meeting")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )

        return self.annotate(
            present_count=count(Attendee, present=True),
            motion_count=count(Motion),
            decided_count=count(Motion, status=MotionStatus.DECIDED),
        )


class Meeting(Scoped, TimeStampedModel):
    town = town_link(related_name="meetings")
    area = area_link(
        related_name="meetings", optional=True, help_text=_("Empty for a town-wide meeting.")
    )
    organiser = models.ForeignKey(
        "organisations.OrgUnit",
        verbose_name=_("organising unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("Empty when the residents' committee of the area convenes it."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=100)
    venue = models.CharField(
        _("venue"), max_length=100, help_text=_("A named place, e.g. the deliberation hall.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    # Rules of order (DOMAIN.md); the defaults are the town's usual ones.
    member_count = models.PositiveIntegerField(
        _("members or delegates"),
        null=True,
        blank=True,
        help_text=_("For the quorum: more than half must be present. Empty: the invitees count."),
    )
    decision_rule = models.CharField(
        _("decision rule"),
        max_length=20,
        choices=DecisionRule.choices,
        default=DecisionRule.MAJORITY,
    )
    second_required = models.BooleanField(_("a motion needs a second"), default=True)
    speech_minutes = models.PositiveSmallIntegerField(
        _("minutes per speech"), default=2, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    speeches_per_person = models.PositiveSmallIntegerField(
        _("speeches per person per motion"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    created_by = person_link(_("created by"))

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["town", "-starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(speech_minutes__gte=1) & Q(speeches_per_person__gte=1),
                name="meeting_speech_rules_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:meeting", args=[self.town.slug, self.pk])

    @property
    def is_joint(self) -> bool:
        return self.kind == MeetingKind.JOINT


class AgendaItem(Scoped, models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("topic"), max_length=100)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_unique"),
            models.UniqueConstraint(
                fields=["meeting", "proposal"],
                condition=Q(proposal__isnull=False),
                name="agenda_cites_proposal_once",
            ),
        ]

    def __str__(self):
        return self.title

    scope_parent = "meeting"


class Attendee(Scoped, models.Model):
    """Someone invited to or present at a meeting: a resident's account, or a name
    only (a property company's manager need not have an account)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendees"
    )
    user = person_link(_("account"), related_name="meeting_attendances", optional=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=40)
    party = models.CharField(
        _("party"), max_length=24, choices=Party.choices, default=Party.RESIDENT
    )
    invited = models.BooleanField(_("invited"), default=True)
    present = models.BooleanField(_("present"), default=False)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["party", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False),
                name="attendee_once_per_meeting",
            ),
            models.CheckConstraint(
                condition=Q(present=False) | Q(signed_in_at__isnull=False),
                name="attendee_present_has_sign_in",
            ),
        ]

    def __str__(self):
        return self.name

    scope_parent = "meeting"


class PartyPresence(models.Model):
    """A joint meeting's record of each party: present (with who represented it) or
    absent (with the reason given)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="parties"
    )
    party = models.CharField(_("party"), max_length=24, choices=Party.choices)
    present = models.BooleanField(_("present"))
    note = models.CharField(_("representative or reason for absence"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("party presence")
        verbose_name_plural = _("party presences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "party"], name="party_recorded_once"),
            models.CheckConstraint(
                condition=Q(
                    party__in=["residents_committee", "owners_committee", "property_company"]
                ),
                name="party_presence_joint_party",
            ),
        ]

    def __str__(self):
        return self.party


class VoteMode(models.TextChoices):
    BY_NAME = "by_name", _("By name")
    COUNTS = "counts", _("As counts")


class MotionStatus(models.TextChoices):
    MOVED = "moved", _("Moved, awaiting a second")
    OPEN = "open", _("Under debate")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The moves services.py allows: a second opens debate (a meeting without the rule of a
# second moves motions straight to open); an open motion is decided; until then the
# mover may withdraw it. Decided and withdrawn are final.
MOTION_TRANSITIONS: dict[str, set[str]] = {
    MotionStatus.MOVED: {MotionStatus.OPEN, MotionStatus.WITHDRAWN},
    MotionStatus.OPEN: {MotionStatus.DECIDED, MotionStatus.WITHDRAWN},
    MotionStatus.DECIDED: set(),
    MotionStatus.WITHDRAWN: set(),
}


class MotionResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class MotionQuerySet(models.QuerySet):
    def decided(self):
        return self.filter(status=MotionStatus.DECIDED)

    def passed(self):
        return self.filter(status=MotionStatus.DECIDED, result=MotionResult.PASSED)


class Motion(Scoped, models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="motions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="motions",
    )
    text = models.TextField(_("motion"), max_length=MOTION_MAX)
    mover = models.ForeignKey(
        Attendee, verbose_name=_("moved by"), on_delete=models.PROTECT, related_name="+"
    )
    seconder = models.ForeignKey(
        Attendee,
        verbose_name=_("seconded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MotionStatus.choices, default=MotionStatus.MOVED
    )
    vote_mode = models.CharField(
        _("votes recorded"), max_length=10, choices=VoteMode.choices, default=VoteMode.BY_NAME
    )
    # Counts when votes are recorded as counts; by-name votes are Vote rows.
    yes_count = models.PositiveIntegerField(
        pgettext_lazy("vote count", "yes"), null=True, blank=True
    )
    no_count = models.PositiveIntegerField(pgettext_lazy("vote count", "no"), null=True, blank=True)
    abstain_count = models.PositiveIntegerField(
        pgettext_lazy("vote count", "abstain"), null=True, blank=True
    )
    # Owners' decisions (Civil Code art. 278) count floor area and headcount.
    total_area = models.DecimalField(
        _("total floor area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    total_owners = models.PositiveIntegerField(_("total owners"), null=True, blank=True)
    participating_area = models.DecimalField(
        _("participating floor area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    participating_owners = models.PositiveIntegerField(
        _("participating owners"), null=True, blank=True
    )
    yes_area = models.DecimalField(
        _("floor area voting yes (m²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    yes_owners = models.PositiveIntegerField(_("owners voting yes"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=10, choices=MotionResult.choices, blank=True, default=""
    )
    # Why it passed or failed, in words, as computed from the rule when decided.
    result_explanation = models.CharField(_("explanation"), max_length=300, blank=True)
    decided_at = models.DateTimeField(pgettext_lazy("motion", "decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("moved at"), auto_now_add=True)

    objects = MotionQuerySet.as_manager()

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="decided") & ~Q(result="") & Q(decided_at__isnull=False))
                | (~Q(status="decided") & Q(result="")),
                name="motion_result_iff_decided",
            ),
            models.CheckConstraint(
                condition=Q(seconder__isnull=True) | ~Q(seconder=models.F("mover")),
                name="motion_seconder_not_mover",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    scope_parent = "meeting"

    @property
    def passed(self) -> bool | None:
        """True or False once decided; None before."""
        if self.status != MotionStatus.DECIDED:
            return None
        return self.result == MotionResult.PASSED


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    motion = models.ForeignKey(
        Motion, verbose_name=_("motion"), on_delete=models.CASCADE, related_name="votes"
    )
    attendee = models.ForeignKey(
        Attendee, verbose_name=_("voter"), on_delete=models.PROTECT, related_name="votes"
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["motion", "attendee"], name="one_vote_per_attendee")
        ]

    def __str__(self):
        return self.choice


class Stance(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    NEUTRAL = "neutral", _("Neutral / question")


class Speech(models.Model):
    """One speaking turn on a motion, with the stance stated (rules of order)."""

    motion = models.ForeignKey(
        Motion, verbose_name=_("motion"), on_delete=models.CASCADE, related_name="speeches"
    )
    attendee = models.ForeignKey(
        Attendee, verbose_name=_("speaker"), on_delete=models.PROTECT, related_name="speeches"
    )
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    seconds = models.PositiveIntegerField(_("seconds spoken"), default=0)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.attendee_id}: {self.stance}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", pgettext_lazy("minutes", "Approved")


class Minutes(Scoped, TimeStampedModel):
    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    body = models.TextField(pgettext_lazy("meeting record", "minutes"), max_length=MINUTES_MAX)
    status = models.CharField(
        _("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = person_link(_("approved by"), optional=True)

    class Meta:
        verbose_name = pgettext_lazy("meeting record", "minutes")
        verbose_name_plural = pgettext_lazy("meeting record", "minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_at__isnull=False),
                name="minutes_approved_has_time",
            )
        ]

    def __str__(self):
        return str(self.meeting)

    scope_parent = "meeting"

    @property
    def is_approved(self) -> bool:
        return self.status == MinutesStatus.APPROVED


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action item", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItemQuerySet(models.QuerySet):
    def outstanding(self):
        return self.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])


class ActionItem(Scoped, TimeStampedModel):
    """A follow-up agreed at a meeting: who does what by when."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    motion = models.ForeignKey(
        Motion,
        verbose_name=_("motion"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    title = models.CharField(_("action"), max_length=200)
    owner_name = models.CharField(
        _("owner"), max_length=60, help_text=_("A person, a party or a unit.")
    )
    owner_unit = models.ForeignKey(
        "organisations.OrgUnit",
        verbose_name=_("owning unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    due_on = models.DateField(pgettext_lazy("action item", "due"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title

    scope_parent = "meeting"
