import pytest

from members.models import Department


@pytest.fixture
def roster_setup(branch, group, second_group, department):
    """The branch's groups and departments that the roster files name."""
    Department.objects.create(branch=branch, name="学院办公室")
    return branch


@pytest.fixture
def officer_client(officer, client_for, roster_setup):
    return client_for(officer)
