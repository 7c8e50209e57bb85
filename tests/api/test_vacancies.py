"""Vacancies and programmes: one at a time, and bulk import validated as a whole."""
import io
import json

from openpyxl import Workbook

from models.enums import Role

CSV = """external_id,employer,title,occupation_code,openings,district,shifts,pay_min,pay_max,public_welfare
V-1,某物业公司,小区保安,4-07-05-01,3,朝阳区,day|night,4000,5000,否
V-2,某超市,收银员,4-01-02-04,2,朝阳区,day,3800,4500,no
V-3,某餐馆,服务员,,0,朝阳区,day,3000,3500,否
V-4,,保洁员,,1,朝阳区,day,,,是
V-5,某餐馆,厨师学徒,,1,朝阳区,day,3000,2000,否
""".encode()

PROGRAMME = {"provider": "朝阳区职业技能培训学校", "title": "养老护理员（五级）培训", "target_occupation_codes": ["4-10-01-05"],
             "duration_weeks": 6, "district": "朝阳区", "capacity": 30, "subsidy_yuan": 1500}


def _import(client, tenant, data=CSV, **params):
    return client.post("/v1/vacancies/import", content=data, params=params,
                       headers=tenant.headers(**{"Content-Type": "text/csv"}))


def test_import_stores_valid_rows_and_lists_each_rejected_row(client, tenant):
    response = _import(client, tenant)
    assert response.status_code == 200
    report = response.json()
    assert (report["received"], report["created"], report["rejected_rows"]) == (5, 2, 3)
    problems = {(e["row"], e["field"]): e["message"] for e in report["rejected"]}
    assert problems[(4, "openings")] == "“openings” must be at least 1 (it is 0)."  # the header is row 1
    assert (5, "employer") in problems
    assert problems[(6, "row")] == "The lowest pay must not be above the highest."
    stored = client.get("/v1/vacancies", headers=tenant.headers()).json()
    assert sorted(v["external_id"] for v in stored["items"]) == ["V-1", "V-2"]
    assert stored["items"][0]["shifts"] == ["day", "night"]


def test_atomic_import_with_a_bad_row_stores_nothing(client, tenant):
    response = _import(client, tenant, atomic="true")
    assert response.status_code == 422
    assert any(e["field"].startswith("row 4") for e in response.json()["errors"])
    assert client.get("/v1/vacancies", headers=tenant.headers()).json()["total"] == 0


def test_reimport_updates_by_external_id(client, tenant):
    _import(client, tenant)
    changed = CSV.decode().replace("V-1,某物业公司,小区保安,4-07-05-01,3,", "V-1,某物业公司,小区保安,4-07-05-01,5,")
    again = _import(client, tenant, data=changed.encode()).json()
    assert (again["created"], again["updated"]) == (0, 2)
    vacancies = client.get("/v1/vacancies", params={"occupation_code": "4-07-05-01"}, headers=tenant.headers()).json()
    assert vacancies["items"][0]["openings"] == 5


def test_duplicate_external_id_in_one_file_is_rejected(client, tenant):
    data = b"external_id,employer,title,district\nD-1,a,b,c\nD-1,a,b,c\n"
    report = _import(client, tenant, data=data).json()
    assert report["rejected"] == [{"row": 3, "field": "external_id", "column": "external_id",
                                   "message": "duplicate in this file (first at row 2)",
                                   "message_zh": "编号与第 2 行重复；每个编号只能出现一次"}]


