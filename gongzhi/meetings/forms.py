"""Forms of the meetings pages. They only read input; the rules are in services.py."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.accounts.forms import PhoneField
from gongzhi.core.validators import PLANNED
from gongzhi.organisations.models import OrgUnit
from gongzhi.places.forms import area_choice, offer_areas, town_areas
from gongzhi.proposals.models import OPEN_STATUSES, Proposal, ProposalStatus
from gongzhi.venues.forms import chosen_venue, offer_venues

from .models import (
    MINUTES_MAX,
    MOTION_MAX,
    ActionStatus,
    Choice,
    DecisionRule,
    MeetingKind,
    Party,
    Stance,
    VoteMode,
)
from .services import MAX_FLOOR_AREA, MAX_OWNERS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTHS = [(str(m), str(m)) for m in range(1, 13)]


class MeetingFilterForm(forms.Form):
    area = area_choice(_("All areas"))
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    month = forms.ChoiceField(label=_("Month"), required=False)

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        self.fields["area"].queryset = town_areas(town)
        self.fields["kind"].choices = any_ + list(MeetingKind.choices)
        self.fields["month"].choices = any_ + MONTHS


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    area = area_choice(_("Town-wide"))
    organiser = forms.ModelChoiceField(
        label=_("Organising unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("The area's residents' committee"),
    )
    venue = forms.CharField(
        label=_("Venue"),
        max_length=100,
        help_text=_("A named place, e.g. the deliberation hall."),
    )
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    member_count = forms.IntegerField(
        label=_("Members or delegates"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("For the quorum: more than half must be present. Empty: the invitees count."),
    )
    decision_rule = forms.ChoiceField(
        label=_("Decision rule"), choices=DecisionRule.choices, initial=DecisionRule.MAJORITY
    )
    second_required = forms.BooleanField(
        label=_("A motion needs a second"), required=False, initial=True
    )
    speech_minutes = forms.IntegerField(
        label=_("Minutes per speech"), min_value=1, max_value=30, initial=2
    )
    speeches_per_person = forms.IntegerField(
        label=_("Speeches per person per motion"), min_value=1, max_value=10, initial=2
    )

    def __init__(self, *args, town, areas=None, town_wide=True, venues=(), **kwargs):
        """``town_wide``: whether the user may schedule a town-wide meeting (the
        secretariat); area staff must choose one of their areas. ``venues``: the
        register's venues the user may book (venues.queries)."""
        super().__init__(*args, **kwargs)
        offer_areas(self, areas if areas is not None else town_areas(town), town_wide=town_wide)
        self.fields["organiser"].queryset = OrgUnit.objects.filter(town=town).order_by(
            "kind", "name_sort", "name"
        )
        offer_venues(self, venues)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        chosen_venue(self, data)
        return data


class AgendaForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"),
        max_length=100,
        required=False,
        help_text=_("Empty when citing a proposal: its title is used."),
    )
    proposal = forms.ModelChoiceField(
        label=_("Cite a proposal"),
        queryset=Proposal.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        proposals = Proposal.objects.filter(
            town_id=meeting.town_id, status__in=[*OPEN_STATUSES, ProposalStatus.ADOPTED]
        ).exclude(agenda_items__meeting=meeting)
        if meeting.area_id:
            proposals = proposals.filter(area_id=meeting.area_id)
        self.fields["proposal"].queryset = proposals.order_by("-created_at", "-pk")

    def clean(self):
        data = super().clean()
        if not data.get("title", "").strip() and not data.get("proposal"):
            raise forms.ValidationError(_("Give a topic or cite a proposal."))
        return data


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices, initial=Party.RESIDENT)
    phone = PhoneField(
        label=_("Mobile number of their account (optional)"),
        required=False,
        help_text=_(
            "With an account registered in this town the resident can sign themself in "
            "on their phone."
        ),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting

    def clean(self):
        """The account is looked up among those registered in the meeting's town
        only, and its name is never shown: staff type the name they know."""
        data = super().clean()
        phone = data.get("phone")
        data["user"] = None
        if phone:
            user = (
                get_user_model()
                .objects.filter(
                    phone=phone,
                    is_active=True,
                    residential_area__town_id=self.meeting.town_id,
                )
                .first()
            )
            if user is None:
                self.add_error(
                    "phone", _("No account registered in this town has this mobile number.")
                )
            data["user"] = user
        return data


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices, initial=Party.RESIDENT)


class PartyForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=[])
    present = forms.TypedChoiceField(
        label=_("Present"),
        choices=[("1", _("Present")), ("0", _("Absent"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Representative or reason for absence"), max_length=100, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [
            (p, label) for p, label in Party.choices if p in Party.joint_parties()
        ]


class MotionForm(forms.Form):
    text = forms.CharField(
        label=_("Motion"), max_length=MOTION_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    mover = forms.ModelChoiceField(label=_("Moved by"), queryset=None, empty_label=None)
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"), queryset=None, required=False, empty_label=_("— none —")
    )
    vote_mode = forms.ChoiceField(
        label=_("Votes recorded"), choices=VoteMode.choices, initial=VoteMode.BY_NAME
    )

    def __init__(self, *args, meeting, present, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mover"].queryset = present
        self.fields["agenda_item"].queryset = meeting.agenda.all()


class SecondForm(forms.Form):
    seconder = forms.ModelChoiceField(label=_("Seconded by"), queryset=None, empty_label=None)

    def __init__(self, *args, present, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seconder"].queryset = present


class SpeechForm(forms.Form):
    attendee = forms.ModelChoiceField(
        label=pgettext_lazy("meeting", "Speaker"), queryset=None, empty_label=None
    )
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.choices)
    seconds = forms.IntegerField(
        label=_("Seconds spoken"),
        min_value=0,
        max_value=3600,
        initial=0,
        help_text=_("The timer fills this in when stopped; type it without the timer."),
    )

    def __init__(self, *args, present, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendee"].queryset = present
        self.fields["seconds"].widget.attrs.update(
            {"inputmode": "numeric", "data-timer-seconds": ""}
        )


class CountsForm(forms.Form):
    yes = forms.IntegerField(label=pgettext_lazy("vote", "Yes"), min_value=0, max_value=100_000)
    no = forms.IntegerField(label=pgettext_lazy("vote", "No"), min_value=0, max_value=100_000)
    abstain = forms.IntegerField(
        label=pgettext_lazy("vote", "Abstain"), min_value=0, max_value=100_000, initial=0
    )


def _area_field(label):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=MAX_FLOOR_AREA,
        max_digits=12,
        decimal_places=2,
    )


def _owners_field(label):
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_OWNERS)


class OwnersForm(forms.Form):
    total_area = _area_field(_("Total floor area (m²)"))
    total_owners = _owners_field(_("Total owners"))
    participating_area = _area_field(_("Participating floor area (m²)"))
    participating_owners = _owners_field(_("Participating owners"))
    yes_area = _area_field(_("Floor area voting yes (m²)"))
    yes_owners = _owners_field(_("Owners voting yes"))


class DecideForm(forms.Form):
    declared = forms.ChoiceField(
        label=_("The chair declares"),
        choices=[("passed", _("Passed")), ("failed", _("Failed"))],
        widget=forms.RadioSelect,
    )


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("meeting record", "Minutes"),
        max_length=MINUTES_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class ActionItemForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner_name = forms.CharField(
        label=pgettext_lazy("action item", "Owner"),
        max_length=60,
        help_text=_("A person, a party or a unit."),
    )
    owner_unit = forms.ModelChoiceField(
        label=_("Owning unit"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("No unit"),
    )
    due_on = forms.DateField(
        label=pgettext_lazy("action item", "Due"), widget=DATE, validators=[PLANNED]
    )
    motion = forms.ModelChoiceField(
        label=_("Motion"), queryset=None, required=False, empty_label=_("— none —")
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = OrgUnit.objects.filter(
            town_id=meeting.town_id
        ).order_by("kind", "name_sort", "name")
        self.fields["motion"].queryset = meeting.motions.all()


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=200,
        help_text=_("Kept in the meeting's record. A meeting that took decisions stays."),
    )


class ActionStatusForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class AdoptForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("Topic"),
        max_length=100,
        required=False,
        help_text=_("Empty: the proposal's title."),
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


VOTE_CHOICES = [("", _("Not voted")), *Choice.choices]
