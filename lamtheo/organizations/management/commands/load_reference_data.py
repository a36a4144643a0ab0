"""Load (or refresh) the reference data every installation needs: whatever each context registered
(`lamtheo.core.reference_data`): roles, the rulebook, the themes…"""

from django.core.management.base import BaseCommand

from lamtheo.core import reference_data
from lamtheo.core.actor import Actor


def _summary(name: str, result: object) -> str:
    if isinstance(result, dict):
        return "; ".join(f"{key.replace('_', ' ')}: {value}" for key, value in result.items())
    return f"{name}: {result}"


class Command(BaseCommand):
    help = "Load the reference data of every context (roles, rulebook, themes…); safe to run again."

    def handle(self, *args, **options) -> None:
        actor = Actor.system(reason="load_reference_data")
        results = reference_data.load_all(actor=actor)
        self.stdout.write("; ".join(_summary(name, result) for name, result in results.items()))
