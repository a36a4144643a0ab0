"""Who proposes and who decides a member's grade is rulebook data: loaded with each evaluation scheme, with the
guidance it comes from, and checked on load (a typo would leave grades that nobody may decide)."""

from __future__ import annotations

import json

import pytest

from conftest import SYSTEM
from lamtheo.core.errors import DomainError
from lamtheo.rulebook.models import EvaluationScheme, Regulation
from lamtheo.rulebook.services import DEFAULT_FILE, rulebook_load

pytestmark = pytest.mark.django_db


def test_each_scheme_says_who_proposes_and_who_decides_with_its_source():  # type: ignore[no-untyped-def]
    rulebook_load(actor=SYSTEM)
    for code, guidance in (("qd124-2023", "25-HD/BTCTW"), ("qd366-2025", "43-HD/BTCTW")):
        authority = EvaluationScheme.objects.get(code=code).authority
        assert authority["propose"] == ["cell"]
        assert authority["decide"] == ["grassroots_committee", "grassroots_cell"]
        assert guidance in authority["source"] and "NOT FOUND" in authority["source"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.pop("source"), "authority needs propose, decide and its source"),
        (lambda a: a.update(decide=["ward"]), "authority.decide must list levels"),
        (lambda a: a.update(decide=[]), "authority.decide must list levels"),
        (lambda a: a.update(propose="cell"), "authority.propose must list levels"),
    ],
)
def test_a_bad_authority_refuses_the_whole_load(tmp_path, change, message):  # type: ignore[no-untyped-def]
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    valid = {"propose": ["cell"], "decide": ["grassroots_committee"], "source": "HD 43-HD/BTCTW"}
    change(data["evaluation_schemes"][1].setdefault("authority", valid))
    bad = tmp_path / "rulebook.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DomainError, match=message):
        rulebook_load(actor=SYSTEM, path=bad)
    assert not EvaluationScheme.objects.exists() and not Regulation.objects.exists()


def test_a_scheme_without_an_authority_is_refused(tmp_path):  # type: ignore[no-untyped-def]
    data = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    data["evaluation_schemes"][0].pop("authority", None)
    bad = tmp_path / "rulebook.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DomainError, match="qd124-2023: authority needs"):
        rulebook_load(actor=SYSTEM, path=bad)
    assert not EvaluationScheme.objects.exists()
