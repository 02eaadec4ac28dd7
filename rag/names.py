"""What kind of thing a capitalised name is: places, nationalities and institution words.

Answer typing (answer_type.py) uses these to tell a person from a place, a nationality ("a
Colombian") or an institution ("... Stadium", "... Council") among the names a sentence holds.
"""

from __future__ import annotations

# name tokens that mark an institution, event or place rather than a person
GENERIC_NAME_WORDS = {
    "states", "united", "stadium", "club", "tournament", "election", "elections", "awards", "award",
    "cup", "championship", "championships", "open", "games", "olympic", "olympics", "world",
    "national", "league", "series", "season", "edition", "university", "college", "news", "times",
    "post", "day", "year", "prize", "trophy", "festival", "park", "street", "city", "county",
    "center", "centre", "hall", "school", "academy", "company", "group", "inc", "corp", "ltd",
    "records", "studios", "pictures", "entertainment", "network", "party", "department", "ministry",
    "council", "committee", "association", "federation", "foundation", "institute", "agency",
    "office", "house", "senate", "congress", "court", "final", "finals", "round", "grand", "slam",
    "tour", "race", "match", "team", "media", "press", "official", "general", "results", "winners",
    "update", "blog", "video", "photo", "trailer", "review", "edt", "est", "pm", "am", "gmt", "utc",
    "release", "date", "details", "edition", "definitive", "soundtrack", "album", "version",
    # labels of tables and listings: "Men's Tennis ATP Rankings", "Total Electoral Votes"
    "rankings", "ranking", "standings", "nominees", "nominations", "votes", "schedule", "fixtures",
    "scores", "statistics", "stats", "highlights", "preview", "tickets", "odds", "predictions",
}

# Countries, US states and large cities: enough to tell "Las Vegas" from a person in a who-question
# and to recognise a place in a where-question. Lowercase, accents stripped, multiword as tuples.
PLACES = {tuple(w.split("|")) for w in """
afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas
bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei
bulgaria burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus
czechia czech|republic denmark djibouti dominica ecuador egypt el|salvador england eritrea estonia
eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala
guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica
japan jordan kazakhstan kenya kiribati korea south|korea north|korea kosovo kuwait kyrgyzstan laos
latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia
maldives mali malta mauritania mauritius mexico moldova monaco mongolia montenegro morocco mozambique
myanmar namibia nauru nepal netherlands new|zealand nicaragua niger nigeria norway oman pakistan palau
palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa
san|marino saudi|arabia scotland senegal serbia seychelles singapore slovakia slovenia somalia
south|africa spain sri|lanka sudan suriname sweden switzerland syria taiwan tajikistan tanzania
thailand togo tonga trinidad tunisia turkey turkmenistan tuvalu uganda ukraine united|arab|emirates
uae united|kingdom uk united|states usa us america uruguay uzbekistan vanuatu vatican venezuela
vietnam wales yemen zambia zimbabwe europe asia africa antarctica oceania
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho
illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
mississippi missouri montana nebraska nevada new|hampshire new|jersey new|mexico new|york
north|carolina north|dakota ohio oklahoma oregon pennsylvania rhode|island south|carolina
south|dakota tennessee texas utah vermont virginia washington west|virginia wisconsin wyoming
athens atlanta bangkok barcelona beijing berlin boston brussels budapest buenos|aires cairo
cape|town chicago dallas delhi new|delhi denver detroit dubai dublin edinburgh geneva glendale
hong|kong houston istanbul jakarta jerusalem johannesburg kabul kyiv kiev lagos las|vegas lisbon
london los|angeles madrid manchester melbourne miami milan montreal moscow mumbai munich nairobi
new|orleans paris philadelphia phoenix prague rio|de|janeiro rio rome san|diego san|francisco
santiago sao|paulo seattle seoul shanghai singapore stockholm sydney tampa tampa|bay tehran tokyo
toronto vancouver vienna warsaw zurich
""".split()}
PLACE_WORDS = {w for p in PLACES for w in p}


def _demonyms() -> frozenset[str]:
    """Nationality words ("Colombian", "French"): a people, not a person. The regular ones are
    derived from the country names above ("colombia" -> "colombian", "italy" -> "italian")."""
    out = set("""
    french british english dutch swiss greek thai danish swedish finnish polish spanish irish scottish
    welsh turkish german filipino argentine argentinian peruvian chilean mexican lebanese pakistani
    israeli iraqi saudi emirati kuwaiti qatari yemeni bangladeshi nepali afghan uzbek kazakh norwegian
    icelandic portuguese chinese japanese vietnamese taiwanese sudanese senegalese congolese maltese
    american canadian russian ukrainian european african asian latin
    """.split())
    for (p,) in (x for x in PLACES if len(x) == 1):
        out.update({p + "n", p + "an", p + "ian", p[:-1] + "an", p[:-1] + "ian", p + "ese"})
    return frozenset(out | {w + "s" for w in out})


DEMONYMS = _demonyms()


def is_place(name: tuple[str, ...]) -> bool:
    return name in PLACES or (len(name) >= 2 and name[-2:] in PLACES) or name[:1] in PLACES and len(name) == 1
