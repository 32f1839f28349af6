"""The service navigation: each role sees only what it may use."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    rule: str


# Later apps add their sections here, in the order people use them.
NAVIGATION = [
    NavItem("Home", "web:home", "web.view_home"),
    NavItem("Agencies and schools", "directory:agencies", "directory.view_directory"),
    NavItem("Administration", "admin:index", "admin.use_admin"),
]


def items_for(user, current_path: str):
    items = []
    for item in NAVIGATION:
        if not user.has_perm(item.rule):
            continue
        href = reverse(item.url_name)
        current = current_path == href if href == "/" else current_path.startswith(href)
        items.append({"label": item.label, "href": href, "current": current})
    return items
