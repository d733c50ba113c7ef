from tests.url_access import row

ROWS = [
    # The superuser has no member record: /me/ is about a member.
    row("members:me", superuser=404),
]
