"""An officer reads the participation figures on a phone: the breakdown tables scroll inside their
cards instead of widening the page (a grid column used to grow with its table)."""

import pytest

from members.models import UnionGroup
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_it_fits_the_participation_figures_on_a_phone(open_browser, officer, branch, make_member):
    for number in range(4):
        group = UnionGroup.objects.create(branch=branch, name=f"应用数学研究所第{number}教工工会小组")
        make_member(f"2031{number:03d}", name=f"教工{number}", union_group=group)
    journey = open_browser(language="en", name="officer")
    log_in(journey.page, "officer")
    journey.page.goto("/activities/participation/")
    journey.check("participation")  # fails if the page is wider than the phone
    assert journey.page.locator("section.breakdown table").count() >= 4
