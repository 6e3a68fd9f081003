import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gongzhi.core.models import AuditChainHead, AuditEvent, AuditTampered
from gongzhi.core.services import record_event, verify_audit_chain
from gongzhi.core.testing import all_at_once
from gongzhi.tests.factories import TownFactory, UserFactory


@pytest.fixture
def chain(db):
    actor = UserFactory()
    town = TownFactory()
    events = [
        record_event(
            actor=actor, verb="test.change", target=town, before={"n": i}, after={"n": i + 1}
        )
        for i in range(5)
    ]
    return events


def test_events_are_chained(chain):
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == ""
    for previous, event in zip(chain, chain[1:], strict=False):
        assert event.prev_hash == previous.hash
    assert str(chain[0].town_id) == chain[0].target_id  # from Town.scope
    head = AuditChainHead.objects.get()
    assert (head.last_seq, head.last_hash) == (5, chain[-1].hash)


def test_verify_audit_passes_on_intact_chain(chain, capsys):
    call_command("verify_audit")
    assert "intact: 5 events" in capsys.readouterr().out


def test_verify_audit_detects_altered_row(chain):
    # Simulate tampering below the ORM, as someone with database access would.
    AuditEvent.objects.filter(seq=3).update(after={"n": 999})
    with pytest.raises(CommandError, match="event #3"):
        call_command("verify_audit")


def test_verify_audit_detects_altered_actor(chain):
    other = UserFactory()
    AuditEvent.objects.filter(seq=2).update(actor=other)
    with pytest.raises(CommandError, match="event #2"):
        call_command("verify_audit")


def test_verify_audit_detects_removed_middle_row(chain):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 2")
    with pytest.raises(CommandError, match="event #3"):
        call_command("verify_audit")


def test_verify_audit_detects_removed_last_row(chain):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 5")
    assert "missing" in verify_audit_chain()
    with pytest.raises(CommandError, match="missing"):
        call_command("verify_audit")


def test_verify_audit_exit_code_is_non_zero(chain):
    AuditEvent.objects.filter(seq=1).update(verb="forged")
    with pytest.raises(CommandError) as error:
        call_command("verify_audit")
    assert error.value.returncode == 1


def test_events_cannot_be_changed_or_deleted_through_the_orm(chain):
    event = chain[0]
    event.verb = "changed"
    with pytest.raises(AuditTampered):
        event.save()
    with pytest.raises(AuditTampered):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_concurrent_events_never_share_a_sequence_number():
    """Two writers at once still produce one unbroken chain."""
    town = TownFactory()

    def write(_writer):
        for _ in range(10):
            record_event(actor=None, verb="test.concurrent", target=town)

    assert all_at_once(write, range(4)) == ["ok"] * 4
    assert AuditEvent.objects.count() == 40
    assert verify_audit_chain() is None
