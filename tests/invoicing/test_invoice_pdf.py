"""The invoice PDF: a 数电-style copy whose text carries the number, both parties, the lines and
价税合计 in capitals and figures."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from suanpan.invoicing.selectors.invoices import invoice_lines
from suanpan.invoicing.services.invoice_pdf import invoice_pdf_render, invoice_title
from tests.inventory.deliveries_support import customer_with_dimension
from tests.invoicing.manual_support import entered, line, red_against
from tests.invoicing.support import TAX_NUMBER, issued, shipped_order

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages)


def _company(books):
    books.name = "上海算盘软件有限公司"
    books.tax_number = "91310000MA1FL0000X"
    books.save()


def test_pdf_prints_capitals_number_parties_and_lines(delivery_books, clerk, approver):
    _company(delivery_books)
    invoice = issued(shipped_order(actor=clerk), maker=clerk, approver=approver)

    content = invoice_pdf_render(invoice=invoice, lines=invoice_lines(invoice=invoice))

    assert content.startswith(b"%PDF")
    text = _text(content)
    assert "壹仟壹佰叁拾元整" in text
    assert "1,130.00" in text
    assert invoice.number in text
    assert "测试客户有限公司" in text
    assert TAX_NUMBER in text
    assert "上海算盘软件有限公司" in text
    assert "91310000MA1FL0000X" in text
    assert invoice.lines.get().item_name in text
    # The ⊗ before the capitals comes from the Symbol font: the CJK font has no such glyph.
    page = PdfReader(io.BytesIO(content)).pages[0]
    fonts = {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert "/Symbol" in fonts


def test_pdf_of_a_red_invoice_names_the_blue_one_and_prints_负(delivery_books, clerk):
    customer = customer_with_dimension(invoice_tax_number=TAX_NUMBER, invoice_title="某公司")
    blue = entered(customer, actor=clerk, lines=(line("1130.00"),), drawer="李四")
    red = red_against(blue, actor=clerk)

    text = _text(invoice_pdf_render(invoice=red, lines=invoice_lines(invoice=red)))

    assert "负壹仟壹佰叁拾元整" in text
    assert blue.number in text
    assert "-1,130.00" in text


def test_pdf_title_says_special_or_ordinary(delivery_books, clerk):
    customer = customer_with_dimension(invoice_tax_number=TAX_NUMBER, invoice_title="某公司")
    special = entered(customer, actor=clerk)
    ordinary = entered(customer, actor=clerk, invoice_type="e_normal")
    assert "special" in invoice_title(special)
    assert "ordinary" in invoice_title(ordinary)
    with translation.override("zh-hans"):
        assert "增值税专用发票" in invoice_title(special)
        assert "普通发票" in invoice_title(ordinary)


def test_pdf_page_answers_pdf_and_404_for_others(delivery_books, clerk, seller, login):
    customer = customer_with_dimension(invoice_tax_number=TAX_NUMBER, invoice_title="某公司")
    invoice = entered(customer, actor=clerk)
    response = login(clerk).get(reverse("invoicing:invoice_pdf", args=[invoice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{invoice.number}.pdf"' in response["Content-Disposition"]
    assert "壹仟壹佰叁拾元整" in _text(response.content)
    assert login(seller).get(reverse("invoicing:invoice_pdf", args=[invoice.pk])).status_code == 404


def test_pages_and_pdf_in_chinese_print_the_fapiao_words(delivery_books, clerk, login, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    customer = customer_with_dimension(invoice_tax_number=TAX_NUMBER, invoice_title="某公司")
    invoice = entered(customer, actor=clerk)
    client = login(clerk)
    html = client.get(
        reverse("invoicing:invoice_detail", args=[invoice.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "价税合计（大写）" in html
    assert "壹仟壹佰叁拾元整" in html
    text = _text(
        client.get(
            reverse("invoicing:invoice_pdf", args=[invoice.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content
    )
    assert "电子发票（增值税专用发票）" in text
    assert "价税合计（大写）" in text
    assert "开票人" in text
