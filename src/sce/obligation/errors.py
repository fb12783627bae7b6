"""Input errors of the obligation checker and planner: each names the field and the rule it breaks."""

from __future__ import annotations


class ObligationInputError(ValueError):
    """Bad input: ``field`` is a path such as ``establishments[0].drinks``; ``rule`` says what is expected."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule

    def as_dict(self) -> dict[str, str]:
        """The error as the JSON object the CLI and the pages return."""
        return {"field": self.field, "rule": self.rule, "message": str(self)}
