"""Fixtures of core's tests: the fake SMS providers (gongzhi.core.sms.fakes)."""

import pytest

from gongzhi.core.sms.fakes import FakeAliyun, FakeTencent


@pytest.fixture
def fake_aliyun():
    """A fake Alibaba Cloud SMS on 127.0.0.1, running for the test."""
    with FakeAliyun() as fake:
        yield fake


@pytest.fixture
def fake_tencent():
    """A fake Tencent Cloud SMS on 127.0.0.1, running for the test."""
    with FakeTencent() as fake:
        yield fake


@pytest.fixture
def use_sms_provider(settings):
    """use_sms_provider(fake, **overrides) -> the backend that get_backend() now gives:
    settings.GONGZHI_SMS set for the fake's provider pointed at it (overrides replace
    options, e.g. ACCESS_KEY_SECRET="wrong"). get_backend() keeps one backend per
    configuration, so each new configuration gets a new backend."""
    from gongzhi.core.sms import get_backend

    def use(fake, **overrides):
        settings.GONGZHI_SMS = fake.options(**overrides)
        return get_backend()

    return use
