from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.badges import badge_tones


class CustomerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL = "individual", _("Individual")
    GOVERNMENT = "government", _("Government")


class CustomerStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", pgettext_lazy("customer status", "Closed")


badge_tones(
    "customer",
    {
        CustomerStatus.ACTIVE: "text-bg-success",
        CustomerStatus.PROSPECT: "text-bg-info",
        CustomerStatus.ON_HOLD: "text-bg-warning",
    },
    other="text-bg-secondary",
    labels=CustomerStatus,
)


class CustomerGrade(models.TextChoices):
    A = "A", _("A (key account)")
    B = "B", _("B (regular)")
    C = "C", _("C (small)")
    D = "D", _("D (occasional)")


class CustomerSource(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    WEBSITE = "website", _("Website")
    EXHIBITION = "exhibition", _("Trade fair")
    COLD_CALL = "cold_call", _("Cold call")
    TENDER = "tender", _("Tender")
    PARTNER = "partner", _("Partner")
    OTHER = "other", _("Other")


class AddressKind(models.TextChoices):
    OFFICE = "office", _("Office")
    BILLING = "billing", _("Billing (invoice mailing)")
    SHIPPING = "shipping", _("Shipping")


class FollowUpWay(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")
