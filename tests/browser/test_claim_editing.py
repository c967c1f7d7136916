"""An editor corrects what the extraction got wrong, in a real browser (issue 20): a wrong
speaker fixed on the claim's page, the extractor's value shown beside the edit, and the
claim's timeline; in English and in Indonesian, at 1,366 px and on a phone (390 px)."""

from __future__ import annotations

from claims import services
from claims.models import Claim
from tests.browser.pw import BROWSER_TEST, Page, expect

pytestmark = BROWSER_TEST

AMMUNITION_CLAIM = "Jumlah pelurunya terbatas, dan kualitasnya rendah"
WRONG = "Menteri Luar Negeri Retno Marsudi"
RIGHT = "Kim Jong Un"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def shots(page: Page, screenshot, name: str) -> None:
    """The page as it is, at 1,366 px and at a phone's 390 px."""
    page.set_viewport_size(DESKTOP)
    screenshot(f"{name}-1366")
    page.set_viewport_size(PHONE)
    screenshot(f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_an_editor_fixes_a_wrong_speaker_and_sees_the_original_and_the_timeline(
    page: Page, log_in, screenshot, editor, submit_seed,
):
    assert submit_seed().job.status == "succeeded"
    claim = Claim.objects.get(text=AMMUNITION_CLAIM)
    # The extractor credited the claim to the wrong person (as the issue saw it happen).
    Claim.objects.filter(pk=claim.pk).update(speaker=WRONG, speaker_role="", speaker_kind="person")
    services.claim_assign(claim=claim, user=editor)

    log_in("editor", "pw-editor-1")
    page.set_viewport_size(DESKTOP)
    page.goto(f"/admin/claims/claim/{claim.pk}/change/")
    speaker = page.locator("#id_speaker")
    expect(speaker).to_have_value(WRONG)
    speaker.fill(RIGHT)
    page.locator("#id_speaker_role").fill("Pemimpin Korea Utara")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    # The edit in the field, the extractor's value beside it and in the claim's panel.
    expect(page.locator("#id_speaker")).to_have_value(RIGHT)
    expect(page.locator("#id_speaker_helptext")).to_have_text(f"As extracted: {WRONG}")
    about = page.locator("dl.fc-meta")
    expect(about).to_contain_text(f"{RIGHT}, Pemimpin Korea Utara")
    expect(about.locator('li[data-field="speaker"] del')).to_have_text(WRONG)
    # The timeline: found by extraction, assigned, edited, by whom.
    timeline = page.locator("table.fc-timeline")
    expect(timeline.locator("tr.fc-event-assignment")).to_contain_text("editor")
    edit_row = timeline.locator("tr.fc-event-edit")
    expect(edit_row).to_contain_text(f"Speaker: {WRONG} → {RIGHT}")
    expect(edit_row).to_contain_text("editor")
    expect(timeline.locator("tr.fc-event-extraction").first).to_be_visible()
    shots(page, screenshot, "claim-edit-en")

    claim.refresh_from_db()
    assert (claim.speaker, claim.extracted["speaker"], claim.edited_by) == (RIGHT, WRONG, editor)

    # The History page tells the same story.
    page.get_by_role("link", name="History").click()
    expect(page.locator("table.fc-timeline tr.fc-event-edit")).to_contain_text(RIGHT)
    page.go_back()

    # In Indonesian.
    page.locator("#fc-language").select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("#id_speaker_helptext")).to_have_text(f"Seperti diekstrak: {WRONG}")
    expect(page.get_by_role("heading", name="Linimasa")).to_be_visible()
    expect(page.locator("table.fc-timeline tr.fc-event-edit")).to_contain_text(f"Pembicara: {WRONG} → {RIGHT}")
    expect(page.locator("table.fc-timeline tr.fc-event-edit")).to_contain_text("Diubah")
    shots(page, screenshot, "claim-edit-id")
