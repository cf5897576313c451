"""Which conformance cases change verdict between default and ``--strict`` mode, and why.

The list is :data:`tests.conformance.modes.MODE_CHANGES`; this test recomputes it from
the manifest's cases and prints it (``pytest -s``), so a change in either mode shows up.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance import modes, test_conformance_ob2, test_conformance_ob3

pytestmark = pytest.mark.conformance


def test_cases_that_change_verdict_between_modes(conformance_dir: Path) -> None:
    verdicts = {**test_conformance_ob3.verdicts_by_mode(conformance_dir),
                **test_conformance_ob2.verdicts_by_mode(conformance_dir)}
    changed = {cid: pair for cid, pair in verdicts.items() if pair[0] is not pair[1]}
    print(f"\n{len(changed)} of {len(verdicts)} cases change verdict between modes:")  # noqa: T201
    for cid, (default, strict) in sorted(changed.items()):
        print(f"  {cid}: {default.value} (default) -> {strict.value} (--strict): "  # noqa: T201
              f"{modes.MODE_CHANGES.get(cid, '(not recorded)')}")
    assert set(changed) == set(modes.MODE_CHANGES)
    # strict only ever adds failures: it never turns a failure into a pass
    assert all(strict.value == "invalid" for _, strict in changed.values())
