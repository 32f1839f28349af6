"""Declare the permission rule a view needs; PermissionRuleMiddleware enforces it."""


def permission_rule(name: str):
    """Mark a view function or class-based view with the rule that allows it."""

    def mark(view):
        view.permission_rule = name
        return view

    return mark


def rule_of(view_func) -> str | None:
    """The rule a resolved view declares, or None (which means nobody may use it)."""
    rule = getattr(view_func, "permission_rule", None)
    if rule is None and hasattr(view_func, "view_class"):
        rule = getattr(view_func.view_class, "permission_rule", None)
    return rule
