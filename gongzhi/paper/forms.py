from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongzhi.accounts.forms import PhoneField
from gongzhi.core.images import clean_photo
from gongzhi.places.forms import area_choice, offer_areas
from gongzhi.planning.evidence_services import COMMENT_MAX
from gongzhi.planning.models import DesignDraft

from .services import NAME_MAX, REFERENCE_MAX


class PaperForm(forms.Form):
    """Who wrote the paper form, and which paper it is. The area choice offers only the
    staff member's own areas: they record for their own residents."""

    area = area_choice(None, required=True)
    name = forms.CharField(
        label=_("Resident's name"),
        max_length=NAME_MAX,
        help_text=_(
            "As written on the form. For a namesake in the same area without a mobile "
            "number, add the building, e.g. “Wang Xiuying (Building 12)”."
        ),
    )
    phone = PhoneField(
        label=_("Mobile number (if the form gives one)"),
        required=False,
        help_text=_("With a number, the resident can later log in and see this input."),
    )
    reference = forms.CharField(
        label=_("Paper form reference"),
        max_length=REFERENCE_MAX,
        help_text=_("The number written on the paper, so the paper can be found again."),
    )
    photo = forms.ImageField(
        label=_("Photo of the paper form (optional)"),
        required=False,
        help_text=_("Kept for staff only; never shown on public pages."),
    )
    consent = forms.BooleanField(
        label=_("The resident signed the form's consent to the privacy notice"),
        error_messages={
            "required": _("Record a paper form only when the resident signed its consent.")
        },
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        offer_areas(self, areas, town_wide=False)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        try:
            return clean_photo(photo, name="paper")
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error


class PaperTextForm(forms.Form):
    body = forms.CharField(
        label=_("What the resident wrote"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Copy the words as written on the paper."),
    )


class PaperDotForm(forms.Form):
    draft = forms.ModelChoiceField(
        label=_("The draft the resident chose"),
        queryset=DesignDraft.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, drafts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["draft"].queryset = drafts
        self.fields["draft"].label_from_instance = lambda draft: (
            _("Version %(version)s: %(title)s") % {"version": draft.version, "title": draft.title}
        )
