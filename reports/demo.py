"""Demo report requests and reports (filled in by the reports work)."""


def seed_reports():
    return None
