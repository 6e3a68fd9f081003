from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.partners.forms import town_areas
from gongzhi.partners.models import Partner

from .models import MemberRole, OrgUnit, TeamBasis


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.profession} · {obj.area.name}"


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=60)
    basis = forms.ChoiceField(
        label=_("Formed around"), choices=TeamBasis.choices, widget=forms.RadioSelect
    )
    leader = PartnerChoiceField(
        label=_("Planning leader"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("— choose —"),
        help_text=_("For a team formed around a planning leader."),
    )
    group_name = forms.CharField(
        label=_("Planning group"),
        max_length=60,
        required=False,
        help_text=_("For a team formed around a planning group."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Residential areas (optional)"),
        queryset=town_areas(None),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("What the team does"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = (
            Partner.objects.active().filter(town=town).select_related("area").by_pinyin()
        )
        self.fields["areas"].queryset = town_areas(town)

    def clean(self):
        data = super().clean()
        if data.get("basis") == TeamBasis.LEADER and not data.get("leader"):
            self.add_error("leader", _("A team formed around a planning leader needs its leader."))
        if data.get("basis") == TeamBasis.GROUP and not data.get("group_name", "").strip():
            self.add_error(
                "group_name", _("A team formed around a planning group needs the group's name.")
            )
        return data


class AddMemberForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(town_id=unit.town_id)
