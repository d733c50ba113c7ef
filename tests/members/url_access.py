from members.services import email_change_request
from tests.url_access import row


def objects(world):
    """A correction of the member's login e-mail, started by the officer, waiting for her."""
    tokens = []
    email_change_request(
        member=world.member,
        new_email="corrected@example.edu.cn",
        actor=world.officer.user,
        confirm_url=tokens.append,
    )
    return {"token": tokens[0]}


ROWS = [
    # The superuser has no member record: /me/ is about a member.
    row("members:me", superuser=404),
    # The /me/ notice settings form posts here (POST only: 405 to a GET).
    row("members:notice_settings", default=405),
    # allauth's e-mail management is off: everyone signed in is sent to /me/.
    row("members:email_change_confirm", lambda o: {"token": o["token"]}, default=404, member=200),
    row("members:email_management", default=302),
]
