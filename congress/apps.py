from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("教代会与经费公开")

    def nav_items(self, request):
        return [*self.disclosure_nav_items(request)]

    # --- Finance disclosures ---

    def disclosure_nav_items(self, request):
        """The header's link to the finance disclosures."""
        from unionhome.sections import NavItem, path_is_under

        url = reverse("disclosures:list")
        return [NavItem(url, _("经费公开"), path_is_under(request, url), 70)]
