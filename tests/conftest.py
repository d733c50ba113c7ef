"""Shared fixtures: a branch with groups, and one persona per role.

Personas: anonymous (the plain `client`), member, second_member, officer, welfare_officer,
congress_secretary, treasurer, and staff_without_permissions. `client_for(persona)` returns a
test client signed in as that persona.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, override_settings

from members.models import Branch, Department, Member, UnionGroup
from unionhome import roles

# The end-of-run HTML check: `from tests.html_check import collect_html` in any test.
pytest_plugins = ["tests.html_check"]


@pytest.fixture(scope="session", autouse=True)
def _plain_http_and_unhashed_static():
    """Session-wide, so that the live server's middleware (built once) sees it too.

    The test client and the browser speak plain HTTP (the HTTPS defaults are tested in
    tests/unionhome/test_security_settings.py), and tests do not run collectstatic: WhiteNoise
    serves from the source folders, unhashed (the hashed, compressed storage is tested after a
    real collectstatic in tests/unionhome/test_deployment.py).
    """
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        STATIC_ROOT=None,
        WHITENOISE_USE_FINDERS=True,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")  # uploads made by a test stay in its own folder
    # A cache private to each test (production shares the database cache or Redis between
    # workers: tests/unionhome/test_cache.py and the two-worker test in test_deployment.py).
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def branch(db):
    return Branch.objects.create(name="数学与统计学院分工会", short_name="数统分工会")


@pytest.fixture
def other_branch(db):
    return Branch.objects.create(name="物理学院分工会")


@pytest.fixture
def group(branch):
    return UnionGroup.objects.create(branch=branch, name="数学系工会小组")


@pytest.fixture
def second_group(branch):
    return UnionGroup.objects.create(branch=branch, name="学院办公室工会小组", sort_order=1)


@pytest.fixture
def department(branch):
    return Department.objects.create(branch=branch, name="数学系")


_counter = {"n": 0}


@pytest.fixture
def make_member(db, branch, group):
    """Create a member (and login account) with sensible defaults; roles by name."""

    def make(
        staff_number=None,
        *,
        name="张伟",
        roles_=(roles.MEMBER,),
        is_staff=False,
        password="pw-123456",
        member_branch=None,
        union_group=None,
        **fields,
    ):
        _counter["n"] += 1
        staff_number = staff_number or f"T{_counter['n']:05d}"
        user = get_user_model().objects.create_user(
            username=staff_number,
            email=fields.get("email", f"{staff_number}@example.edu.cn"),
            password=password,
            is_staff=is_staff,
        )
        for role in roles_:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        the_branch = member_branch or branch
        defaults = {
            "gender": Member.Gender.FEMALE,
            "birth_date": date(1985, 6, 1),
            "email": f"{staff_number}@example.edu.cn",
        }
        defaults.update(fields)
        return Member.objects.create(
            user=user,
            branch=the_branch,
            staff_number=staff_number,
            name=name,
            union_group=union_group
            or (
                group
                if the_branch == branch
                else UnionGroup.objects.create(branch=the_branch, name=f"小组{_counter['n']}")
            ),
            **defaults,
        )

    return make


@pytest.fixture
def member(make_member):
    return make_member("2008001", name="李芳")


@pytest.fixture
def second_member(make_member):
    return make_member("2008002", name="王强", gender=Member.Gender.MALE)


@pytest.fixture
def officer(make_member):
    return make_member("officer", name="陈建华", roles_=(roles.MEMBER, roles.OFFICER), is_staff=True)


@pytest.fixture
def welfare_officer(make_member):
    return make_member("welfare", name="林秀英", roles_=(roles.MEMBER, roles.WELFARE_OFFICER), is_staff=True)


@pytest.fixture
def congress_secretary(make_member):
    return make_member(
        "secretary", name="赵志远", roles_=(roles.MEMBER, roles.CONGRESS_SECRETARY), is_staff=True
    )


@pytest.fixture
def treasurer(make_member):
    return make_member("treasurer", name="孙丽娟", roles_=(roles.MEMBER, roles.TREASURER), is_staff=True)


@pytest.fixture
def staff_without_permissions(make_member):
    return make_member("staff0", name="周敏", roles_=(roles.MEMBER,), is_staff=True)


@pytest.fixture
def other_branch_officer(make_member, other_branch):
    return make_member(
        "phys-officer",
        name="吴磊",
        roles_=(roles.MEMBER, roles.OFFICER),
        is_staff=True,
        member_branch=other_branch,
    )


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.edu.cn", "pw-123456")


@pytest.fixture
def client_for():
    """A test client signed in as the given member (or user)."""

    def make(persona):
        client = Client()
        client.force_login(getattr(persona, "user", persona))
        return client

    return make


# --- welfare (issue 8) ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _welfare_private_files(settings, tmp_path):
    """Case attachments go to a directory private to each test, never the real var/."""
    settings.WELFARE_PRIVATE_ROOT = tmp_path / "welfare-private"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Private uploads (disclosure attachments) go to a directory private to each test."""
    settings.UNIONHOME_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _congress_pdf_cache(settings, tmp_path):
    """Session PDFs are cached on disk: a private directory per test."""
    settings.CONGRESS_PDF_CACHE_DIR = tmp_path / "congress-pdf"
