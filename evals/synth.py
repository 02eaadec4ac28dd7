"""A deterministic synthetic news corpus, and questions about it, for benchmarks and load tests.

Article i depends only on (seed, i), so `synthetic_articles(10)[:5] == synthetic_articles(5)` and a
question generated for article i can be answered from that article alone. The text reads like wire
copy: a dateline lede with one key fact (an organisation, a place, a number, a person quoted), then
background, quotes, reactions and figures drawn from fixed word lists.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from newsqa.index.articles import Article

FIRST = """Amara Ben Carlos Dana Elif Farid Grace Hana Ivan Jonas Keiko Lars Maya Nadia Omar Priya Quinn
Rosa Samir Tomas Uma Victor Wen Ximena Yusuf Zara Anders Bianca Chen Diego Esther Felix Giulia Hugo
Ingrid Jamal Kofi Lena Marco Nia Olga Pablo Rania Sven Tariq Ursula Vera Willem Yara Zoltan""".split()
LAST = """Abara Becker Castillo Dubois Eriksen Fischer Garcia Haddad Ibsen Jansen Kowalski Lindqvist
Moreau Nakamura Okafor Petrov Quinlan Rossi Schmidt Tanaka Ueda Varga Weber Xu Yilmaz Zimmermann
Almeida Brennan Costa Delgado Engel Ferreira Gallo Horvat Ito Jovanovic Keller Lambert Mendes Novak
Olsen Pereira Richter Santos Torres Vidal Wagner Young""".split()
PLACES = [
    ("Lisbon", "Portugal"), ("Rotterdam", "the Netherlands"), ("Krakow", "Poland"), ("Nairobi", "Kenya"),
    ("Osaka", "Japan"), ("Porto Alegre", "Brazil"), ("Leeds", "Britain"), ("Lyon", "France"),
    ("Accra", "Ghana"), ("Pune", "India"), ("Guadalajara", "Mexico"), ("Gdansk", "Poland"),
    ("Valencia", "Spain"), ("Adelaide", "Australia"), ("Hamburg", "Germany"), ("Bergen", "Norway"),
    ("Izmir", "Turkey"), ("Cebu", "the Philippines"), ("Halifax", "Canada"), ("Turin", "Italy"),
    ("Tampere", "Finland"), ("Durban", "South Africa"), ("Cordoba", "Argentina"), ("Busan", "South Korea"),
    ("Graz", "Austria"), ("Brno", "the Czech Republic"), ("Cluj", "Romania"), ("Aarhus", "Denmark"),
    ("Malmo", "Sweden"), ("Medellin", "Colombia"), ("Kumasi", "Ghana"), ("Surabaya", "Indonesia"),
]
ORGS = """Northwind Energy|Meridian Rail|Helix Health|Bluewater Utilities|Cobalt Motors|Summit Telecom|
Riverside Council|Atlas Logistics|Greenfield Farms Cooperative|Orion Semiconductors|Harbor Port Authority|
Keystone Housing Trust|Pioneer Water Board|Silverline Airways|Crescent Bank|Lumen Solar|Redwood Pharma|
Vantage Steel|Beacon University|Trident Shipping|Evergreen Forestry Service|Polaris Space Agency|
Granite Construction Group|Aurora Mobile|Sable Mining|Nimbus Cloud Services""".replace("\n", "").split("|")
SOURCES = ["Daily Ledger", "Metro Wire", "Coastal Herald", "Northern Times", "The Observer Post",
           "Valley Gazette", "Capital Report", "Harbour News", "Continental Press", "Evening Courier"]
ROLES = ["chief executive", "finance director", "mayor", "head of operations", "spokesperson",
         "board chair", "lead engineer", "project director", "regional manager", "chief economist"]
# topic -> (verb phrase, units, adjectives, background nouns)
TOPICS: dict[str, tuple[str, list[str], list[str], list[str]]] = {
    "energy": ("install", ["megawatts of wind capacity", "solar panels", "heat pumps", "charging points"],
               ["ambitious", "overdue", "costly"], ["the grid", "electricity prices", "the winter peak"]),
    "transport": ("build", ["kilometres of tram line", "electric buses", "bike lanes", "rail carriages"],
                  ["transformative", "disruptive", "long awaited"], ["commuters", "congestion", "the ring road"]),
    "health": ("open", ["hospital beds", "clinics", "vaccination centres", "ambulances"],
               ["vital", "insufficient", "welcome"], ["waiting lists", "the winter flu season", "staff shortages"]),
    "housing": ("deliver", ["affordable homes", "student flats", "social housing units", "care homes"],
                ["bold", "unrealistic", "necessary"], ["rents", "the housing waiting list", "planning rules"]),
    "technology": ("create", ["engineering jobs", "data centres", "research posts", "apprenticeships"],
                   ["game-changing", "speculative", "promising"], ["the chip shortage", "export rules", "wages"]),
    "agriculture": ("plant", ["hectares of orchards", "greenhouses", "irrigation wells", "tonnes of seed"],
                    ["sensible", "risky", "innovative"], ["the drought", "fertiliser costs", "crop yields"]),
    "education": ("fund", ["new classrooms", "teacher posts", "scholarships", "school buses"],
                  ["historic", "modest", "generous"], ["exam results", "class sizes", "enrolment"]),
    "climate": ("restore", ["hectares of wetland", "kilometres of sea wall", "flood barriers", "urban trees"],
                ["urgent", "symbolic", "far-reaching"], ["flooding", "emissions targets", "the heatwave"]),
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
_EPOCH = datetime(2022, 1, 1, 8, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class SyntheticFacts:
    """The key fact of article `index`: what a question about it asks and what answers it."""

    index: int
    article_id: str
    org: str
    city: str
    country: str
    topic: str
    verb: str
    unit: str
    amount: int
    budget_millions: int
    person: str
    role: str
    year_done: int
    published_at: datetime


@dataclass(frozen=True)
class SyntheticQuestion:
    id: str
    question: str
    answer: str
    article_id: str


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _rng(seed: int, index: int, salt: str = "") -> random.Random:
    # a string seed is hashed deterministically by random.Random (not by the salted hash())
    return random.Random(f"newsqa-synth:{seed}:{index}:{salt}")


def synthetic_facts(index: int, seed: int = 0) -> SyntheticFacts:
    rng = _rng(seed, index)
    topic = rng.choice(sorted(TOPICS))
    verb, units, _, _ = TOPICS[topic]
    city, country = rng.choice(PLACES)
    published = _EPOCH + timedelta(days=rng.randrange(0, 3 * 365), minutes=rng.randrange(0, 600))
    return SyntheticFacts(
        index=index, article_id=f"syn{seed}-{index:07d}", org=rng.choice(ORGS), city=city, country=country,
        topic=topic, verb=verb, unit=rng.choice(units), amount=rng.randrange(12, 9000),
        budget_millions=rng.randrange(5, 2400), person=_person(rng), role=rng.choice(ROLES),
        year_done=published.year + rng.randrange(1, 6), published_at=published,
    )


def _money(m: int) -> str:
    return f"${m / 1000:.1f} billion" if m >= 1000 else f"${m} million"


def _body(f: SyntheticFacts, rng: random.Random) -> str:
    _, units, adjectives, background = TOPICS[f.topic]
    day = f"{WEEKDAYS[f.published_at.weekday()]}"
    date = f"{MONTHS[f.published_at.month - 1]} {f.published_at.day}, {f.published_at.year}"
    lede = (
        f"{f.city.upper()}, {date} — {f.org} said on {day} that it will {f.verb} {f.amount:,} {f.unit} "
        f"in {f.city} by {f.year_done}, at a cost of {_money(f.budget_millions)}. "
        f"{f.person}, the {f.role} of {f.org}, called the plan \"{rng.choice(adjectives)}\" and said the "
        f"first phase would start within {rng.randrange(2, 19)} months. "
        f"The announcement follows {rng.randrange(2, 9)} years of debate in {f.country} about {rng.choice(background)}."
    )
    paragraphs = [lede]
    for _ in range(rng.randrange(3, 7)):
        sentences = []
        for _ in range(rng.randrange(3, 6)):
            sentences.append(_filler(f, rng, units, adjectives, background))
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def _filler(f: SyntheticFacts, rng: random.Random, units: list[str], adjectives: list[str],
            background: list[str]) -> str:
    other_city, other_country = rng.choice(PLACES)
    who = _person(rng)
    pct = rng.randrange(2, 95)
    n = rng.randrange(3, 5000)
    kind = rng.randrange(9)
    if kind == 0:
        return (f"\"We have waited long enough for this,\" said {who}, a resident of {f.city} who has "
                f"followed the debate over {rng.choice(background)} for years.")
    if kind == 1:
        return (f"In {other_city}, {other_country}, a similar scheme delivered {n:,} {rng.choice(units)} "
                f"but ran {pct} percent over budget, according to an audit published in {f.published_at.year - rng.randrange(1, 4)}.")
    if kind == 2:
        return (f"Critics including {who} of the {rng.choice(['Green', 'Liberal', 'Labour', 'Conservative', 'Independent'])} "
                f"group argued that the {_money(f.budget_millions)} would be better spent on {rng.choice(background)}.")
    if kind == 3:
        return (f"Official figures show that {pct} percent of households in {f.city} were affected by "
                f"{rng.choice(background)} last year, up from {max(1, pct - rng.randrange(1, 10))} percent.")
    if kind == 4:
        return (f"{rng.choice(ORGS)} said it was studying a comparable project in {other_city} and expected "
                f"to decide by {MONTHS[rng.randrange(12)]} {f.published_at.year + 1}.")
    if kind == 5:
        return (f"Analysts at {rng.choice(SOURCES).replace('The ', '')} Research estimated that the project "
                f"could add {n:,} jobs over {rng.randrange(2, 12)} years, a forecast {who} described as "
                f"\"{rng.choice(adjectives)}\".")
    if kind == 6:
        return (f"The council of {f.city} voted {rng.randrange(20, 40)} to {rng.randrange(2, 19)} on "
                f"{WEEKDAYS[rng.randrange(7)]} to approve the first tranche of {_money(rng.randrange(2, 300))}.")
    if kind == 7:
        return (f"Shares in {rng.choice(ORGS)} rose {rng.randrange(1, 15)}.{rng.randrange(10)} percent after "
                f"the news, while bond prices in {f.country} were little changed.")
    return (f"{who}, who leads a residents' association in {f.city}, said the group would hold a public "
            f"meeting on {MONTHS[rng.randrange(12)]} {rng.randrange(1, 29)} to discuss {rng.choice(background)}.")


def synthetic_article(index: int, seed: int = 0) -> Article:
    f = synthetic_facts(index, seed)
    rng = _rng(seed, index, "body")
    title = f"{f.org} to {f.verb} {f.amount:,} {f.unit} in {f.city}"
    source = SOURCES[_rng(seed, index, "source").randrange(len(SOURCES))]
    slug = title.lower().replace(",", "").replace(" ", "-")
    return Article(
        id=f.article_id, title=title, body=_body(f, rng), source=source,
        url=f"https://news.example/{f.published_at:%Y/%m/%d}/{slug}-{index}",
        author=_person(_rng(seed, index, "author")), published_at=f.published_at, category=f.topic,
        origin=f"synthetic:{seed}:{index}",
    )


def synthetic_articles(n: int, seed: int = 0, start: int = 0) -> list[Article]:
    """Articles `start` .. `start + n - 1` of the corpus named by `seed`."""
    return [synthetic_article(i, seed) for i in range(start, start + n)]


def synthetic_questions(n: int, n_articles: int, seed: int = 0) -> list[SyntheticQuestion]:
    """`n` questions, each answerable from one of the first `n_articles` articles of the corpus."""
    if n_articles < 1:
        raise ValueError("n_articles must be at least 1")
    rng = random.Random(f"newsqa-synth-questions:{seed}:{n}:{n_articles}")
    out = []
    for q in range(n):
        f = synthetic_facts(rng.randrange(n_articles), seed)
        kind = q % 4
        if kind == 0:
            text, answer = f"How many {f.unit} will {f.org} {f.verb} in {f.city}?", f"{f.amount:,}"
        elif kind == 1:
            text, answer = f"Who is the {f.role} of {f.org} quoted about the {f.city} plan?", f.person
        elif kind == 2:
            text, answer = f"How much will the {f.org} {f.topic} plan in {f.city} cost?", _money(f.budget_millions)
        else:
            text, answer = f"By what year will {f.org} finish its {f.topic} project in {f.city}?", str(f.year_done)
        out.append(SyntheticQuestion(f"synq{seed}-{q}", text, answer, f.article_id))
    return out
