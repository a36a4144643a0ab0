"""Generate the city-scale (or ward-scale) synthetic dataset, deterministically from a seed."""

from django.core.management.base import BaseCommand, CommandError

from lamtheo.devtools.scale import SCALES, build_scale


class Command(BaseCommand):
    help = "Generate ~6,000 organizations and 500,000 people (--scale city) or one ward (--scale ward)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--scale", choices=sorted(SCALES), default="city")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--people", type=int, default=None, help="override the number of people")
        parser.add_argument(
            "--plans", action="store_true", help="also one plan per organization with tasks and reports"
        )
        parser.add_argument(
            "--commitments", action="store_true",
            help="also a cultivation plan per party member with items, evaluations and residence comments; "
            "at city scale without --people, 926,000 people so that the plans number ~500,000",
        )  # fmt: skip
        parser.add_argument(
            "--oversight", action="store_true",
            help="also a year of inspections (~2,000 cases, ~10,000 findings), ~20,000 shortcomings to remedy and "
            "~5,000 recommendations of the Fronts",
        )  # fmt: skip
        parser.add_argument(
            "--feedback", type=int, nargs="?", const=1_000_000, default=None, metavar="N",
            help="also a year of citizens' reports across the wards: N reports (1,000,000 when N is left out; "
            "e.g. --feedback 20000 for a quick run), with their holdings and timeline events",
        )  # fmt: skip

    def handle(self, *args, scale: str, seed: int, people: int | None, plans: bool, commitments: bool, oversight: bool, feedback: int | None, **options) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
        if commitments and scale == "city" and people is None:
            from lamtheo.devtools.scale_commitments import PEOPLE_FOR_500K_PLANS

            # 500,000 people hold ~300,000 party members; the target is 500,000 plans.
            people = PEOPLE_FOR_500K_PLANS
        try:
            counts = build_scale(scale=scale, seed=seed, people=people, stdout=self.stdout)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if plans:
            from lamtheo.devtools.scale_planning import build_plans

            counts.update(build_plans(seed=seed))
        if commitments:
            from lamtheo.devtools.scale_commitments import build_commitments

            counts.update(build_commitments(seed=seed, stdout=self.stdout))
        if oversight:
            from lamtheo.devtools.scale_oversight import build_oversight

            counts.update(build_oversight(seed=seed))
        if feedback:
            from lamtheo.devtools.scale_feedback import build_feedback

            try:
                counts.update(build_feedback(count=feedback, seed=seed, stdout=self.stdout))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(", ".join(f"{k}: {v:,}" for k, v in counts.items()))
