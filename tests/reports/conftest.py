import pytest

from reports import prose, workflow
from tests.reports.factories import make_request


@pytest.fixture
def report_request(cast):
    return make_request(cast)


@pytest.fixture
def draft_x(cast, report_request):
    """Commune X's draft, with prose in sections 2 and 3 and a signer."""
    report = workflow.start(report_request, cast.commune_x, cast.official_x)
    report.signer_name = "Nguyễn Quang Ngọc"
    report.prose = {
        "s2": prose.stored("Các Tổ đã hướng dẫn người dân **cài đặt VNeID**.\n- Hỗ trợ tại hộ gia đình."),
        "s3": prose.stored("- Tiếp tục tổ chức các lớp tập huấn."),
    }
    return workflow.save_draft(report, report.revision)


@pytest.fixture
def submitted_x(cast, draft_x):
    workflow.submit(draft_x, cast.official_x)
    draft_x.refresh_from_db()
    return draft_x


@pytest.fixture
def trusted_root(settings, tmp_path):
    """The test signing certificate configured as a trusted root (settings.SIGNING_TRUST_ROOTS)."""
    from tests.reports.signing_data import certificate_pem

    root = tmp_path / "root.pem"
    root.write_bytes(certificate_pem())
    settings.SIGNING_TRUST_ROOTS = [root]
    return root
