"""A hand-computed company for the financial statements, under either standard.

December 2025: the owners pay in 1,000,000. January 2026: equipment 120,000 paid; goods bought
on credit 200,000 + VAT 26,000; sold to customer A for 300,000 + VAT 39,000 (cost 150,000),
A pays 226,000; customer C buys 5,000 + VAT 650 (cost 2,000) and pays 6,000 (350 too much);
customer B pays an advance of 10,000; 113,000 paid to the supplier; 10,000 drawn as petty cash;
8,000 admin expenses paid from the bank, 5,000 selling expenses from petty cash; depreciation
1,000; salaries accrued 20,000; under 企业会计准则 a bad-debt provision of 1,130 (1 % of A's
113,000). Shared by the statement tests: keep the figures below in step with the vouchers.

Hand-computed January figures (CAS; ASBE-SE differs where noted):
- cash 996,000 (1,000,000 at the start of the year); receivables 113,000 less provision 1,130
  = 111,870 (ASBE-SE 113,000); inventory 48,000; fixed assets 119,000;
- payables 113,000; 预收 350 (C's credit balance; ASBE-SE adds B's advance: 10,350); 合同负债
  10,000 (CAS); salaries 20,000; taxes 13,650;
- revenue 305,000, cost 152,000, selling 5,000, admin 29,000, credit loss 1,130; net profit
  117,870 (ASBE-SE 119,000);
- cash flows: sales 242,000, purchases 113,000, other operating 13,000, equipment 120,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from suanpan.ledger import services
from suanpan.ledger.models import Account, Company, Voucher
from suanpan.ledger.services import LineInput
from suanpan.users.models import User

D = Decimal
# The accounts whose codes differ between the charts, by their CAS code.
ASBE_CODES = {
    "4001": "3001",
    "4103": "3103",
    "6001": "5001",
    "6401": "5401",
    "6601": "5601",
    "6602": "5602",
    "2205": "2203",
}


@dataclass
class StatementBooks:
    company: Company
    standard: str
    maker: User
    poster: User
    accounts: dict[str, Account]

    def account(self, cas_code: str) -> Account:
        code = ASBE_CODES.get(cas_code, cas_code) if self.standard == "asbe_se" else cas_code
        return self.accounts[code]

    def post(self, on: date, summary: str, *lines: tuple[str, str, str, str]) -> Voucher:
        """Lines as (CAS code, customer number or "", debit, credit)."""
        inputs = [
            LineInput(
                self.account(code),
                D(debit or "0"),
                D(credit or "0"),
                services.dimension_upsert(kind="customer", code=customer, name=f"客户{customer}")
                if customer
                else None,
            )
            for code, customer, debit, credit in lines
        ]
        voucher = services.voucher_create(actor=self.maker, date=on, summary=summary, lines=inputs)
        services.voucher_review(actor=self.poster, voucher=voucher)
        return services.voucher_post(actor=self.poster, voucher=voucher)

    def carry_forward(self, on: date = date(2026, 1, 31)) -> Voucher:
        """结转损益 for January: every profit-and-loss balance to current-year profit."""
        body = [
            ("6001", "", "305000", ""),
            ("6401", "", "", "152000"),
            ("6601", "", "", "5000"),
            ("6602", "", "", "29000"),
        ]
        profit = D("119000")
        if self.standard == "cas":
            body.append(("6702", "", "", "1130"))
            profit -= D("1130")
        body.append(("4103", "", "", str(profit)))
        return self.post(on, "结转损益", *body)


def statement_books(*, standard: str, maker: User, poster: User) -> StatementBooks:
    """The company above, set up with the standard's chart from December 2025."""
    company = services.company_setup(
        actor=poster,
        name="报表测试有限公司",
        standard=standard,
        first_period=date(2025, 12, 1),
        voucher_words="记",
    )
    books = StatementBooks(
        company, standard, maker, poster, {a.code: a for a in Account.objects.all()}
    )
    post = books.post
    post(date(2025, 12, 1), "收到投资", ("1002", "", "1000000", ""), ("4001", "", "", "1000000"))
    post(date(2026, 1, 5), "购入设备", ("1601", "", "120000", ""), ("1002", "", "", "120000"))
    post(
        date(2026, 1, 8),
        "赊购商品",
        ("1405", "", "200000", ""),
        ("2221.01.01", "", "26000", ""),
        ("2202", "", "", "226000"),
    )
    post(
        date(2026, 1, 10),
        "销售给A",
        ("1122.01", "A", "339000", ""),
        ("6001", "", "", "300000"),
        ("2221.01.07", "", "", "39000"),
    )
    post(date(2026, 1, 10), "结转成本", ("6401", "", "150000", ""), ("1405", "", "", "150000"))
    post(date(2026, 1, 20), "收A货款", ("1002", "", "226000", ""), ("1122.01", "A", "", "226000"))
    post(
        date(2026, 1, 12),
        "销售给C",
        ("1122.01", "C", "5650", ""),
        ("6001", "", "", "5000"),
        ("2221.01.07", "", "", "650"),
    )
    post(date(2026, 1, 12), "结转成本", ("6401", "", "2000", ""), ("1405", "", "", "2000"))
    post(date(2026, 1, 21), "收C货款", ("1002", "", "6000", ""), ("1122.01", "C", "", "6000"))
    post(date(2026, 1, 22), "B预付款", ("1002", "", "10000", ""), ("2205", "B", "", "10000"))
    post(date(2026, 1, 25), "付货款", ("2202", "", "113000", ""), ("1002", "", "", "113000"))
    post(date(2026, 1, 26), "提现", ("1001", "", "10000", ""), ("1002", "", "", "10000"))
    post(date(2026, 1, 28), "办公费", ("6602", "", "8000", ""), ("1002", "", "", "8000"))
    post(date(2026, 1, 28), "广告费", ("6601", "", "5000", ""), ("1001", "", "", "5000"))
    post(date(2026, 1, 31), "计提折旧", ("6602", "", "1000", ""), ("1602", "", "", "1000"))
    post(date(2026, 1, 31), "计提工资", ("6602", "", "20000", ""), ("2211", "", "", "20000"))
    if standard == "cas":
        post(date(2026, 1, 31), "计提坏账", ("6702", "", "1130", ""), ("1231", "", "", "1130"))
    return books