def test_xlsx_import(client, tenant):
    book = Workbook()
    sheet = book.active
    sheet.append(["employer", "title", "district", "openings", "internship"])
    sheet.append(["某公司", "见习文员", "东城区", 2, "是"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post("/v1/vacancies/import", content=buffer.getvalue(), params={"format": "xlsx"},
                           headers=tenant.headers())
    assert response.json()["created"] == 1
    item = client.get("/v1/vacancies", params={"internship": "true"}, headers=tenant.headers()).json()["items"][0]
    assert (item["title"], item["openings"]) == ("见习文员", 2)


def test_schema_org_jobposting_import(client, tenant):
    posting = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Warehouse picker",
               "identifier": {"@type": "PropertyValue", "value": "JP-9"},
               "hiringOrganization": {"@type": "Organization", "name": "Example Logistics"},
               "jobLocation": {"@type": "Place", "address": {"addressLocality": "通州区"},
                               "geo": {"latitude": 39.9, "longitude": 116.6}},
               "baseSalary": {"@type": "MonetaryAmount", "currency": "CNY",
                              "value": {"@type": "QuantitativeValue", "minValue": 25, "maxValue": 30,
                                        "unitText": "HOUR"}},
               "totalJobOpenings": 4, "educationRequirements": "初中及以上", "datePosted": "2026-11-01"}
    response = client.post("/v1/vacancies/import", content=json.dumps([posting]).encode(),
                           headers=tenant.headers(**{"Content-Type": "application/ld+json"}))
    assert response.json()["created"] == 1
    item = client.get("/v1/vacancies", headers=tenant.headers()).json()["items"][0]
    assert (item["external_id"], item["employer"], item["district"]) == ("JP-9", "Example Logistics", "通州区")
    assert (item["pay_min"], item["pay_max"]) == (4350, 5220)  # 174 working hours a month
    assert item["education_min"] == "junior_secondary"


def test_unreadable_file_is_422_naming_it(client, tenant):
    response = client.post("/v1/vacancies/import", content=b"\x00\x01", params={"format": "xlsx"},
                           headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"


def test_header_only_file_is_422(client, tenant):
    assert _import(client, tenant, data=b"employer,title,district\n").status_code == 422


def test_unknown_column_is_reported_by_name(client, tenant):
    report = _import(client, tenant, data=b"employer,title,district,gender_preference\na,b,c,male\n").json()
    assert report["rejected"][0]["field"] == "gender_preference"


def test_other_organisations_vacancy_is_404(client, make_tenant):
    owner, other = make_tenant(), make_tenant()
    _import(client, owner)
    vacancy_id = client.get("/v1/vacancies", headers=owner.headers()).json()["items"][0]["id"]
    assert client.get(f"/v1/vacancies/{vacancy_id}", headers=other.headers()).status_code == 404
    assert client.delete(f"/v1/vacancies/{vacancy_id}", headers=other.headers()).status_code == 404
    assert client.delete(f"/v1/vacancies/{vacancy_id}", headers=owner.headers()).status_code == 204


def test_programme_created_and_listed(client, tenant):
    created = client.post("/v1/programmes", json=PROGRAMME, headers=tenant.headers())
    assert created.status_code == 201
    listed = client.get("/v1/programmes", headers=tenant.headers(Role.analyst)).json()
    assert [p["title"] for p in listed["items"]] == ["养老护理员（五级）培训"]


def test_programme_with_bad_occupation_code_is_422(client, tenant):
    response = client.post("/v1/programmes", json={**PROGRAMME, "target_occupation_codes": ["nurse"]},
                           headers=tenant.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "target_occupation_codes"


def test_vacancy_without_code_is_coded_from_its_title_with_three_candidates(client, tenant):
    created = client.post("/v1/vacancies", json={"employer": "某超市", "title": "超市收银员", "district": "朝阳区"},
                          headers=tenant.headers())
    vacancy = created.json()
    assert vacancy["occupation_code"] is not None
    assert 0 <= vacancy["occupation_code_confidence"] <= 1
    assert len(vacancy["occupation_candidates"]) == 3
    assert vacancy["occupation_candidates"][0]["code"] == vacancy["occupation_code"]


def test_vacancy_with_a_code_keeps_it_and_has_no_candidates(client, tenant):
    vacancy = client.post("/v1/vacancies", json={"employer": "x", "title": "超市收银员", "district": "朝阳区",
                                                  "occupation_code": "4-01-02-04"}, headers=tenant.headers()).json()
    assert (vacancy["occupation_code"], vacancy["occupation_code_confidence"]) == ("4-01-02-04", None)
    assert vacancy["occupation_candidates"] == []


def test_vacancy_is_replaced_by_put(client, tenant):
    body = {"employer": "某超市", "title": "收银员", "district": "朝阳区", "occupation_code": "4-01-02-04"}
    vacancy_id = client.post("/v1/vacancies", json=body, headers=tenant.headers()).json()["id"]
    replaced = client.put(f"/v1/vacancies/{vacancy_id}", json={**body, "openings": 4}, headers=tenant.headers())
    assert replaced.status_code == 200 and replaced.json()["openings"] == 4
    assert client.put(f"/v1/vacancies/{vacancy_id}", json={**body, "openings": 0},
                      headers=tenant.headers()).status_code == 422
