"""The language check: free text about a child is checked for victim-blaming and adultifying
language, each finding with why it matters and a suggested rewording (docs/language-check.md).

It warns; it never blocks. The patterns are data in rules/language/ (patterns.py reads them).
"""

from childfirst.screening.language.check import Finding, check_language, rules_version
from childfirst.screening.language.patterns import LanguageRuleError, current_patterns

__all__ = ["Finding", "LanguageRuleError", "check_language", "current_patterns", "rules_version"]
