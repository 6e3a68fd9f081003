"""Forms of the proposal pages. They check the shape of the input; the rules (whose
area, which status, photo contents) stay in services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.places.forms import area_choice
from gongzhi.places.models import ResidentialArea, Site

from .models import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    REASON_MAX,
    TITLE_MAX,
    Category,
    Proposal,
    ProposalStatus,
)
from .services import MAX_PHOTOS

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class Sort:
    SUPPORTS = "supports"
    NEWEST = "newest"
    ACTIVE = "active"
    CHOICES = [
        (NEWEST, _("Newest")),
        (SUPPORTS, _("Most supported")),
        (ACTIVE, _("Recently active")),
    ]
    ORDER = {
        SUPPORTS: ["-support_count", "-created_at", "-pk"],
        NEWEST: ["-created_at", "-pk"],
        ACTIVE: ["-last_activity_at", "-pk"],
    }


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search titles"), required=False, max_length=40)
    area = area_choice(_("All areas"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=Sort.CHOICES)

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        self.fields["area"].queryset = ResidentialArea.objects.choices_in(town)
        self.fields["status"].choices = any_ + list(ProposalStatus.choices)
        self.fields["category"].choices = any_ + list(Category.choices)


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to six photos at once. Their contents are checked (and re-encoded without
    location data) by services.submit_proposal."""

    widget = MultiplePhotoInput(attrs={"accept": PHOTO_ACCEPT})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("Add at most %(n)d photos.") % {"n": MAX_PHOTOS}, code="too_many"
            )
        return [super(PhotosField, self).clean(file, initial) for file in files]


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=pgettext_lazy("proposal description", "Description"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What should change, where, and why it matters to your neighbours."),
    )
    area = area_choice(_("Choose…"), required=True)
    site = forms.ModelChoiceField(
        label=_("Site (optional)"),
        queryset=Site.objects.none(),
        required=False,
        empty_label=_("No particular site"),
        help_text=_("A site of the residential area chosen above."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("Up to 6 photos (JPEG, PNG or WebP). Location data is removed."),
    )

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ResidentialArea.objects.choices_in(town)
        self.fields["site"].queryset = (
            Site.objects.filter(town=town).select_related("area").order_by("area__code", "name")
        )
        self.fields["site"].label_from_instance = lambda site: f"{site.area.name} · {site.name}"

    def clean(self):
        data = super().clean()
        area, site = data.get("area"), data.get("site")
        if area is not None and site is not None and site.area_id != area.pk:
            self.add_error("site", _("The site must be in the chosen residential area."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )


class ReasonForm(forms.Form):
    """A required reason (reporting or hiding a comment)."""

    reason = forms.CharField(label=_("Reason"), max_length=200)


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"), queryset=Proposal.objects.none(), empty_label=None
    )
    reason = forms.CharField(
        label=pgettext_lazy("proposal decision", "Note (optional)"),
        max_length=REASON_MAX,
        required=False,
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = merge_targets(proposal)


def merge_targets(proposal):
    """Other proposals of the same area a proposal may be merged into."""
    return (
        Proposal.objects.filter(area_id=proposal.area_id)
        .exclude(pk=proposal.pk)
        .exclude(status__in=[ProposalStatus.MERGED, ProposalStatus.NOT_ADOPTED])
        .order_by("-created_at", "-pk")
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason it is not adopted"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required; shown to everyone on the proposal's page."),
    )


class NoteForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("proposal decision", "Note (optional)"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SettingsForm(forms.Form):
    support_threshold = forms.IntegerField(
        label=_("Supports needed for review"),
        min_value=1,
        max_value=10000,
        help_text=_("A proposal with this many supports goes to staff review by itself."),
    )
    authors_may_support = forms.BooleanField(
        label=_("Authors may support their own proposals"), required=False
    )
