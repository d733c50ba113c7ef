"""The one base class of the portal's domain refusals.

A service that refuses a change raises a subclass of `DomainError` with the sentence the user
reads (already translated) and, where the refusal is about one input, the name of that field.
Views show `error.message` on the page the input came from; the admin shows it through
`unionhome.admin_refusals.ServiceRefusalAdminMixin`, next to the field when it names one, or
by reloading the page when the class says `reload = True`.
"""


class DomainError(Exception):
    # True when the refusal is that the record changed under the user (someone else saved it
    # meanwhile): the admin reloads the page with the current values instead of keeping the input.
    reload = False

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)
