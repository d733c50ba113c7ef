"""How the admin shows a service's refusal: one way, for every ModelAdmin of the portal.

Admin saves run inside a transaction, so a refused save is rolled back whole. On a change form
the form is shown again with the officer's input kept and the refusal next to the field it names
(or at the top when it names none); when the refusal is that somebody else saved the object
meanwhile (`error.reload`), the page is reloaded with their values and the message. On the
list (a bulk action or delete) and on the delete page the refusal is a message and the page is
reloaded. Never a 500.
"""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect

from unionhome.errors import DomainError

_REFUSAL = "_unionhome_service_refusal"


class ServiceRefusalAdminMixin:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            if request.method != "POST" or error.reload or getattr(request, _REFUSAL, None) is not None:
                self.message_user(request, error.message, messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            setattr(request, _REFUSAL, error)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, _REFUSAL, None)
        if refusal is None:
            return form_class

        class Refused(form_class):
            def clean(self):
                data = super().clean()
                self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)
                return data

        return Refused

    def construct_change_message(self, request, form, formsets, add=False):
        # Inlines that services write are read-only here, so their save_formset saves nothing and
        # leaves no new/changed/deleted lists behind for Django's change message to read.
        for formset in formsets:
            for name in ("new_objects", "changed_objects", "deleted_objects"):
                if not hasattr(formset, name):
                    setattr(formset, name, [])
        return super().construct_change_message(request, form, formsets, add)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except DomainError as error:  # a bulk action or delete refused: rolled back whole
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ServiceDeleteAdminMixin:
    """Deletes go through the app's service: `delete_service(<service_argument>=obj, actor=user)`.

    A bulk delete is all or none: one refusal rolls back the others (and is shown by
    ServiceRefusalAdminMixin).
    """

    delete_service = None
    service_argument = ""

    def delete_model(self, request, obj):
        type(self).delete_service(**{self.service_argument: obj}, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
