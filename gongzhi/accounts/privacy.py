"""The privacy notice: what is collected, why, and for how long (PIPL)."""

from django.utils.translation import gettext_lazy as _

NOTICE_VERSION = "2026-11"

PURPOSES = {
    "privacy_notice": _(
        "Your mobile number, display name and residential area are used to run your "
        "account and to let community workers contact you about activities you join. "
        "Public pages show your name and number masked. Kept while your account exists; "
        "deleted or anonymised when you delete it."
    ),
    "partner_profile": _(
        "As a community partner applicant, your name, profession, skills, work modes, "
        "party membership and availability are used by the town's secretariat to review "
        "your application and to match you with community work. Other residents see "
        "your name masked and never your number. Kept while you are a partner and for "
        "one year after you leave or are declined, then deleted."
    ),
    "sms_notifications": _(
        "Your mobile number is used to send you text messages about what you take part "
        "in: reminders of activities you signed up for, decisions on your proposals and "
        "applications, replies to your comments and objections. You choose which kinds "
        "on the My page and may stop them at any time. Verification codes are always "
        "sent when you ask for one."
    ),
    "age_band": _(
        "Your age band is used only to count participation by age in anonymous "
        "statistics. You may withdraw this consent at any time; your age band is then erased."
    ),
}
