from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.events.models import Activity, ActivityStatus

from .models import Programme
from .services import MAX_SESSIONS_REQUIRED


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["title", "description", "sessions_required"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions_required"].min_value = 1
        self.fields["sessions_required"].max_value = MAX_SESSIONS_REQUIRED
        self.fields["sessions_required"].widget.attrs.update(
            min=1, max=MAX_SESSIONS_REQUIRED, inputmode="numeric"
        )


class SessionForm(forms.Form):
    """Offers only what may be linked: the town's published activities that are not a
    session of any programme yet, newest first."""

    activity = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=Activity.objects.none(),
        empty_label=_("— choose —"),
        error_messages={
            "invalid_choice": _(
                "Choose one of the activities listed: a published activity of this town "
                "that is not a session of a programme yet."
            )
        },
    )

    def __init__(self, *args, town, **kwargs):
        super().__init__(*args, prefix="session", **kwargs)
        self.fields["activity"].queryset = (
            Activity.objects.filter(
                town=town,
                status=ActivityStatus.PUBLISHED,
                cultivation_session__isnull=True,
            )
            .select_related("area")
            .order_by("-starts_at", "pk")
        )
        self.fields["activity"].label_from_instance = _activity_label


def _activity_label(activity) -> str:
    from django.utils import formats, timezone

    day = formats.date_format(timezone.localtime(activity.starts_at), "DATE_FORMAT")
    return f"{activity.title}（{day}）"
