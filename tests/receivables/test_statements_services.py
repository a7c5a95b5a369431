"""Statements: made with the ledger's balances kept, e-mailed with the PDF and a signed link,
answered once (by a user or on the link: expiry, tampering, reuse, rate limit, every view
logged), and the monthly statements sent once a month."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from suanpan.core.errors import NotFound, PermissionDeniedError
from suanpan.receivables.choices import StatementEventKind, StatementKind, StatementStatus
from suanpan.receivables.errors import (
    CustomerStatementAnswered,
    CustomerStatementInvalid,
    StatementLinkExpired,
    StatementLinkInvalid,
    StatementLinkThrottled,
)
from suanpan.receivables.models import DunningProfile, Statement, StatementEvent
from suanpan.receivables.selectors import statement_token
from suanpan.receivables.services import (
    StatementInput,
    statement_answer_online,
    statement_create,
    statement_mark,
    statement_pdf,
    statement_schedule_set,
    statement_send,
    statement_view_online,
    statements_send_scheduled,
)
from suanpan.receivables.services import statements as statement_services
from suanpan.users.models import User
from tests.receivables.support import invoice, received

pytestmark = pytest.mark.django_db
D = Decimal
JAN = (date(2026, 1, 1), date(2026, 1, 31))
UA = "Mozilla/5.0 (test)"


def _made(customer, actor, *, kind: str = StatementKind.STATEMENT) -> Statement:
    return statement_create(
        data=StatementInput(customer_id=customer.pk, start_on=JAN[0], end_on=JAN[1], kind=kind),
        actor=actor,
    )


def _sent(customer, actor) -> Statement:
    return statement_send(statement=_made(customer, actor), email="ap@example.com", actor=actor)


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_statement_create_keeps_the_ledger_balances_and_numbers_by_month(customer, clerk):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    received(customer, "100.00", actor=clerk, on=date(2026, 1, 6))
    statement = _made(customer, clerk)
    assert statement.number == "DZ-202601-0001"
    assert statement.opening_amount == 0
    assert statement.closing_amount == D("1030.00")
    assert statement.status == StatementStatus.DRAFT
    assert statement.history.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2026, 2, 1), date(2026, 1, 31), "end_on"),
        (date(2026, 1, 1), date(2099, 1, 1), "end_on"),
    ],
)
def test_statement_create_refuses_a_bad_period_and_writes_nothing(
    customer, clerk, start, end, field
):
    with pytest.raises(CustomerStatementInvalid) as refused:
        statement_create(
            data=StatementInput(customer_id=customer.pk, start_on=start, end_on=end), actor=clerk
        )
    assert field in refused.value.fields
    assert not Statement.objects.exists()


def test_statement_create_answers_not_found_for_another_salespersons_customer(
    other_customer, seller
):
    seller.user_permissions.add(*Permission.objects.filter(codename="add_statement"))
    seller = User.objects.get(pk=seller.pk)
    with pytest.raises(NotFound):
        _made(other_customer, seller)


def test_statement_create_is_refused_without_the_permission(customer, seller):
    with pytest.raises(PermissionDeniedError):
        _made(customer, seller)


def test_statement_pdf_shows_the_closing_balance_in_figures_and_capitals(customer, clerk):
    invoice(customer, "10005.30", actor=clerk, issued_on=date(2026, 1, 5))
    text = _pdf_text(statement_pdf(_made(customer, clerk)))
    assert "10,005.30" in text
    assert "壹万零伍元叁角整" in text
    assert "DZ-202601-0001" in text


def test_confirmation_pdf_carries_the_reply_section(customer, clerk):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    text = _pdf_text(statement_pdf(_made(customer, clerk, kind=StatementKind.CONFIRMATION)))
    assert "Balance confirmation" in text
    assert "The balance is confirmed" in text
    assert "壹仟壹佰叁拾元整" in text


def test_statement_send_mails_the_pdf_and_a_signed_link_and_logs_it(customer, clerk):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    statement = _sent(customer, clerk)
    assert statement.status == StatementStatus.SENT
    assert statement.sent_to == "ap@example.com"
    (message,) = mail.outbox
    assert message.to == ["ap@example.com"]
    # Customers get Chinese whatever the user's language, unless written to in English.
    assert "对账单" in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert name == "DZ-202601-0001.pdf" and mimetype == "application/pdf"
    assert "1,130.00" in _pdf_text(content)
    assert re.search(r"/receivables/statements/answer/[^/\s]+/", message.body)
    (event,) = StatementEvent.objects.filter(kind=StatementEventKind.SENT)
    assert event.user == clerk and event.customer == customer


def test_a_customer_written_to_in_english_gets_the_statement_in_english(customer, clerk):
    DunningProfile.objects.create(customer=customer, language="en")
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    _sent(customer, clerk)
    (message,) = mail.outbox
    assert message.subject.startswith("Statement of account")
    assert "Please confirm the balance" in message.body


def test_statement_send_refuses_a_bad_address_and_sends_nothing(customer, clerk):
    statement = _made(customer, clerk)
    with pytest.raises(CustomerStatementInvalid) as refused:
        statement_send(statement=statement, email="not an address", actor=clerk)
    assert "email" in refused.value.fields
    assert mail.outbox == []
    statement.refresh_from_db()
    assert statement.status == StatementStatus.DRAFT


def test_statement_mark_records_a_dispute_with_notes_and_refuses_a_second_answer(customer, clerk):
    statement = _sent(customer, clerk)
    with pytest.raises(CustomerStatementInvalid):
        statement_mark(statement=statement, answer="disputed", notes=" ", actor=clerk)
    statement = statement_mark(
        statement=statement, answer="disputed", notes="Invoice 2 not received", actor=clerk
    )
    assert statement.status == StatementStatus.DISPUTED
    assert statement.answered_by == clerk and not statement.answered_online
    with pytest.raises(CustomerStatementAnswered):
        statement_mark(statement=statement, answer="confirmed", notes="", actor=clerk)
    assert StatementEvent.objects.filter(kind=StatementEventKind.MARKED).count() == 1


def test_online_answer_confirms_once_and_logs_views_and_the_answer(customer, clerk):
    statement = _sent(customer, clerk)
    token = statement_token(statement)
    statement_view_online(token=token, ip="203.0.113.5", user_agent=UA)
    answered = statement_answer_online(
        token=token, answer="confirmed", notes="", ip="203.0.113.5", user_agent=UA
    )
    assert answered.status == StatementStatus.CONFIRMED
    assert answered.answered_online and answered.answered_by is None
    with pytest.raises(CustomerStatementAnswered):
        statement_answer_online(
            token=token, answer="disputed", notes="again", ip="203.0.113.5", user_agent=UA
        )
    # Viewing after the answer is still logged.
    statement_view_online(token=token, ip="198.51.100.7", user_agent=UA)
    kinds = list(
        StatementEvent.objects.filter(customer=customer, ip__isnull=False)
        .order_by("pk")
        .values_list("kind", "ip", "user_agent")
    )
    assert kinds == [
        ("viewed", "203.0.113.5", UA),
        ("confirmed", "203.0.113.5", UA),
        ("viewed", "198.51.100.7", UA),
    ]


def test_online_answer_refuses_a_tampered_link_and_writes_nothing(customer, clerk):
    statement = _sent(customer, clerk)
    token = statement_token(statement)
    for bad in (token[:-2] + "xx", "nonsense", token.replace(":", ";", 1)):
        with pytest.raises(StatementLinkInvalid):
            statement_answer_online(token=bad, answer="confirmed", notes="", ip=None, user_agent="")
        with pytest.raises(StatementLinkInvalid):
            statement_view_online(token=bad, ip=None, user_agent="")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SENT
    assert not StatementEvent.objects.filter(user__isnull=True).exists()


def test_online_answer_refuses_an_expired_link(customer, clerk, settings):
    statement = _sent(customer, clerk)
    token = statement_token(statement)
    settings.SUANPAN_STATEMENT_LINK_DAYS = 0
    with pytest.raises(StatementLinkExpired):
        statement_answer_online(token=token, answer="confirmed", notes="", ip=None, user_agent="")
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SENT


def test_online_requests_are_limited_per_link_and_address(customer, clerk, monkeypatch):
    monkeypatch.setattr(statement_services, "RATE_LIMIT", 3)
    token = statement_token(_sent(customer, clerk))
    for _ in range(3):
        statement_view_online(token=token, ip="203.0.113.5", user_agent=UA)
    with pytest.raises(StatementLinkThrottled):
        statement_view_online(token=token, ip="203.0.113.5", user_agent=UA)
    with pytest.raises(StatementLinkThrottled):
        statement_answer_online(
            token=token, answer="confirmed", notes="", ip="203.0.113.5", user_agent=UA
        )
    # Another address is not held back by the first.
    statement_view_online(token=token, ip="198.51.100.7", user_agent=UA)
    assert StatementEvent.objects.filter(kind="viewed").count() == 4


def test_an_unsent_statement_cannot_be_answered_online(customer, clerk):
    token = statement_token(_made(customer, clerk))
    with pytest.raises(CustomerStatementInvalid):
        statement_answer_online(token=token, answer="confirmed", notes="", ip=None, user_agent="")


def test_scheduled_statements_go_once_a_month(customer, other_customer, clerk):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    statement_schedule_set(
        customer_id=customer.pk, email="ap@example.com", is_active=True, actor=clerk
    )
    statement_schedule_set(
        customer_id=other_customer.pk, email="ar@example.com", is_active=False, actor=clerk
    )
    run = statements_send_scheduled(on=date(2026, 2, 3), actor=clerk)
    assert (run.start_on, run.end_on) == JAN
    assert [s.customer for s in run.sent] == [customer]
    assert run.sent[0].closing_amount == D("1130.00")
    again = statements_send_scheduled(on=date(2026, 2, 4), actor=clerk)
    assert again.sent == [] and again.failed == []
    assert len(mail.outbox) == 1


def test_statement_schedule_needs_an_address_to_be_active(customer, clerk):
    with pytest.raises(CustomerStatementInvalid):
        statement_schedule_set(customer_id=customer.pk, email="", is_active=True, actor=clerk)


def test_cli_sends_the_scheduled_statements_once(customer, clerk, capsys):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    statement_schedule_set(
        customer_id=customer.pk, email="ap@example.com", is_active=True, actor=clerk
    )
    args = ("receivables", "statements", "--send-scheduled", "--on", "2026-02-01")
    call_command(*args, "--as", clerk.username)
    assert "1 statements for 2026-01-01 to 2026-01-31 sent" in capsys.readouterr().out
    call_command(*args, "--as", clerk.username)
    assert "0 statements" in capsys.readouterr().out
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError) as refused:
        call_command(
            "receivables", "statements", "--send-scheduled", "--on", "1 Feb", "--as", clerk.username
        )
    assert refused.value.returncode == 2
