from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PlacesConfig(AppConfig):
    name = "gongzhi.places"
    label = "places"
    verbose_name = pgettext_lazy("location", "Places")
