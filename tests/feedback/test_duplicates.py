"""Duplicates: similar open petitions suggested while filing; following instead."""

import unicodedata
from datetime import timedelta

from django.utils import timezone

from feedback.duplicates import similar_open_petitions
from notifications.models import Notification
from tests import factories
from workflow import services
from workflow.models import Follower, Petition

ROAD = "Đường liên xã thôn Bản Chắt sạt lở nghiêm trọng"
ROAD_TEXT = "Đoạn đường liên xã qua thôn Bản Chắt bị sạt lở, xe không đi được."


def test_an_open_petition_of_the_same_category_and_commune_with_like_text_is_found(
    submit, land
):
    commune = factories.commune_of(factories.LANG_SON)
    same = submit(title=ROAD, content=ROAD_TEXT, commune=commune.code)
    submit(
        title="Thủ tục cấp sổ đỏ chậm",
        content="Hồ sơ nộp ba tháng chưa có kết quả.",
        commune=commune.code,
    )
    found = similar_open_petitions(
        category=land,
        commune=commune,
        title="Sạt lở đường liên xã ở thôn Bản Chắt",
        content="Đường liên xã qua Bản Chắt sạt lở, không đi lại được.",
    )
    # The reworded report of the same road is found; the unrelated one is not.
    assert found == [same]
    other_commune = factories.commune_of(factories.LANG_SON, index=1)
    assert (
        similar_open_petitions(
            category=land, commune=other_commune, title=ROAD, content=ROAD_TEXT
        )
        == []
    )


def test_a_text_typed_in_decomposed_letters_finds_the_same_petition(submit, land):
    commune = factories.commune_of(factories.LANG_SON)
    same = submit(title=ROAD, content=ROAD_TEXT, commune=commune.code)

    found = similar_open_petitions(
        category=land,
        commune=commune,
        title=unicodedata.normalize("NFD", ROAD),
        content=unicodedata.normalize("NFD", ROAD_TEXT),
    )

    assert found == [same]


