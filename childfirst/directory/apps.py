from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "childfirst.directory"
    label = "directory"
    verbose_name = "Directory"
