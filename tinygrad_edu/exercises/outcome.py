"""What checking one exercise says: passed or not, in plain words, and why.

>>> Outcome("mul", "pass", "mul: right on 100 inputs.").passed
True
>>> Outcome("tanh", "wrong", "tanh: wrong.", mistake="sign error").score
0.0
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

# The states a check ends in; only "pass" scores.
STATES = ("pass", "wrong", "error", "not started", "missing", "timeout", "memory")


@dataclass
class Outcome:
    """``message`` is what the learner reads (several lines); ``mistake`` the name of a
    usual mistake when one was recognised; ``case`` the failing input and the learner's
    answers as JSON-ready data (the stepper page is rebuilt from it)."""

    name: str
    status: str
    message: str
    mistake: str | None = None
    case: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.status not in STATES:
            raise ValueError(f"Outcome: status must be one of {STATES}, got {self.status!r}")

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @property
    def score(self) -> float:
        return 1.0 if self.passed else 0.0

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Outcome":
        return cls(data["name"], data["status"], data["message"], data.get("mistake"),
                   data.get("case") or {})
