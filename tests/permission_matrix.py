"""The permission matrix: for every named URL, what each member of the cast gets.

Each app lists its rows in tests/<app>/matrix.py. test_permission_matrix.py requests every
row as every user and fails when a URL name exists that no row mentions.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

USERS = ["anonymous", "admin", "staff_p", "staff_q", "official_x", "official_y", "lead_x"]


@dataclass
class Row:
    name: str
    args: Callable = lambda cast: []  # noqa: E731 - the URL's arguments, from the cast
    expect: dict = field(default_factory=dict)  # user -> status code; every user of USERS
    method: str = "get"
    data: Callable = lambda cast: {}  # noqa: E731 - POST data, from the cast

    def url(self, cast):
        return reverse(self.name, args=self.args(cast))

    def __post_init__(self):
        missing = set(USERS) - set(self.expect)
        if missing:
            raise ValueError(f"{self.name}: no expectation for {sorted(missing)}")


def expect(default, **statuses):
    """Every user gets ``default`` unless named; an anonymous visitor is sent to log in (302)."""
    result = dict.fromkeys(USERS, default)
    result["anonymous"] = 302
    result.update(statuses)
    return result
