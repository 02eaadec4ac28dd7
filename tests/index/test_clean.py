"""clean_body: page furniture goes, every real article sentence stays exactly as it was."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from newsqa.index.clean import clean_body, is_boilerplate_line

ROOT = Path(__file__).resolve().parents[2]
DEMO_000 = ROOT / "newsqa" / "demo" / "000_d17cc11a6fb020e6.txt"
RGB_ARTICLES = ROOT.parent / "shared" / "data" / "rgb-dev" / "articles.jsonl"


@pytest.mark.parametrize(
    "line",
    [
        "Also read: NATO’s rearmament no threat to Russia, says Putin",
        "ALSO READ | Markets slide as oil jumps",
        "Read more: How the vote works",
        "Read more »",
        "Related: Ten things to know about the budget",
        "Related stories",
        "See also: Earlier coverage",
        "More from Reuters",
        "Advertisement",
        "  ADVERTISEMENT  ",
        "Story continues below advertisement",
        "Subscribe to our newsletter for the latest updates",
        "Sign up for our daily newsletter",
        "Click here to download the app",
        "Share this article",
        "Share on Facebook",
        "Follow us on Twitter",
        "Follow Jane Doe on Instagram @janedoe",
        "Twitter",
        "We use cookies to improve your experience on our site.",
        "By continuing to browse you agree to our use of cookies.",
        "Accept all cookies",
    ],
)
def test_furniture_lines_are_recognised(line: str) -> None:
    assert is_boilerplate_line(line)
    assert clean_body(f"First sentence stays.\n{line}\nLast sentence stays.") == (
        "First sentence stays.\nLast sentence stays."
    )


@pytest.mark.parametrize(
    "line",
    [
        "He said he would also read the report before the vote.",
        "Related-party transactions rose by 5 percent last year.",
        "More from the same family were arrested on Tuesday.",
        "Subscribers to the service rose to 4 million, the company said.",
        "Google will phase out third-party cookies in Chrome next year.",
        "We baked 1,000 cookies for the fair, organisers said.",
        "“We use cookies only with consent,” the regulator told the court.",
        "Advertisement spending fell 3 percent in the first quarter.",
        "Shares in the company, which advertises on social media, rose 2 percent.",
        "Readers can click here and there on the map to explore the flood zones, the agency said.",
        "The minister followed the debate on television.",
    ],
)
def test_article_sentences_that_mention_furniture_words_are_kept(line: str) -> None:
    assert not is_boilerplate_line(line)
    text = f"Opening sentence.\n{line}\nClosing sentence."
    assert clean_body(text) == text


def test_long_paragraph_starting_like_a_prompt_is_kept() -> None:
    para = "Subscribe " + "and the council will send you its planning notices by post every month. " * 5
    assert clean_body(para) == para.strip()


def test_demo_article_loses_only_the_also_read_line() -> None:
    raw = DEMO_000.read_text(encoding="utf-8")
    body = clean_body(raw)
    assert "Also read" not in body
    kept = [line for line in raw.split("\n") if line.strip() and not line.startswith("Also read:")]
    assert len(kept) == 9
    for line in kept:
        assert line.rstrip() in body
    # single newlines between paragraphs stay single; the dropped line leaves no gap
    assert body.split("\n") == [line.rstrip() for line in kept]


def test_normalisation() -> None:
    text = (
        "\ufeffCafe\u0301 owners\u00a0met on Monday.   \r\n"  # decomposed é, NBSP, trailing spaces, CRLF
        "Prices\u200b rose\u2060 by\u00ad 3 percent.\r"  # zero-width space, word joiner, soft hyphen, CR
        "\n\n\n\n\n"
        "A second paragraph.\t \n"
    )
    body = clean_body(text)
    assert body == "Café owners met on Monday.\nPrices rose by 3 percent.\n\nA second paragraph."
    assert unicodedata.is_normalized("NFC", body)


def test_paragraph_breaks_kept_and_blank_runs_collapsed() -> None:
    text = "One.\n\nTwo.\n\n\n\nThree.\n\n\nAdvertisement\n\n\nFour."
    assert clean_body(text) == "One.\n\nTwo.\n\nThree.\n\nFour."


def test_only_furniture_gives_empty_body() -> None:
    assert clean_body("Advertisement\n\nShare this article\nFollow us on X\n") == ""
    assert clean_body("") == ""


def test_idempotent() -> None:
    raw = DEMO_000.read_text(encoding="utf-8")
    once = clean_body(raw + "\n\n\nRead more: x\n\u00a0\n")
    assert clean_body(once) == once


@pytest.mark.skipif(not RGB_ARTICLES.exists(), reason="rgb-dev data not present")
def test_real_snippets_lose_no_text() -> None:
    """On real news snippets cleaning only normalises spaces: not one word is dropped."""
    for line in RGB_ARTICLES.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        body = json.loads(line)["body"]
        cleaned = clean_body(body)
        assert cleaned.split() == body.replace("\u200b", "").split()


# A page of our own making, laid out the way full news pages reach us: the story's paragraphs mixed
# with a video player's ad-feedback form, newsletter pitches with their consent text, share buttons,
# a "Related:" list label and the reporter's contact line.
_MADE_UP_PAGE = """Harbour City council voted on Monday to close the old ferry pier for repairs.

