"""Policy codes are defined once (policy.returns) and every one has a label in each language."""

from cs_console.i18n import CATALOGUE
from cs_console.policy.returns import (
    COMPENSATION_REASONS,
    REASONS,
    RESOLUTIONS,
    RETURN_REASONS,
    RETURN_RESOLUTIONS,
    reasons_for_kind,
)


def test_every_reason_and_resolution_has_a_label_in_three_languages():
    for kind, codes in (("reason", REASONS), ("resolution", RESOLUTIONS)):
        for code in codes:
            labels = CATALOGUE[f"{kind}.{code}"]
            assert len(labels) == 3 and all(labels), code
            assert labels[2].isascii(), code  # the English label holds no Chinese


def test_return_codes_are_derived_from_the_policy_lists():
    assert set(RETURN_REASONS) == set(REASONS) - COMPENSATION_REASONS
    assert set(RETURN_RESOLUTIONS) <= set(RESOLUTIONS)
    for kind in ("cosmetic", "clothing", "shoes", "electronics", "other"):
        assert set(reasons_for_kind(kind)) <= set(RETURN_REASONS)
