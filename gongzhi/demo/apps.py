from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo town (``seed_demo``): each capability's demo data. It sits at the top of
    the import order (README, "What is here"): it may import every app, none imports it."""

    name = "gongzhi.demo"
    label = "demo"
