"""Catalogue search (DESIGN §6): diacritics, "đ", case, tone placement, abbreviations, partial
words, national codes, ranking; the same answers on SQLite and PostgreSQL (the suite runs on
both)."""

import pytest

from dichvucong.catalog import search, selectors
from dichvucong.catalog.selectors import ProcedureFilters

from .factories import make_procedure


def found(query: str, **filters) -> list[str]:
    return [p.name for p in selectors.procedure_list(ProcedureFilters(query=query, **filters))]


def test_normalise_folds_marks_case_d_and_punctuation():
    """Marks and case go, 'đ' becomes 'd', punctuation becomes spaces, codes stay whole."""
    assert search.normalise("An toàn, VỆ SINH lao Động – 1.000105") == (
        "an toan ve sinh lao dong 1.000105"
    )
    assert search.normalise("Hoà") == search.normalise("Hòa") == "hoa"
    assert search.normalise("ĐĂNG KÝ") == "dang ky"


def test_search_document_adds_code_parts_and_abbreviation_phrases():
    """A code is also found without its prefix; an abbreviation brings its full phrase."""
    document = search.search_document("1.000105", "Huấn luyện ATVSLĐ")
    assert "000105" in document.split()
    assert "1000105" in document.split()
    assert "an toan ve sinh lao dong" in document


@pytest.mark.django_db
class TestSearch:
    def test_without_diacritics_finds_accented_names(self, catalogue):
        """'an toan ve sinh lao dong' finds 'An toàn, vệ sinh lao động' (guide's field)."""
        results = found("an toan ve sinh lao dong")
        assert catalogue.khai_bao.name in results
        assert catalogue.huan_luyen.name in results
        assert catalogue.hoi_thao.name not in results

    def test_d_and_đ_are_the_same_letter(self, catalogue):
        assert found("lao dong nuoc ngoai") == found("lao động nước ngoài")
        assert found("lao dong nuoc ngoai") == [catalogue.giay_phep.name]
        assert found("ĐỘNG NƯỚC NGOÀI") == [catalogue.giay_phep.name]

    def test_mixed_case(self, catalogue):
        assert found("GiẤy PhÉp LaO đỘnG") == [catalogue.giay_phep.name]

    def test_both_tone_placements(self, catalogue):
        """'hòa' (new placement) and 'hoà' (old) find the name spelled 'Hoà'."""
        assert found("hòa giải") == [catalogue.hoa_giai.name]
        assert found("hoà giải") == [catalogue.hoa_giai.name]
        assert found("hoa giai") == [catalogue.hoa_giai.name]

    def test_composed_and_decomposed_unicode(self, catalogue):
        """A query typed with combining marks (NFD) finds the same."""
        import unicodedata

        assert found(unicodedata.normalize("NFD", "giấy phép lao động")) == [
            catalogue.giay_phep.name
        ]

    def test_abbreviations_find_full_names(self, catalogue):
        """ATVSLĐ and LĐTBXH find their full names, with or without marks."""
        atvsld = found("ATVSLĐ")
        assert set(atvsld) == {catalogue.khai_bao.name, catalogue.huan_luyen.name}
        assert found("atvsld") == atvsld
        ldtbxh = set(found("LĐTBXH"))
        assert ldtbxh == {
            catalogue.khai_bao.name,
            catalogue.huan_luyen.name,
            catalogue.giay_phep.name,
        }
        assert set(found("GPLĐ nước ngoài")) == {catalogue.giay_phep.name}

    def test_abbreviation_in_a_name_is_found_by_the_full_phrase(self, catalogue):
        procedure = make_procedure(
            catalogue.ldtbxh, catalogue.atvsld, "Báo cáo công tác ATVSLĐ định kỳ", code="9.999002"
        )
        assert procedure.name in found("an toàn vệ sinh lao động báo cáo")

    def test_partial_words(self, catalogue):
        """Words may be cut short: 'giay phe lao d' finds 'giấy phép lao động'."""
        assert found("giay phe lao d") == [catalogue.giay_phep.name]
        # ... at the start of words only: 'an' is not inside 'toàn'.
        assert catalogue.hoi_thao.name not in found("oan")

    def test_national_code_exact_and_partial(self, catalogue):
        assert found("1.000105") == [catalogue.giay_phep.name]
        assert found("000105") == [catalogue.giay_phep.name]
        assert found(" 2.001707 ") == [catalogue.hoi_thao.name]

    def test_agency_and_field_words_are_searched(self, catalogue):
        assert set(found("ngoai vu")) == {catalogue.hoi_thao.name, catalogue.hoa_giai.name}
        assert set(found("viec lam")) == {catalogue.giay_phep.name}

    def test_keywords_are_searched(self, catalogue):
        procedure = make_procedure(
            catalogue.ngoaivu,
            catalogue.hoi_nghi,
            "Cho phép sử dụng thẻ đi lại của doanh nhân APEC",
            code="1.011652",
            keywords="thẻ ABTC, visa doanh nhân",
        )
        assert found("visa doanh nhan") == [procedure.name]

    def test_nothing_found(self, catalogue, client):
        """An unknown word finds nothing; the page says so and suggests what to do."""
        assert found("xyzzy khong co") == []
        response = client.get("/thu-tuc/", {"tu_khoa": "xyzzy khong co"})
        content = response.content.decode()
        assert "Không tìm thấy thủ tục nào phù hợp." in content
        assert "Tìm thấy 0 thủ tục" in content

    def test_blank_or_punctuation_only_query_lists_everything(self, catalogue):
        assert len(found("")) == len(found(" ,.-– ")) == 5

    def test_ranking_exact_phrase_and_name_hits_first(self, catalogue):
        """Exact name first, then the phrase in names, then names with every word, then the
        rest (here: a match only through the agency's name)."""
        exact = make_procedure(
            catalogue.ldtbxh, catalogue.viec_lam, "Lao động nước ngoài", code="9.999003"
        )
        scattered = make_procedure(
            catalogue.ldtbxh,
            catalogue.viec_lam,
            "Báo cáo tình hình sử dụng người nước ngoài làm lao động",
            code="9.999004",
        )
        results = found("lao động nước ngoài")
        assert results == [exact.name, catalogue.giay_phep.name, scattered.name]

    def test_rank_by_code_comes_first(self, catalogue):
        other = make_procedure(
            catalogue.ldtbxh,
            catalogue.viec_lam,
            "Thủ tục có nhắc mã 1.000302 trong tên",
            code="9.999005",
        )
        assert found("1.000302") == [catalogue.huan_luyen.name, other.name]

    def test_unpublished_and_inactive_are_not_found(self, catalogue):
        from dichvucong.catalog import services

        services.procedure_update(procedure=catalogue.giay_phep, is_published=False)
        make_procedure(
            catalogue.ldtbxh, catalogue.viec_lam, "Giấy phép nháp", code="9.999006", publish=False
        )
        assert found("giay phep") == []

    def test_very_long_query_is_cut_not_refused(self, catalogue):
        assert found("giấy phép lao động " * 40) == [catalogue.giay_phep.name]

    def test_like_wildcards_never_reach_the_database(self, catalogue):
        """'%' and '_' are punctuation like any other: they separate words, never match
        anything by themselves (they would be LIKE wildcards)."""
        assert search.parse_query("%_%").groups == ()
        assert found("%") == found("")
        assert found("lao_dong_nuoc") == found("lao dong nuoc") == [catalogue.giay_phep.name]
        assert found("j%j lao") == []  # no word starts with "j"
