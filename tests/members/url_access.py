from tests.url_access import row

ROWS = [
    # The superuser has no member record: /me/ is about a member.
    row("members:me", superuser=404),
    # allauth's e-mail management is off: everyone signed in is sent to /me/.
    row("members:email_management", default=302),
]
