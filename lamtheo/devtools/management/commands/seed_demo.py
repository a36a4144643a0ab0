"""Fill an empty database with the demo ward Party committee (development and demos only)."""

from django.core.management.base import BaseCommand, CommandError

from lamtheo.devtools import demo


class Command(BaseCommand):
    help = (
        "Build demo data: Đảng bộ phường Long Biên after the 2025 reorganisation (with the former Quận ủy), "
        "three sibling wards, ~2,000 people, positions and one login account per role."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=2025, help="random seed (same seed, same data)")
        parser.add_argument("--people", type=int, default=2000, help="how many people to create")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database already has organizations"
        )

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if not demo.database_is_empty():
            if options["if_empty"]:
                self.stdout.write("The database already has organizations: nothing to do.")
                return
            raise CommandError("The database already has organizations; use a fresh database or --if-empty.")
        verbose = options["verbosity"] > 1
        try:
            result = demo.build_demo(
                seed=options["seed"], people=options["people"], stdout=self.stdout if verbose else None
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Demo built in {result['seconds']} s: {result['organizations']} organizations "
            f"({result['open_organizations']} open, {result['open_party_cells']} open party cells), "
            f"{result['people']} people ({result['party_members']} party members), "
            f"{result['positions']} positions, {result['successions']} succession links."
        )
        by_ward = ", ".join(f"{code} {n}" for code, n in result["people_by_ward"].items())
        self.stdout.write(f"People by ward (party cell or workplace): {by_ward}")
        rows = [("username", "role", "organization", "password")] + [
            (a["username"], a["role"], a["organization"], a["password"]) for a in result["accounts"]
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
