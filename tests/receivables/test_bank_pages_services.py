"""Previewing a sample statement with a column mapping being edited: the first rows as they
stand, the lines as the mapping reads them, what it cannot read; nothing is written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.core.errors import PermissionDeniedError
from suanpan.receivables.calculations.bank_layouts import PRESETS
from suanpan.receivables.errors import StatementInvalid
from suanpan.receivables.models import BankLine, StatementImport
from suanpan.receivables.services import statement_sample
from tests.receivables.bank_support import statement_csv, statement_xlsx
from tests.receivables.test_bank_statements_services import _lines

pytestmark = pytest.mark.django_db
D = Decimal
CCB = PRESETS["ccb"].mapping.as_dict()


def test_a_sample_is_read_with_the_mapping_and_nothing_is_written(clerk):
    sample = statement_sample(
        data=statement_xlsx("ccb", _lines()), filename="样本.xlsx", mapping=CCB, actor=clerk
    )
    assert sample.found and sample.header_row == 3
    assert sample.rows[0][0] == 1 and len(sample.rows) <= 15
    assert [(line.serial, line.amount, line.incoming) for line in sample.lines] == [
        ("S1", D("1130.00"), True),
        ("S2", D("50.00"), True),
        ("S3", D("80.00"), False),
    ]
    assert sample.errors == []
    assert not BankLine.objects.exists() and not StatementImport.objects.exists()


def test_unreadable_cells_are_named_by_row(clerk):
    lines = _lines()
    lines[1]["credit"] = "五十元"
    sample = statement_sample(
        data=statement_csv("ccb", lines), filename="样本.csv", mapping=CCB, actor=clerk
    )
    assert sample.found
    assert len(sample.errors) == 1 and "Row 5" in sample.errors[0]


def test_columns_not_in_the_file_are_not_found(clerk):
    mapping = {**CCB, "credit": "收入金额"}
    sample = statement_sample(
        data=statement_xlsx("ccb", _lines()), filename="样本.xlsx", mapping=mapping, actor=clerk
    )
    assert (sample.found, sample.lines) == (False, [])
    assert sample.rows


def test_an_incomplete_mapping_or_a_salesperson_is_refused(clerk, seller):
    data = statement_xlsx("ccb", _lines())
    with pytest.raises(StatementInvalid) as refused:
        statement_sample(data=data, filename="a.xlsx", mapping={"amount": "金额"}, actor=clerk)
    assert "date" in refused.value.fields
    with pytest.raises(PermissionDeniedError):
        statement_sample(data=data, filename="a.xlsx", mapping=CCB, actor=seller)