def test_the_form_suggests_it_and_shows_nothing_personal(client, form_data, submit):
    commune = factories.commune_of(factories.LANG_SON)
    submit(
        title=ROAD,
        content=ROAD_TEXT + " Liên hệ 0912 345 678.",
        commune=commune.code,
        submitter_name="Lò Văn Sáu",
        email="sau@example.vn",
        publish_consent=False,
    )
    form_data.update(commune=str(commune.code), title=ROAD, content=ROAD_TEXT)
    response = client.post("/", form_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã có phản ánh tương tự" in html
    # Nothing of the other petition beyond what /answers/ could show: no name,
    # contact or text, and no title without its submitter's consent.
    panel = html.split('id="similar-petitions"')[1].split("</section>")[0]
    for private in ("Lò Văn Sáu", "sau@example.vn", "0912", "xe không đi được", ROAD):
        assert private not in panel, private
    assert "Theo dõi phản ánh này" in panel
    assert Petition.objects.count() == 1
    # "Not the same": it is filed after all.
    form_data["file_anyway"] = "1"
    assert (
        "Phản ánh của bạn đã được tiếp nhận"
        in client.post("/", form_data).content.decode()
    )
    assert Petition.objects.count() == 2


def test_following_tells_the_follower_of_the_answer_instead_of_filing(
    client, form_data, submit, routed_to_a, handler_a
):
    commune = factories.commune_of(factories.LANG_SON)
    existing = submit(
        title=ROAD, content=ROAD_TEXT, commune=commune.code, publish_consent=True
    )
    form_data.update(
        commune=str(commune.code),
        title=ROAD,
        content=ROAD_TEXT,
        email="theodoi@example.vn",
    )
    form_data["follow"] = existing.tracking_code
    response = client.post("/", form_data)
    assert response.status_code == 200
    assert "Bạn đang theo dõi phản ánh" in response.content.decode()
    assert Petition.objects.count() == 1
    assert Follower.objects.get().email == "theodoi@example.vn"
    # Following twice is once.
    client.post("/", form_data)
    assert Follower.objects.count() == 1

    services.accept_petition(petition_id=existing.pk, actor=handler_a)
    services.answer_petition(petition_id=existing.pk, actor=handler_a, text="Đã sửa.")
    told = Notification.objects.get(event="followed_answered")
    assert told.recipient_address == "theodoi@example.vn"
    # Consented, but a supervisor reads the answer before /answers/ shows it: the
    # follower is told where it will be, not sent to a page that is not there yet.
    assert told.context == {
        "tracking_code": existing.tracking_code,
        "publication": "after_review",
    }
    from notifications.rendering import render

    body = render(told).body
    assert f"/answers/{existing.tracking_code}/ sau khi lãnh đạo" in body


def test_the_staff_case_page_lists_similar_petitions_and_merges_in_one_step(
    client, submit, routed_to_a, handler_a, staff_client
):
    commune = factories.commune_of(factories.LANG_SON)
    first = submit(title=ROAD, content=ROAD_TEXT, commune=commune.code)
    second = submit(
        title="Sạt lở đường liên xã ở thôn Bản Chắt",
        content="Đường liên xã qua Bản Chắt sạt lở, không đi lại được.",
        commune=commune.code,
    )
    services.accept_petition(petition_id=second.pk, actor=handler_a)
    staff_client(handler_a)
    page = client.get(f"/work/petitions/{second.tracking_code}/").content.decode()
    panel = page.split('id="similar-petitions"')[1].split("</div>")[0]
    assert first.tracking_code in panel
    assert f"Gộp vào {first.tracking_code}" in panel
    # The button posts the case page's own merge form, prefilled: one step, with
    # the confirmation every hard-to-undo step asks for.
    assert 'name="merge-confirm" required' in panel
    second.refresh_from_db()
    response = client.post(
        f"/work/petitions/{second.tracking_code}/merge/",
        {
            "merge-version": second.version,
            "merge-into": first.tracking_code,
            "merge-reason": f"Trùng nội dung với phản ánh {first.tracking_code}.",
            # The tick the panel's merge button asks for, as on the merge form.
            "merge-confirm": "on",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.merged_into_id == first.pk


def test_the_staff_intake_page_suggests_an_open_petition_before_entering(
    client, staff_client, reception, submit, land
):
    commune = factories.commune_of(factories.LANG_SON)
    existing = submit(title=ROAD, content=ROAD_TEXT, commune=commune.code)
    letter = {
        "channel": "post",
        "received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "received_time": "08:00",
        "submitter_kind": "citizen",
        "submitter_name": "Hoàng Thị Mai",
        "postal_address": "Thôn Bản Chắt, xã Tân Văn",
        "language": "vi",
        "category": land.code,
        "province": str(factories.LANG_SON),
        "commune": str(commune.code),
        "title": ROAD,
        "content": ROAD_TEXT,
    }
    staff_client(reception)
    shown = client.post("/work/petitions/new/", letter)
    assert shown.status_code == 200
    assert existing.tracking_code in shown.content.decode()
    assert Petition.objects.count() == 1
    entered = client.post("/work/petitions/new/", {**letter, "file_anyway": "1"})
    assert entered.status_code == 201
    assert Petition.objects.count() == 2


def test_a_follower_message_queued_before_the_publication_states_still_reads_right(
    db, submit
):
    # Rows queued by earlier code carry {"is_published": consent}: consent then
    # meant "published after review", as "after_review" says now.
    from notifications.models import Notification
    from notifications.rendering import render

    petition = submit(publish_consent=True)
    row = Notification.objects.create(
        petition_id=petition.pk,
        event="followed_answered",
        channel="email",
        recipient_address="theodoi@example.vn",
        language="en",
        context={"tracking_code": petition.tracking_code, "is_published": True},
        dedupe_key="followed-answered-before",
        created_at=petition.received_at,
    )

    assert "will be published at" in render(row).body
