"""Turn raw article text into the body that gets chunked: page furniture out, the article untouched.

Boilerplate is removed a whole line at a time and only when the line *is* furniture ("Also read:
...", "Advertisement", "Follow us on X", a cookie notice). A line that merely mentions such words
stays, because dropping one real sentence costs more than keeping one stray link label: answers
are cited sentence by sentence.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that break word matching and sentence splitting but carry no text.
# (ZWJ/ZWNJ shape some scripts and emoji; news text loses nothing readable without them.)
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = "\u00a0\u202f\u2007"  # no-break spaces render as spaces and should match as spaces

_TRANSLATE: dict[int, str | None] = {ord(c): None for c in _ZERO_WIDTH}
_TRANSLATE.update({ord(c): " " for c in _SPACES})
_TRANSLATE.update({0x2028: "\n", 0x2029: "\n\n", 0x0B: "\n", 0x0C: "\n", 0x85: "\n"})
# Other C0/C1 control characters are never article text (tabs and newlines are kept).
_TRANSLATE.update({c: None for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
                   if chr(c) not in "\t\n" and c not in _TRANSLATE})

# Link labels that introduce a list of other stories; the label alone or followed by a separator.
_LABELS = (
    r"also read|read also|also see|see also|read more|more to read|must read|don'?t miss"
    r"|related(?: stories| articles| news| coverage| content| reading| links| topics)?"
    r"|recommended(?: reading| stories| for you| articles)?"
    r"|you (?:may|might) also like|more from [\w&'-]+(?: [\w&'-]+){0,3}|top stories|trending(?: now| stories)?"
    r"|more on this(?: story| topic)?|continue reading|editor'?s picks?|most read|latest news"
)
# A hyphen counts as a separator only with spaces around it ("Related - ..." but not "Related-party").
_LABEL_LINE = re.compile(rf"^(?:{_LABELS})(?:\s*[:|»>›]|\s+[-–—]+\s|\s*$)", re.IGNORECASE)

_AD_LINE = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored(?: content)?|paid (?:content|post)"
    r"|(?:story|article) continues (?:below|after)(?: this)?(?: advertisement| ad)?"
    r"|continue reading (?:below|the main story)|scroll (?:down )?to continue(?: with content)?"
    r"|skip (?:the )?ad(?:vertisement)?)\W*$",
    re.IGNORECASE,
)

_PROMPT_LINE = re.compile(
    r"^(?:subscribe\b|already a subscriber\b"
    r"|sign up (?:for|to)\b.*\b(?:newsletter|alerts?|updates|emails?)\b"
    r"|(?:get|join) (?:our|the) [\w ]{0,30}newsletter\b|newsletter sign[- ]?up\b"
    r"|click here\b|tap here\b"
    r"|share (?:this|on|via|the (?:story|article))\b|share\W*$|tweet(?: this)?\W*$"
    r"|follow (?:us|[\w@.]+(?: [\w@.]+){0,3}) on (?:twitter|x|facebook|instagram|linkedin|google news"
    r"|telegram|whatsapp|threads|bluesky|youtube|tiktok)\b"
    r"|like us on facebook\b|join (?:us|our [\w ]{0,20}) on (?:telegram|whatsapp|facebook)\b"
    r"|(?:facebook|twitter|x|linkedin|whatsapp|email|e-mail|print|reddit|pinterest|telegram"
    r"|copy link|copy url|comments?)\W*$)",
    re.IGNORECASE,
)

# A cookie notice addresses the reader about this site ("We use cookies to improve your experience",
# "By continuing you accept cookies"); an article about cookies lacks one of the two signals.
_COOKIE_WORD = re.compile(r"\bcookies?\b", re.IGNORECASE)
_COOKIE_ADDRESS = re.compile(
    r"\b(?:we|our|this (?:web)?site|by (?:continuing|using|clicking|browsing)|you (?:agree|consent|accept))\b"
    r"|^(?:accept|reject|allow|manage|decline)\b|^cookie (?:policy|settings|preferences|notice)\b",
    re.IGNORECASE,
)
_COOKIE_NOTICE = re.compile(
    r"\b(?:experience|consent|accept|agree|privacy|policy|settings|preferences|analytics|personali[sz]\w*"
    r"|browsing|improve|opt[- ]out|necessary|essential)\b",
    re.IGNORECASE,
)
# Reported speech is article text even when it talks about cookies or subscribing.
_REPORTED = re.compile(r"\b(?:said|says|told|according to|reported)\b|[\"“”]", re.IGNORECASE)

# A video player's ad-feedback form: its question ("How relevant is this ad to you?") and its list of
# complaints, which pages flatten into one line of options ("Video content never loaded Ad froze ...").
_AD_FEEDBACK = re.compile(r"^(?:\d+\s*[.)]\s*)?(?:how relevant|was this|is this|rate this|why are you seeing)"
                          r"\b.{0,40}\bads?\b.{0,20}\??$", re.IGNORECASE)
_PLAYER_ISSUE = re.compile(
    r"\b(?:video (?:player|content)|ad (?:froze|was|did)|audio (?:on|of) (?:the )?ad|(?:never|did not|didn't)"
    r" (?:load|start|finish)\w*|other issues?|too loud|slow to load)\b", re.IGNORECASE)

# A newsletter pitch: a short line that names a newsletter and asks or promises something of the
# reader ("Would you like to receive ...", "... delivered to your inbox", "Sign up here").
_NEWSLETTER = re.compile(r"\bnewsletters?\b", re.IGNORECASE)
_PITCH = re.compile(
    r"\b(?:sign(?:ing)? up|subscribe|subscription|receive|inbox|digest|delivered|would you like|get (?:the|our)"
    r"|every (?:morning|evening|day|week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|weekly|daily|provides you)\b", re.IGNORECASE)
_MAX_PITCH_LEN = 300
# A search-result snippet opens on its page's date ("Mar 3, 2021 ... sign up for our newsletter"):
# the date is the page's own fact, so the line is not only furniture.
_DATED = re.compile(r"^\W*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}\b",
                    re.IGNORECASE)

# The sign-up form's consent text, and a plea for subscriptions: the site speaks to the reader about
# their data or their money ("We will use the details you have shared ...", "tick here").
_CONSENT = re.compile(
    r"\b(?:privacy (?:policy|notice)|your (?:personal )?(?:data|details|information)|the details you"
    r"|the information you have|tick (?:here|the box)|legitimate interest|unsubscribe at any time"
    r"|(?:supporting|support) (?:our|strong|local|quality|independent) journalism)\b", re.IGNORECASE)
# ... and says so from its first word: a line that opens on a fact and ends on a site footer
# ("... to win the title. Terms of Use · Privacy Policy") is a snippet of the article, kept whole.
_READER_ADDRESS = re.compile(r"^\W*(?:we|you|your|our|if you|thank you|please|by (?:clicking|continuing|signing"
                             r"|subscribing|using)|to (?:unsubscribe|manage|opt))\b", re.IGNORECASE)
# "... brands as detailed here.", "Click here": a link label that ends on the link itself.
_LINK_TAIL = re.compile(r"\b(?:as detailed|tick|click|tap|found|available|listed) here\W*$", re.IGNORECASE)
# A reporter's contact line: "Reach her at name@paper.com", "Follow him on Twitter: @handle".
_CONTACT = re.compile(r"^(?:reach|contact|email|e-mail|follow|you can reach)\b.*(?:\w@\w|(?<!\w)@\w)",
                      re.IGNORECASE)

# A reporter's address line beyond that opening: an email address with the words that hand it to
# the reader ("X covers courts for the Gazette. Reach her at ...", "X can be reached at ...",
# "Email: ..."), or with no more than a name around it ("Jo Bell, jbell@paper.example"). An article
# line that gives an address for something else ("write to the depot at ...") stays.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_REACH = re.compile(
    r"\b(?:(?:can|may) be (?:reached|emailed|contacted)|(?:reach|contact|email|e-mail) (?:him|her|them|me|us"
    r"|the (?:reporter|writer|author|newsroom|desk))\b|e-?mail\s*:|got a (?:story|tip)\b)", re.IGNORECASE)
_MAX_BARE_ADDRESS_WORDS = 8
_MAX_ADDRESS_LEN = 400  # a bio with an address runs to two or three sentences
# A credit line: "Reporting by ...", "Additional reporting by ...; Editing by ...".
_CREDIT = re.compile(r"^(?:(?:additional\s+)?reporting|writing|written|editing|edited|compiled|produced)\s+by\b",
                     re.IGNORECASE)
# A byline that names the writer's job: "By Jo Bell, science correspondent". "By Christmas Day,
# shops had sold out" has no such noun after its comma, so a sentence that opens like one stays.
_BYLINE = re.compile(r"^[Bb]y\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and)){1,5}\s*,\s*(?:[\w&'’-]+\s+){0,5}"
                     r"(?:reporter|correspondent|editor|writer|columnist|staff|contributor)s?\s*(?:[.|;]|$)")
# A page's time stamp: "Updated 18:05", "Published: Mon 3 March 2025, 09:47 GMT", "Posted 2 hours ago"
# (calendar and clock words only, so "Published by Penguin in 1998" is not one).
_CALENDAR = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan"
             r"|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday"
             r"|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?|a\.m\.|p\.m\.|am|pm|utc|gmt|[ecmp][sd]t|bst"
             r"|cet|cest|et|pt|hours?|minutes?|mins?|days?|ago|on|at")
_STAMP = re.compile(rf"^(?:last\s+)?(?:updated|published|posted|modified)\b:?(?:[\s,|]+(?:\d[\d:.,/-]*"
                    rf"|(?:{_CALENDAR})(?![\w])))+\W*$", re.IGNORECASE)
# A sign-up prompt that names no newsletter, the site speaking of itself or asking now: "Sign up for
# our morning briefing", "Register now" ("Subscribe ..." is `_PROMPT_LINE`'s). "Register to vote by
# Friday" is the article's advice.
_SIGN_UP = re.compile(r"^(?:sign up|register)(?:\b.*\b(?:our|us)\b|(?:\s+(?:here|now|today))?\W*$)",
                      re.IGNORECASE)
_MAX_SIGN_UP_LEN = 120

_MAX_PROMPT_LEN = 200  # furniture lines are short; a long paragraph is article text
_MAX_COOKIE_LEN = 400


def is_boilerplate_line(line: str) -> bool:
    """True when the whole (stripped) line is page furniture rather than article text."""
    s = line.strip()
    if not s:
        return False
    if _AD_LINE.match(s):
        return True
    if len(s) <= _MAX_PROMPT_LEN * 1.5 and _LABEL_LINE.match(s):
        return True
    if len(s) <= _MAX_PROMPT_LEN and _PROMPT_LINE.match(s) and not _REPORTED.search(s):
        return True
    if len(s) <= _MAX_PROMPT_LEN and _AD_FEEDBACK.match(s):
        return True
    if len(s) <= _MAX_COOKIE_LEN and len(_PLAYER_ISSUE.findall(s)) >= 3 and not _REPORTED.search(s):
        return True
    if (len(s) <= _MAX_PITCH_LEN and _NEWSLETTER.search(s) and _PITCH.search(s)
            and not _REPORTED.search(s) and not _DATED.match(s)):
        return True
    if (len(s) <= _MAX_COOKIE_LEN and _CONSENT.search(s) and _READER_ADDRESS.match(s)
            and not _REPORTED.search(s)):
        return True
    if len(s) <= _MAX_PROMPT_LEN and _LINK_TAIL.search(s) and not _REPORTED.search(s):
        return True
    if len(s) <= _MAX_PROMPT_LEN and _CONTACT.match(s):
        return True
    if len(s) <= _MAX_ADDRESS_LEN and _EMAIL.search(s) and not _REPORTED.search(s) and (
            _REACH.search(s) or len(s.split()) <= _MAX_BARE_ADDRESS_WORDS):
        return True
    if len(s) <= _MAX_PROMPT_LEN and (_CREDIT.match(s) or _BYLINE.match(s)) and not _REPORTED.search(s):
        return True
    if len(s) <= _MAX_PROMPT_LEN and _STAMP.match(s):
        return True
    if len(s) <= _MAX_SIGN_UP_LEN and _SIGN_UP.match(s) and not _REPORTED.search(s):
        return True
    if (
        len(s) <= _MAX_COOKIE_LEN
        and _COOKIE_WORD.search(s)
        and _COOKIE_ADDRESS.search(s)
        and _COOKIE_NOTICE.search(s)
        and not _REPORTED.search(s)
    ):
        return True
    return False


def normalize_text(text: str) -> str:
    """Unicode NFC, `\\n` newlines, no zero-width characters, NBSP as a space, no trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


_BLANK_RUN = re.compile(r"\n{3,}")


def clean_body(text: str) -> str:
    """The article text without furniture lines, normalised, paragraph breaks kept.

    Runs of blank lines (including those left where a furniture line was dropped) become a single
    blank line; single newlines between paragraphs stay single. Every other character of a kept
    line is left as it was, so sentences survive intact.
    """
    lines = normalize_text(text).split("\n")
    kept = "\n".join(line for line in lines if not is_boilerplate_line(line))
    return _BLANK_RUN.sub("\n\n", kept).strip()
