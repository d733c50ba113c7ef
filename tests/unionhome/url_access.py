from tests.url_access import row

ROWS = [
    row("home"),
    row("notices_read", default=405),
    # allauth's TOTP set-up (returning to `next`): the password again first, so a redirect for all.
    row("mfa_activate_totp", default=302),
    # Changing the language works before login too (the login page offers it); a GET goes back.
    row("set_language", default=302),
]
