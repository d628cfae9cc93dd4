"""`make mutation`'s score: killed over all mutants but the equivalent ones; a mutant no test
ran counts as a survivor; mutants left out of a sample count for nothing."""

from __future__ import annotations

import json
from pathlib import Path

from deploy.mutation.score import equivalent_mutants, modules_to_mutate, score, table, verdicts

KILLED, SURVIVED, NO_TESTS, TIMEOUT = 1, 0, 33, 36


def test_equivalent_mutants_leave_the_score_and_the_rest_count() -> None:
    codes = {
        "m.x_f__mutmut_1": KILLED,
        "m.x_f__mutmut_2": TIMEOUT,
        "m.x_f__mutmut_3": SURVIVED,
        "m.x_f__mutmut_4": NO_TESTS,
        "m.x_f__mutmut_5": SURVIVED,
        "m.x_f__mutmut_6": None,
    }

    result = score("m.py", codes, ["m.x_f__mutmut_5", "m.x_f__mutmut_1"])

    assert (result.mutants, result.killed, result.equivalent) == (5, 2, 1)
    assert result.survived == ["m.x_f__mutmut_3", "m.x_f__mutmut_4"]
    assert result.score == 50.0


def test_a_module_without_mutants_scores_full_marks() -> None:
    assert score("empty.py", {}, []).score == 100.0


def test_the_table_has_a_row_per_module_and_a_total() -> None:
    rows = table(
        [
            score("a.py", {"a.x__mutmut_1": KILLED, "a.x__mutmut_2": SURVIVED}, []),
            score("b.py", {"b.x__mutmut_1": KILLED}, []),
        ]
    ).splitlines()

    assert rows[0].split() == ["module", "mutants", "killed", "survived", "equiv", "score"]
    assert [row.split() for row in rows[2:]] == [
        ["a.py", "2", "1", "1", "0", "50.0%"],
        ["b.py", "1", "1", "0", "0", "100.0%"],
        ["all", "3", "2", "1", "0", "66.7%"],
    ]


def test_verdicts_come_from_mutmuts_meta_file_of_the_module(tmp_path: Path) -> None:
    meta = tmp_path / "services" / "x.py.meta"
    meta.parent.mkdir()
    meta.write_text(json.dumps({"exit_code_by_key": {"services.x.x_f__mutmut_1": 1}}))

    assert verdicts(tmp_path, "services/x.py") == {"services.x.x_f__mutmut_1": 1}
    assert verdicts(tmp_path, "services/y.py") == {}


def test_the_modules_and_the_equivalent_mutants_are_listed_once_in_the_repository() -> None:
    root = Path(__file__).resolve().parents[2]

    modules = modules_to_mutate(root / "pyproject.toml")
    equivalent = equivalent_mutants(root / "deploy" / "mutation" / "equivalent.toml")

    assert modules and all((root / module).is_file() for module in modules)
    prefixes = tuple(module.removesuffix(".py").replace("/", ".") + ".x" for module in modules)
    assert all(name.startswith(prefixes) and why for name, why in equivalent.items())
