from django.db import connection

from feedback.queries import database_matches, published_answers
from workflow import services
from workflow.models import Petition


def test_only_answered_petitions_with_consent_are_listed_newest_first(
    client, answered, file_with_secret, consented
):
    older = consented(title="Cấp sổ đỏ chậm")
    newer = consented(title="Đèn đường hỏng")
    answered(title="Không đồng ý công khai", publish_consent=False)
    file_with_secret(title="Chưa trả lời", publish_consent=True)
    assert list(published_answers()) == [newer, older]
    html = client.get("/answers/").content.decode()
    assert html.index("Đèn đường hỏng") < html.index("Cấp sổ đỏ chậm")
    assert "Không đồng ý công khai" not in html
    assert "Chưa trả lời" not in html


def test_personal_data_is_not_shown_and_is_masked_inside_the_text(
    client, answered, consented
):
    consented(
        submitter_name="Lê Thị Hoa",
        email="hoa@example.vn",
        phone="0987654321",
        content="Tôi là Lê Thị Hoa, gọi 0987 654 321 hoặc viết hoa@example.vn.",
    )
    html = client.get("/answers/").content.decode()
    assert "Lê Thị Hoa" not in html
    assert "hoa@example.vn" not in html
    assert "0987" not in html
    assert "Tôi là ***, gọi *** hoặc viết ***@***." in html


def test_search_finds_nothing_by_what_masking_hides(client, answered, consented):
    # Else a search would tell whether a person, a phone or an address is in a
    # published petition whose page shows *** in their place.
    consented(
        submitter_name="Lê Thị Hoa",
        content="Tôi là Lê Thị Hoa, gọi 0987 654 321, thư hoa@example.vn. Đèn hỏng.",
    )
    for hidden in ("Hoa", "le thi hoa", "0987", "654 321", "hoa@example.vn"):
        assert list(published_answers(hidden)) == [], hidden
        html = client.get("/answers/", {"q": hidden}).content.decode()
        assert 'class="card published"' not in html, hidden
    assert len(published_answers("đèn hỏng")) == 1


def test_search_ignores_diacritics_and_case(client, answered, consented):
    ha_giang = consented(content="Đường ở xã Lũng Cú, Hà Giang bị sạt lở.")
    consented(content="Thủ tục ở Lạng Sơn.")
    assert list(published_answers("ha giang")) == [ha_giang]
    assert list(published_answers("HÀ GIANG")) == [ha_giang]
    assert list(published_answers("duong lung cu")) == [ha_giang]
    html = client.get("/answers/", {"q": "ha giang"}).content.decode()
    assert "Hà Giang" in html
    assert "Lạng Sơn." not in html


def test_search_finds_words_of_the_answer_too(answered, consented):
    petition = consented()
    assert list(published_answers("quy nay")) == [petition]
    assert list(published_answers("khong co tu nay")) == []


def test_search_treats_wildcards_as_plain_text(answered, consented):
    consented(content="Phí tăng 100%")
    assert len(published_answers("100%")) == 1
    assert len(published_answers("%")) == 1
    assert len(published_answers("_")) == 0


def test_the_list_is_paginated(client, answered, routed_to_a, handler_a, consented):
    for n in range(21):
        consented(title=f"Phản ánh số {n}")
    first = client.get("/answers/").content.decode()
    second = client.get("/answers/", {"page": 2}).content.decode()
    assert first.count('class="card published"') == 20
    assert second.count('class="card published"') == 1
    assert "Phản ánh số 0<" in second


def test_the_search_can_use_the_trigram_index(answered, consented):
    consented(content="Hà Giang")
    # The database's part of the search (what masking then screens).
    matches = database_matches(published_answers(), ["ha", "giang"])
    sql, params = matches.query.sql_with_params()
    with connection.cursor() as cursor:
        # On a handful of rows a sequential scan, a walk along some btree or
        # another index over published petitions (the list's, Open311's) is
        # cheaper; rule them out (inside the test's transaction) to see whether
        # the search index matches the query's expression and predicate at all.
        cursor.execute("ANALYZE workflow_petition")  # as autovacuum may have
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute("DROP INDEX feedback_published_list_idx")
        cursor.execute("DROP INDEX petition_open311_list_idx")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "feedback_published_search_idx" in plan


def test_a_reopened_petition_leaves_the_list_until_answered_again(
    answered, citizen, consented
):
    petition = consented()
    services.reopen_petition(petition_id=petition.pk, actor=citizen, reason="Chưa ổn")
    assert list(published_answers()) == []
    assert Petition.objects.filter(pk=petition.pk, publish_consent=True).exists()


def test_the_issues_examples_on_the_answers_page(
    client, file_with_secret, routed_to_a, handler_a, agency_a, publish
):
    # The agency publishes its hotline and e-mail; the answer refers to them.
    agency_a.phone, agency_a.email = "0206 3852 000", "vanphong@caobang.gov.vn"
    agency_a.save()
    petition, _secret = file_with_secret(
        publish_consent=True,
        content="CCCD 001.234.567.890, nhà ở số 12 ngõ 34 đường Trần Phú.",
    )
    services.accept_petition(petition_id=petition.pk, actor=handler_a)
    services.answer_petition(
        petition_id=petition.pk,
        actor=handler_a,
        text="Đề nghị liên hệ số 0206 3852 000 hoặc vanphong@caobang.gov.vn; "
        "lệ phí 1.234.567 đồng.",
    )
    publish(petition)

    html = client.get("/answers/").content.decode()

    assert "001.234.567.890" not in html and "ngõ 34" not in html
    assert "CCCD ***, nhà ở ***." in html
    assert "liên hệ số 0206 3852 000 hoặc vanphong@caobang.gov.vn" in html
    assert "1.234.567 đồng" in html
