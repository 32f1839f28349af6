"""{% language_findings text child_age %}: the language check's findings beside free text, as
GOV.UK warning text with a suggested rewording for each. It warns; it never blocks.

    {% load language %}
    {% language_findings narrative %}
    {% language_findings voice child_age=15 %}
    {% language_findings voice about_child=True %}   (a child whose exact age is not known)
"""

import logging

from django import template

from childfirst.screening.language import LanguageRuleError, check_language

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("web/language_findings.html")
def language_findings(text, child_age=None, about_child=False):
    try:
        age = int(child_age) if child_age not in (None, "") else None
    except (TypeError, ValueError):
        age = None
    try:
        findings = check_language(
            text=str(text or ""), child_age=age, about_child=bool(about_child)
        )
    except LanguageRuleError as error:
        # The system check names the broken file at start-up; a page must still show.
        logger.error("Language check skipped: the pattern files are wrong:\n%s", error)
        findings = []
    return {"findings": findings}
