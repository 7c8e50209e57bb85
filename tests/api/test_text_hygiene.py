"""NUL and bidirectional control characters are refused in every text field, on both back ends,
with a 422 naming the field; nothing is written."""
import pytest

from models.base import FORBIDDEN_TEXT_CHARACTERS, StrictModel


def _count(client, tenant) -> int:
    return client.get("/v1/persons", headers=tenant.headers()).json()["total"]


@pytest.mark.parametrize("char", ["\x00", "\u202e", "\u2066"])
def test_a_name_with_a_nul_or_bidi_control_is_422_naming_the_field(client, tenant, char):
    response = client.post("/v1/persons", json={"external_id": "A1", "name": f"张{char}三"}, headers=tenant.headers())
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "name"
    assert f"U+{ord(char):04X}" in error["message"] and "remove it" in error["message"]
    assert _count(client, tenant) == 0


def test_a_control_character_inside_a_list_of_texts_names_that_field(client, tenant):
    response = client.post("/v1/persons", json={"external_id": "A2", "skills": ["电工", "焊\x00工"]},
                           headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("skills")


def test_a_change_with_a_control_character_leaves_the_person_as_they_were(client, tenant):
    person = client.post("/v1/persons", json={"external_id": "A3", "name": "李四"}, headers=tenant.headers()).json()
    response = client.patch(f"/v1/persons/{person['id']}", json={"name": "李\u202e四"}, headers=tenant.headers())
    assert response.status_code == 422
    assert client.get(f"/v1/persons/{person['id']}", headers=tenant.headers()).json()["name"] == "李四"


def test_every_input_model_refuses_control_characters_in_text():
    class Probe(StrictModel):
        title: str
        tags: dict[str, str] = {}

    with pytest.raises(ValueError, match="U\\+0000"):
        Probe(title="a\x00b")
    with pytest.raises(ValueError, match="U\\+202D"):
        Probe(title="ok", tags={"k": "\u202d"})
    assert Probe(title="正常的名字 O'Brien").title == "正常的名字 O'Brien"


def test_the_forbidden_set_is_nul_and_the_ten_bidi_controls():
    forbidden = [c for c in map(chr, range(0x3000)) if FORBIDDEN_TEXT_CHARACTERS.match(c)]
    assert [f"{ord(c):04X}" for c in forbidden] == ["0000", "202A", "202B", "202C", "202D", "202E",
                                                    "2066", "2067", "2068", "2069"]
