from tests.url_access import row

ROWS = [
    row("home"),
    row("notices_read", default=405),
    # Changing the language works before login too (the login page offers it); a GET goes back.
    row("set_language", default=302),
]