2. Was this ad relevant to you?

Video player froze Video content never started Ad did not finish loading Audio on the ad was too loud Other issue

The pier, built in 1961, carries about 4,000 commuters a day, the council said.

Would you like to get the Morning Tide newsletter?

The Morning Tide newsletter brings you a daily digest of harbour news.

We will use the details you have shared to manage your subscription, as described in our Privacy Policy.

If you wish to object to the use of your data in this way, please tick here.

Share on WhatsApp

Copy link

Related:

Repairs are expected to take eight months and cost 12 million dollars.

Reach Ana Ortiz at aortiz@harbourcity-example.org or follow her on Mastodon @aortiz.
"""


def test_a_made_up_news_page_keeps_only_the_story() -> None:
    assert clean_body(_MADE_UP_PAGE).split("\n\n") == [
        "Harbour City council voted on Monday to close the old ferry pier for repairs.",
        "The pier, built in 1961, carries about 4,000 commuters a day, the council said.",
        "Repairs are expected to take eight months and cost 12 million dollars.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        # reported speech and reporting about newsletters, ads, data and players stays
        "The newsletter, which reaches 2 million readers a day, was sold to a rival publisher.",
        "Regulators said the company shared users' data without consent, breaking its privacy policy.",
        "The video player company said its ad revenue never loaded the balance sheet as hoped.",
        "Our reporters found that the ad campaign cost the party 3 million dollars.",
        "Investigators could reach him at the hotel only after midnight.",
    ],
)
def test_article_lines_about_ads_newsletters_and_data_stay(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_a_snippet_that_ends_on_a_site_footer_is_kept() -> None:
    line = ("The home side won 3-1 to lift the cup for the first time. Sports Desk · Careers · Terms of Use · "
            "Privacy Policy · Your Privacy Choices")
    assert not is_boilerplate_line(line)


def test_a_dated_search_snippet_is_kept_even_when_it_pitches_a_newsletter() -> None:
    line = "Mar 3, 2021 ... For more gardening tips, sign up for our weekly newsletter."
    assert not is_boilerplate_line(line)
    assert is_boilerplate_line("For more gardening tips, sign up for our weekly newsletter.")


@pytest.mark.parametrize(
    "line",
    [
        # a reporter's address: handed to the reader, or nothing but a name around it
        "Jo Bell covers courts for the Gazette. Reach her at jbell@gazette.example or on Mastodon.",
        "Sam Roe can be reached at 555-0100 or sroe@paper.example.",
        "Lia Park is a health reporter. Email: lpark@paper.example",
        "jbell@gazette.example",
        "Jo Bell, jbell@gazette.example",
        # credits and bylines that name the writer's job
        "Reporting by Jo Bell. Got a story? Email news@gazette.example",
        "Additional reporting by Sam Roe; Editing by Lia Park",
        "By Jo Bell, science correspondent",
        "By Jo Bell and Sam Roe, staff writers",
        "By Ana Ortiz, city hall reporter. Follow her coverage of the council",
        # a page's time stamp
        "Updated 18:05",
        "Published: Mon 3 March 2025, 09:47 GMT",
        "Last updated on March 4, 2025 at 10:32 a.m. ET",
        "Posted 2 hours ago",
        # a sign-up prompt that names no newsletter
        "Sign up for our morning briefing",
        "Register now",
    ],
)
def test_addresses_credits_time_stamps_and_sign_ups_are_furniture(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        # an address for something other than the reporter stays, as does reported speech
        "Residents who want sandbags can call the depot or write to depot@town.example before Friday.",
        "Complaints can be sent to info@council.example, the council said.",
        # sentences that open like a byline, a time stamp or a prompt
        "By Christmas Day, shops had sold out of turkeys.",
        "By Monday Evening, editors and reporters had walked out.",
        "By Jo Bell's count, 40 people attended.",
        "Published by Penguin in 1998, the novel sold a million copies.",
        "Updated figures show 52 people died.",
        "Updated satellite images show the damage.",
        "Posted guards stood at every gate.",
        "Register of deeds shows the land was sold in 2019.",
        "Signing up for the scheme took most farmers a week.",
        "Register to vote by Friday at the clerk's office.",
        "Sign up for the flu vaccine at any pharmacy.",
    ],
)
def test_sentences_that_open_like_those_lines_stay(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_a_made_up_page_loses_its_byline_stamp_and_sign_up_prompt() -> None:
    page = """By Ana Ortiz, city hall reporter
Updated 09:47

HARBOUR CITY — The council approved a 40 million dollar flood wall on Tuesday.

Sign up for our morning briefing

Work starts in May and should end in 2027, the mayor said.

Ana Ortiz covers city hall for the Courier. Reach her at aortiz@courier.example.
"""
    assert clean_body(page).split("\n\n") == [
        "HARBOUR CITY — The council approved a 40 million dollar flood wall on Tuesday.",
        "Work starts in May and should end in 2027, the mayor said.",
    ]
