from tests.permission_matrix import Row, expect

ROWS = [
    # The installable app (portal/offline.py): the same file for everyone, logged in or not.
    Row("service_worker", expect=expect(200, anonymous=200)),
    Row("manifest", expect=expect(200, anonymous=200)),
]
