"""factory_boy factories for the foundation's models; later apps add their own."""

from datetime import datetime, time, timedelta

import factory
from django.contrib.auth.hashers import make_password

from gongzhi.accounts.models import User
from gongzhi.places.models import ResidentialArea, RoleGrant, Site, SiteKind, Town

# Hashing a password per user would dominate test time; hash once.
TEST_PASSWORD = "correct-horse-battery"
_HASHED = make_password(TEST_PASSWORD)


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Town

    name = factory.Sequence(lambda n: f"测试镇{n}")
    slug = factory.Sequence(lambda n: f"town-{n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentialArea

    town = factory.SubFactory(TownFactory)
    name = factory.Sequence(lambda n: f"居民区{n}")
    code = factory.Sequence(lambda n: f"{n:03d}")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    area = factory.SubFactory(AreaFactory)
    town = factory.SelfAttribute("area.town")
    name = factory.Sequence(lambda n: f"点位{n}")
    kind = SiteKind.GREEN_SPACE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.Sequence(lambda n: f"139{n:08d}")
    display_name = factory.Sequence(lambda n: f"居民{n}")
    phone_verified = True
    password = _HASHED


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    town = factory.SubFactory(TownFactory)
    role = "secretariat"

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.add(*extracted)


class PartnerFactory(factory.django.DjangoModelFactory):
    """An active partner; ``modes=["planning", "media"]`` makes the first primary."""

    class Meta:
        model = "partners.Partner"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    area = factory.SubFactory(AreaFactory)
    town = factory.SelfAttribute("area.town")
    name = factory.Sequence(lambda n: f"合伙人{n}")
    profession = "教师"

    @factory.post_generation
    def modes(self, create, extracted, **kwargs):
        from gongzhi.partners.models import PartnerMode

        if create:
            modes = extracted or ["planning"]
            PartnerMode.objects.bulk_create(
                PartnerMode(partner=self, mode=m, is_primary=i == 0) for i, m in enumerate(modes)
            )

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        from gongzhi.partners.services import normalise_skills

        if create and extracted:
            self.skills.set(normalise_skills(extracted))


class ActivityFactory(factory.django.DjangoModelFactory):
    """A published activity tomorrow morning, two hours long."""

    class Meta:
        model = "events.Activity"

    area = factory.SubFactory(AreaFactory)
    town = factory.SelfAttribute("area.town")
    kind = "workshop"
    title = factory.Sequence(lambda n: f"活动{n}")
    venue = "逸致议事厅"
    starts_at = factory.LazyFunction(lambda: _tomorrow_at(9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    status = "published"
    created_by = factory.SubFactory(UserFactory)


def _tomorrow_at(hour):
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour)))
