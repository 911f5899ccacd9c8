from tests.permission_matrix import Row, expect

ROWS = [
    # The load balancer's probe: no login, the same answer for everyone.
    Row("healthz", expect=expect(200, anonymous=200)),
]
