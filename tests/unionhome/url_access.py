from tests.url_access import row

ROWS = [
    row("home"),
    row("notices_read", default=405),
    # allauth's TOTP set-up (returning to `next`): the password again first, so a redirect for all.
    row("mfa_activate_totp", default=302),
    # Changing the language works before login too (the login page offers it); a GET goes back.
    row("set_language", default=302),
    # The work queue (待办): an admin page, for staff; members are sent to the admin login.
    # Welfare items are listed only with the second factor (tests/welfare/test_queue.py).
    row(
        "admin_queue",
        default=302,
        welfare_officer=200,
        superuser=200,
        officer=200,
        other_branch_officer=200,
        secretary=200,
        treasurer=200,
    ),
]
