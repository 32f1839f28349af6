"""The service navigation: each role sees only what it may use."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    rule: str
    section: str = ""  # the start of every address in this section; the link's own by default


# Later apps add their sections here, in the order people use them.
NAVIGATION = [
    NavItem("Home", "web:home", "web.view_home"),
    NavItem(
        "Record a child",
        "incidents:record-start",
        "incidents.record_incident",
        "/incidents/record/",
    ),
    NavItem("Referrals desk", "desk:queue", "desk.use_queue", "/desk/"),
    NavItem("Identity review", "people:review-queue", "people.review_identities", "/people/"),
    NavItem("Referrals received", "dispatch:portal", "dispatch.use_portal", "/dispatch/portal/"),
    NavItem(
        "Agencies and schools", "directory:agencies", "directory.view_directory", "/directory/"
    ),
    NavItem("Administration", "admin:index", "admin.use_admin"),
]


def items_for(user, current_path: str):
    items = []
    for item in NAVIGATION:
        if not user.has_perm(item.rule):
            continue
        href = reverse(item.url_name)
        if href == "/":
            current = current_path == href
        else:
            current = current_path.startswith(item.section or href)
        items.append({"label": item.label, "href": href, "current": current})
    return items
