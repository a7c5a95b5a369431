"""Import and export pages: upload → preview → confirm, the stored upload, scope and permissions."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from suanpan.customers.models import Contact, Customer
from suanpan.users.choices import Role
from tests.customers.test_imports_services import csv_bytes, row, uscc, xlsx_bytes
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("customers:import")
EXPORT_URL = reverse("customers:export")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:
    settings.IMPORT_UPLOAD_DIR = tmp_path / "media" / "imports"
    return tmp_path / "media"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_uploads(media: Path) -> list[Path]:
    folder = media / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def good_xlsx() -> bytes:
    return xlsx_bytes(
        [
            row(
                name="甲公司",
                credit_code=uscc(41),
                contact_name="张三",
                contact_phone="13800138000",
            ),
            row(name="甲公司", contact_name="李四"),
            row(name="乙公司"),
        ]
    )


def preview(client, data: bytes = b"", name: str = "客户.xlsx", **extra):
    return client.post(
        IMPORT_URL, {"action": "preview", "file": upload(name, data or good_xlsx()), **extra}
    )


def test_import_page_lists_columns_for_a_user_with_import_permission(login, manager):
    response = login(manager).get(IMPORT_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "统一社会信用代码" in content
    assert 'enctype="multipart/form-data"' in content
    assert response.context["breadcrumbs"][-1] == ("Import", None)


@pytest.mark.parametrize("role", [Role.SALES, Role.ACCOUNTANT, Role.CUSTOMER_SERVICE])
def test_import_page_forbidden_when_role_lacks_import_permission(login, make_user, role):
    client = login(make_user(role))

    assert client.get(IMPORT_URL).status_code == 403
    assert preview(client).status_code == 403
    assert Customer.objects.count() == 0


def test_import_preview_lists_rows_stores_upload_and_writes_nothing(login, manager, _media):
    client = login(manager)

    response = preview(client)

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.customer_count, report.contact_count) == (2, 2)
    assert "甲公司" in response.content.decode()
    token = response.context["token"]
    assert client.session["customers_import"]["token"] == token
    assert [p.name for p in stored_uploads(_media)] == [f"{token}.upload"]
    assert Customer.objects.count() == 0


def test_import_confirm_creates_everything_and_forgets_the_upload(login, manager, _media):
    client = login(manager)
    token = preview(client).context["token"]

    response = client.post(IMPORT_URL, {"action": "commit", "token": token})

    assert response.status_code == 302
    assert response.url == reverse("customers:list")
    assert list(Customer.objects.order_by("number").values_list("number", "name", "owner")) == [
        ("KH-000001", "甲公司", manager.pk),
        ("KH-000002", "乙公司", manager.pk),
    ]
    assert Contact.objects.count() == 2
    assert stored_uploads(_media) == []
    assert "customers_import" not in client.session
    # confirming twice imports nothing more
    client.post(IMPORT_URL, {"action": "commit", "token": token})
    assert Customer.objects.count() == 2


def test_import_confirm_uses_default_owner_chosen_by_a_manager(login, manager, sales_user):
    client = login(manager)
    token = preview(client, owner=str(sales_user.pk)).context["token"]

    client.post(IMPORT_URL, {"action": "commit", "token": token})

    assert set(Customer.objects.values_list("owner", flat=True)) == {sales_user.pk}


def test_import_confirm_refused_when_token_is_forged_or_missing(login, manager, _media):
    client = login(manager)
    token = preview(client).context["token"]

    other_token = token[:-1] + ("1" if token.endswith("0") else "0")
    for forged in ("", "0" * 32, "../../etc/passwd", other_token):
        response = client.post(IMPORT_URL, {"action": "commit", "token": forged}, follow=True)
        assert response.status_code == 200
        assert "no longer waiting" in response.content.decode()
    assert Customer.objects.count() == 0


def test_import_confirm_refused_for_another_session(login, manager, make_user, client):
    token = preview(login(manager)).context["token"]
    client.logout()
    other = make_user(Role.SALES_MANAGER)

    client.force_login(other)
    client.post(IMPORT_URL, {"action": "commit", "token": token})

    assert Customer.objects.count() == 0


def test_import_preview_shows_every_error_with_row_and_column_and_offers_no_confirm(
    login, manager, _media
):
    data = csv_bytes(
        [
            row(name="好"),
            row(name="坏", credit_code="123"),
            row(name="电话", contact_name="王", contact_phone="1"),
        ]
    )

    response = preview(login(manager), data, name="bad.csv")

    assert response.status_code == 422
    errors = [(e.row, e.column) for e in response.context["errors"]]
    assert errors == [(3, "统一社会信用代码"), (4, "电话")]
    content = response.content.decode()
    assert "import-errors" in content
    assert 'value="commit"' not in content
    assert stored_uploads(_media) == []
    assert Customer.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.xlsx", b"PK\x03\x04 broken", "not a valid xlsx"),
        ("empty.csv", b"\n", "empty"),
        ("noname.csv", b"foo,bar\n1,2\n", "has no"),
    ],
)
def test_import_preview_explains_a_malformed_file_on_the_form(login, manager, name, data, message):
    response = preview(login(manager), data, name=name)

    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors["file"])


def test_import_preview_refuses_a_file_over_the_size_limit(login, manager, monkeypatch):
    monkeypatch.setattr("suanpan.core.uploads.MAX_BYTES", 100)

    response = preview(login(manager), csv_bytes([row(name="甲" * 50)]), name="big.csv")

    assert response.status_code == 422
    assert "larger than" in " ".join(response.context["form"].errors["file"])


def test_import_confirm_checks_again_and_writes_nothing_when_a_duplicate_appeared(
    login, manager, _media
):
    client = login(manager)
    token = preview(client).context["token"]
    CustomerFactory(name="乙公司")  # created by someone else after the preview

    response = client.post(IMPORT_URL, {"action": "commit", "token": token})

    assert response.status_code == 422
    assert [(e.row, e.column) for e in response.context["errors"]] == [(4, "客户名称")]
    assert Customer.objects.count() == 1
    assert stored_uploads(_media) == []


def test_import_cancel_forgets_the_upload(login, manager, _media):
    client = login(manager)
    token = preview(client).context["token"]

    response = client.post(IMPORT_URL, {"action": "cancel", "token": token})

    assert response.status_code == 302
    assert stored_uploads(_media) == []
    assert Customer.objects.count() == 0


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_template_download_has_the_header_row(login, manager, fmt):
    response = login(manager).get(IMPORT_URL, {"template": fmt})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = b"".join(response.streaming_content)
    if fmt == "xlsx":
        header = next(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
        assert header[:2] == ("客户编号", "客户名称")
    else:
        assert data.decode("utf-8-sig").startswith("客户编号,客户名称")


def test_customer_list_shows_import_and_export_buttons_by_permission(login, manager, make_user):
    content = login(manager).get(reverse("customers:list")).content.decode()
    assert IMPORT_URL in content
    assert EXPORT_URL in content

    client = login(make_user(Role.CUSTOMER_SERVICE))
    content = client.get(reverse("customers:list")).content.decode()
    assert IMPORT_URL not in content
    assert EXPORT_URL not in content


def test_export_download_is_the_salespersons_filtered_list(login, sales_user, make_user):
    CustomerFactory(name="我的活跃", owner=sales_user, status="active")
    CustomerFactory(name="我的潜在", owner=sales_user, status="prospect")
    CustomerFactory(name="别人的", owner=make_user(Role.SALES), status="active")
    client = login(sales_user)

    response = client.get(EXPORT_URL, {"status": "active", "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="customers-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["我的活跃"]

    response = client.get(EXPORT_URL, {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "我的活跃" in text and "我的潜在" in text and "别人的" not in text


def test_export_forbidden_when_role_lacks_export_permission(login, make_user):
    assert login(make_user(Role.CUSTOMER_SERVICE)).get(EXPORT_URL).status_code == 403


def test_export_refuses_unknown_format(login, manager):
    assert login(manager).get(EXPORT_URL, {"format": "pdf"}).status_code == 400


def test_import_page_in_update_mode_updates_on_confirm(login, manager, _media):
    existing = CustomerFactory(owner=manager, name="甲公司", credit_code=uscc(41))
    client = login(manager)
    data = xlsx_bytes([row(name="甲公司", credit_code=uscc(41), grade="A")])

    refused = preview(client, data)
    response = preview(client, data, update="on")
    assert refused.status_code == 422  # a duplicate without update mode
    assert response.status_code == 200
    assert response.context["report"].update_count == 1
    done = client.post(IMPORT_URL, {"action": "commit", "token": response.context["token"]})

    assert done.status_code == 302
    existing.refresh_from_db()
    assert existing.grade == "A"
    assert Customer.objects.count() == 1


def test_import_page_reads_a_csv_in_the_encoding_chosen(login, manager, _media):
    client = login(manager)
    not_utf8 = "客户名称\nM\0ller GmbH\n".encode().replace(b"\0", b"\xfc")  # ü in Latin-1

    latin = preview(client, "name\nMüller GmbH\n".encode("cp1252"), name="x.csv", encoding="cp1252")
    wrong = preview(client, not_utf8, name="x.csv", encoding="utf-8")

    assert [c.customer.name for c in latin.context["report"].candidates] == ["Müller GmbH"]
    assert wrong.status_code == 422
    assert "cannot be read as UTF-8" in str(wrong.context["form"].errors)
