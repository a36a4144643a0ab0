"""Load (or refresh) the reference data every installation needs: roles and the rulebook."""

from django.core.management.base import BaseCommand

from lamtheo.core.actor import Actor
from lamtheo.core.scoping import activate
from lamtheo.organizations.services import role_catalogue_load
from lamtheo.planning.services import theme_catalogue_load
from lamtheo.rulebook.services import rulebook_load


class Command(BaseCommand):
    help = "Load the role catalogue and the rulebook (regulations, criteria sets); safe to run again."

    def handle(self, *args, **options) -> None:
        actor = Actor.system(reason="load_reference_data")
        with activate(actor.scope):
            roles = role_catalogue_load(actor=actor)
            counts = rulebook_load(actor=actor)
            themes = theme_catalogue_load(actor=actor)
        self.stdout.write(
            f"roles: {roles}; regulations: {counts['regulations']}; criteria sets: {counts['criteria_sets']}; "
            f"criteria: {counts['criteria']}; themes: {themes}"
        )
