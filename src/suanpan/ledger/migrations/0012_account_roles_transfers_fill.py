"""Books set up before the period-end transfers get the roles those read, where the chart
still has the template's account under its template code and name."""

from django.db import migrations

# role → (code, name) in both templates; 以前年度损益调整 exists only in 企业会计准则's chart.
ROLE_ACCOUNTS = {
    "vat_transfer_out": ("2221.01.04", "转出未交增值税"),
    "vat_unpaid": ("2221.02", "未交增值税"),
    "prior_year_adjustment": ("6901", "以前年度损益调整"),
}


def roles_map(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    AccountRoleMap = apps.get_model("ledger", "AccountRoleMap")
    for role, (code, name) in ROLE_ACCOUNTS.items():
        if AccountRoleMap.objects.filter(role=role).exists():
            continue
        account = Account.objects.filter(code=code, name=name).first()
        if account is None or Account.objects.filter(parent=account).exists():
            continue
        AccountRoleMap.objects.create(role=role, account=account)


def roles_unmap(apps, schema_editor):
    apps.get_model("ledger", "AccountRoleMap").objects.filter(role__in=ROLE_ACCOUNTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0011_account_roles_transfers"),
    ]

    operations = [
        migrations.RunPython(roles_map, roles_unmap),
    ]
