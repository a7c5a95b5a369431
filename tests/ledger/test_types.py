"""The input types other apps hand the ledger are Django-free and keep the choices' values."""

from suanpan.ledger import services, types
from suanpan.ledger.choices import AccountRole, DimensionKind, VoucherWord


def test_role_line_defaults_to_a_customer_dimension():
    line = types.RoleLine(role="receivable")

    assert line.dimension_kind == DimensionKind.CUSTOMER


def test_posting_event_defaults_to_the_transfer_word():
    event = types.PostingEvent("t", "1", "issue", date=None, summary="", lines=())  # type: ignore[arg-type]

    assert event.word == VoucherWord.ZHUAN
    assert event.key == "t:1:issue"


def test_services_still_export_the_input_types():
    assert services.RoleLine is types.RoleLine
    assert services.PostingEvent is types.PostingEvent


def test_role_lists_every_account_role_and_no_other() -> None:
    assert {role.value for role in types.Role} == set(AccountRole.values)
