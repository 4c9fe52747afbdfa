import pytest

from dichvucong.catalog.models import Agency, AgencyLevel

from .factories import Catalogue


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Generated templates go to a folder of this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def province(db) -> Agency:
    return Agency.objects.create(
        code="000.00.00.H10", name="Ủy ban nhân dân tỉnh Bình Phước", level=AgencyLevel.PROVINCE
    )


@pytest.fixture
def catalogue(province) -> Catalogue:
    return Catalogue(province)
