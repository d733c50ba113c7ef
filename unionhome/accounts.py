from allauth.account.adapter import DefaultAccountAdapter


class UnionAccountAdapter(DefaultAccountAdapter):
    """Accounts come from the union roster; nobody signs up on their own."""

    def is_open_for_signup(self, request):
        return False
