from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from suanpan.demo.load import demo_load
from suanpan.demo.users import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Load demo users and customers (does nothing if customers exist)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--customers", type=int, default=60, help="how many customers (default 60)"
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="random seed (same seed, same data)"
        )
        parser.add_argument(
            "--quiet-logins", action="store_true", help="do not print the demo logins"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["customers"]
        if count < 0 or count > 5_000_000:
            self.stderr.write("--customers must be between 0 and 5,000,000")
            raise SystemExit(2)
        with tqdm(
            total=count, unit="customers", disable=count < 10_000 or not self.stdout.isatty()
        ) as bar:
            made = demo_load(customers=count, seed=options["seed"], progress=bar.update)
        if made:
            self.stdout.write(self.style.SUCCESS(f"Loaded {made} demo customers."))
        else:
            self.stdout.write("Customers exist already; demo data left as it is.")
        if not options["quiet_logins"]:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for spec in DEMO_USERS:
                self.stdout.write(f"  {spec.username:<11} {spec.role.label}  ({spec.display_name})")
