"""One test per news pattern the suggesters are meant to recognise."""

from __future__ import annotations

import json
import re

import pytest

from annotator.suggest import SuggestedSpan, suggest
from annotator.suggest.patterns import word_alternation


def quotes(text: str, tag: str) -> list[str]:
    return [s.quote for s in suggest(text, (tag,))]


def figure(text: str, quote: str) -> dict:
    for s in suggest(text, ("figure",)):
        if s.quote == quote:
            return json.loads(s.value)
    raise AssertionError(f"{quote!r} not among {quotes(text, 'figure')}")


# --- figures ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("At least 11 soldiers were killed.", "At least 11 soldiers", "11"),
        ("Police detained some 5,000 alleged members of the group.", "some 5,000 alleged members", "5000"),
        ("The army mobilised as many as 100,000 men.", "as many as 100,000 men", "100000"),
        ("Guards freed 89 prisoners overnight.", "89 prisoners", "89"),
        ("Three people died.", "Three people", "3"),
        # Vague quantities are a range (at least two of the unit, fewer than ten), not a false exact number.
        ("Dozens of homes were flattened.", "Dozens of homes", "24..119"),
        ("Hundreds of families fled.", "Hundreds of families", "200..999"),
        ("Tens of thousands marched.", "Tens of thousands", "20000..99999"),
        ("A dozen homes were flattened.", "A dozen homes", "12"),
        ("A third of voters stayed home.", "A third of voters", "0.333"),
        ("The city has 1.2 million residents.", "1.2 million residents", "1200000"),
        ("Output fell 3% last year.", "3%", "3%"),
        ("Output fell -3% last year.", "-3%", "-3%"),
        ("The deal is worth $4.5bn.", "$4.5bn", "4500000000"),
        ("Rents rose by 12 per cent.", "12 per cent", "12%"),
        ("Between 10 and 20 people were hurt.", "Between 10 and 20 people", "10..20"),
        ("Turnout was 40-45 percent.", "40-45 percent", "40..45%"),
        ("The convoy travelled 300 kilometres.", "300 kilometres", "300"),
        ("He waited two hours.", "two hours", "2"),
        ("The talks ended two weeks ago.", "two weeks ago", "2"),
        ("Twenty-five thousand people marched.", "Twenty-five thousand people", "25000"),
        ("A 45-year-old man was arrested.", "45-year-old", "45"),
    ],
)
def test_figures(text: str, quote: str, value: str) -> None:
    assert figure(text, quote)["value"] == value


def test_vague_quantity_carries_its_qualifier() -> None:
    assert figure("Dozens of homes were flattened.", "Dozens of homes")["qualifier"] == "vague"
    assert figure("At least hundreds of homes burned.", "At least hundreds of homes")["qualifier"] == "at least"


def test_figure_value_carries_unit_noun_and_qualifier() -> None:
    assert figure("At least 11 soldiers died.", "At least 11 soldiers") == {
        "value": "11",
        "noun": "soldiers",
        "qualifier": "at least",
    }
    assert figure("It cost £800m.", "£800m")["unit"] == "GBP"
    assert figure("It cost 250 million dutch guilders.", "250 million dutch guilders")["unit"] == "NLG"


@pytest.mark.parametrize(
    "text",
    [
        "He flew an F-16 over the city.",
        "The council passed Resolution 2254.",
        "It was the 21st attempt.",
        "No one was hurt, one of them said.",
        "It was the fourth month in a row.",
        "Theresa May spoke next.",
        "Demonstrators march to the square.",
        "The next step is a vote.",
        "June Carter sang.",
        "This may take weeks, and the sun sat low.",
        "Farmers will march again; the last march was calm.",
        "Each side blamed the other, and a new year of talks began.",
        "In the past, the second half of the match was dull.",
        "Install version 1.2.34 or 2015-1-32.",
    ],
)
def test_identifiers_ordinals_names_and_pronoun_one_are_not_figures(text: str) -> None:
    assert quotes(text, "figure") == []


# Calendar expressions are figures of kind "date", scored below quantities.
@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("The attack happened on March 7, 2019.", "March 7, 2019", "2019-03-07"),
        ("The vote is on 7 March.", "7 March", "--03-07"),
        ("They met at 10:30 a.m. on Tuesday.", "10:30 a.m. on Tuesday", "TuesdayT10:30"),
        ("The summit opens on Friday at 9am.", "Friday at 9am", "FridayT09:00"),
        ("In 2015 the war escalated.", "2015", "2015"),
        ("Prices rose in 2015, officials said.", "2015", "2015"),
        ("The 1990s were calmer.", "1990s", "1990s"),
        ("Sales doubled in August 2022.", "August 2022", "2022-08"),
        ("The plant has been closed since April.", "April", "--04"),
        ("The ceasefire ended in May.", "May", "--05"),
        ("Output fell in the third quarter.", "the third quarter", "third quarter"),
        ("Exports rose in the first half of 2023.", "the first half of 2023", "first half of 2023"),
        ("Talks resume next week.", "next week", "next week"),
        ("Costs will rise over the coming year.", "the coming year", "coming year"),
        ("The minister resigned yesterday.", "yesterday", "yesterday"),
        ("Polls close at 8 p.m. tonight.", "8 p.m. tonight", "tonightT20:00"),
        ("The strike began at 0600 GMT.", "0600 GMT", "06:00"),
        ("Rates rose between 2021 and 2023.", "between 2021 and 2023", "2021..2023"),
        ("The war lasted from 1992 to 1995.", "from 1992 to 1995", "1992..1995"),
        ("Prices peaked in Jan. and fell in Feb. 2024.", "Feb. 2024", "2024-02"),
        ("The festival runs June 3 to 9.", "June 3 to 9", "--06-03..9"),
        ("Shops shut on Christmas Day.", "Christmas Day", "christmas day"),
        ("The contract was signed on 2021-06-30.", "2021-06-30", "2021-06-30"),
        ("The contract was signed on 30.06.2021.", "30.06.2021", "30.06.2021"),
        ("The report is published annually.", "annually", "annually"),
        ("Inspectors visit every month.", "every month", "every month"),
        ("The ferry sails every evening at 7:15 p.m.", "every evening at 7:15 p.m.", "every eveningT19:15"),
        ("Talks resume next Tuesday at 9am.", "next Tuesday at 9am", "next tuesdayT09:00"),
        ("The market reopens Friday 23.", "Friday 23", "Friday 23"),
        ("The ferry leaves in the evenings.", "in the evenings", "in the evenings"),
    ],
)
def test_dates_are_figures_of_kind_date(text: str, quote: str, value: str) -> None:
    found = figure(text, quote)
    assert found == {"value": value, "kind": "date"}
    score = next(s.score for s in suggest(text, ("figure",)) if s.quote == quote)
    assert score < 0.5


def test_a_date_alone_does_not_make_a_sentence_a_claim() -> None:
    assert quotes("The committee met on Tuesday.", "claim") == []
    assert quotes("The committee met on Tuesday and approved 40 new posts.", "claim")


def test_a_span_of_time_before_earlier_or_ago_is_a_figure() -> None:
    assert figure("Inflation was 3.8% a month earlier.", "a month") == {"value": "1", "noun": "month"}
    assert figure("The talks collapsed a week ago.", "a week ago") == {"value": "1", "noun": "week"}
    assert quotes("They meet once a day.", "figure") == []


# --- sources ---------------------------------------------------------------


def sources(text: str) -> list[SuggestedSpan]:
    return [s for s in suggest(text) if s.tag == "source"]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("The bridge collapsed, Ahmed Khalil said.", "Ahmed Khalil"),
        ("“We are ready,” said Mervan Qamishlo.", "Mervan Qamishlo"),
        ("According to the Health Ministry, 40 people died.", "the Health Ministry"),
        ("Ahmed Khalil told Reuters the bridge had collapsed.", "Ahmed Khalil"),
        ("Ahmed Khalil said in a statement that the bridge had collapsed.", "Ahmed Khalil"),
        ("In a statement by the Interior Ministry, the curfew was extended.", "the Interior Ministry"),
        ("The state news agency SANA reported the blast.", "The state news agency SANA"),
        ("SANA carried the report, quoting a military source.", "a military source"),
        (
            "Mervan Qamishlo, a spokesman for the Syrian Democratic Forces, said the camp was secure.",
            "Mervan Qamishlo, a spokesman for the Syrian Democratic Forces",
        ),
        ("Prime Minister Keir Starmer said the plan would work.", "Prime Minister Keir Starmer"),
        ("Officials said the road was closed.", "Officials"),
        # A time between the subject and its verb stays out of the source.
        ("The curfew came after health officials this week said cases had doubled.", "health officials"),
        (
            "A senior official who spoke on condition of anonymity said talks had stalled.",
            "A senior official who spoke on condition of anonymity",
        ),
    ],
)
def test_sources(text: str, quote: str) -> None:
    assert quote in [s.quote for s in sources(text)]


def test_pronoun_source_is_linked_to_the_named_source() -> None:
    text = "Ahmed Khalil said the bridge had collapsed. He said 40 cars fell into the river."
    spans = suggest(text)
    he = next(s for s in spans if s.tag == "source" and s.quote == "He")
    value = json.loads(he.value)
    assert value["kind"] == "pronoun"
    assert spans[value["refers_to"]].quote == "Ahmed Khalil"


def test_source_kinds() -> None:
    kinds = {s.quote: json.loads(s.value)["kind"] for s in sources(
        "Ahmed Khalil said it rained. The ministry said roads were shut. Officials said so too."
    )}
    assert kinds == {"Ahmed Khalil": "named", "The ministry": "organisation", "Officials": "anonymous"}


# --- claims ----------------------------------------------------------------


def claim_with_source(text: str) -> list[tuple[str, str | None]]:
    spans = suggest(text)
    return [
        (s.quote, spans[s.source_index].quote if s.source_index is not None else None)
        for s in spans
        if s.tag == "claim"
    ]


def test_direct_quote_is_a_claim_linked_to_its_source() -> None:
    text = "“We have pushed them back from the river,” said Mervan Qamishlo."
    assert claim_with_source(text) == [("We have pushed them back from the river", "Mervan Qamishlo")]


def test_quote_after_colon_is_linked_to_the_speaker_before_it() -> None:
    text = "Ahmed Khalil said: “The bridge was closed three days before it fell.”"
    assert ("The bridge was closed three days before it fell.", "Ahmed Khalil") in claim_with_source(text)


def test_indirect_quote_after_the_verb() -> None:
    text = "Ahmed Khalil told Reuters that 40 cars fell into the river."
    assert claim_with_source(text) == [("40 cars fell into the river", "Ahmed Khalil")]


def test_indirect_quote_before_the_attribution() -> None:
    text = "At least 11 soldiers were killed in the attack, officials said."
    assert claim_with_source(text) == [("At least 11 soldiers were killed in the attack", "officials")]


def test_according_to_clause() -> None:
    text = "According to the Health Ministry, 40 people died in the floods."
    assert claim_with_source(text) == [("40 people died in the floods", "the Health Ministry")]


def test_factual_sentence_without_source_is_a_claim() -> None:
    text = "Unemployment rose to 5.2% in March, the highest level since 2015."
    assert claim_with_source(text) == [(text, None)]


def test_opinion_and_questions_are_not_claims() -> None:
    assert quotes("What happens next? We should all be kinder to each other.", "claim") == []


def test_short_scare_quotes_are_not_claims() -> None:
    assert quotes("The group called the move a “provocation” and left the table.", "claim") != [
        "provocation"
    ]


def test_unknown_tag_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        suggest("text", ("figures",))


# --- later patterns ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "value"),
    [
        ("A magnitude 6.8 earthquake struck.", "magnitude 6.8", "6.8"),
        ("The shaking lasted almost a minute.", "almost a minute", "1"),
        ("Fares rose twice last year.", "twice", "2"),
        ("Cases were double the figure a year ago.", "double", "2"),
        ("Around half of the country's freight goes by road.", "Around half of the country's freight", "0.5"),
        ("The average is 5.5x10-3 kg.", "5.5x10-3 kg", "0.0055"),
        ("Add ⅓ cup of milk.", "⅓ cup", "0.333"),
    ],
)
def test_more_figures(text: str, quote: str, value: str) -> None:
    assert figure(text, quote)["value"] == value


def test_over_a_period_is_no_qualifier() -> None:
    assert figure("It will spend €10 billion over four years.", "four years") == {"value": "4", "noun": "years"}


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("Jane Porter, chief economist at Harbour Bank, said spending fell.", "Jane Porter, chief economist at Harbour Bank"),
        ("“We are ready,” said Grace Wanjiru, a 34-year-old trader.", "Grace Wanjiru, a 34-year-old trader"),
        ("Output fell, the regional utility said.", "the regional utility"),
        ("The public prosecutor's office denied that anyone was hurt.", "The public prosecutor's office"),
        ("A passenger group welcomed the plan but said fares had risen.", "A passenger group"),
        ("Environmental groups called the target weak, saying cuts were too small.", "Environmental groups"),
        ("A Veltron spokeswoman declined to comment.", "A Veltron spokeswoman"),
        ("Rains damaged the crop, the national growers' federation said.", "the national growers' federation"),
        ("Its chief executive, Andrés Molina, told reporters that output would recover.", "Its chief executive, Andrés Molina"),
        ("The strikes broke the truce, according to a statement by the Foreign Ministry.", "the Foreign Ministry"),
    ],
)
def test_more_sources(text: str, quote: str) -> None:
    assert quote in [s.quote for s in sources(text)]


def test_speech_inside_a_quotation_is_no_attribution() -> None:
    text = "“I told the players at half-time that we could still win,” manager Luis Ortega said."
    assert [s.quote for s in sources(text)] == ["manager Luis Ortega"]


def test_asking_for_money_is_no_attribution() -> None:
    assert sources("The government has asked donors for $1.2bn in emergency aid.") == []


def test_participle_clause_is_credited_to_the_speaker_before_it() -> None:
    text = "Nearly 2 million people have fled the floods, the United Nations said on Monday, warning that the number could rise."
    assert claim_with_source(text) == [
        ("Nearly 2 million people have fled the floods", "the United Nations"),
        ("the number could rise", "the United Nations"),
    ]


def test_reported_clause_stops_at_a_comment_on_it() -> None:
    text = "Interior Minister Samuel Kiprop said the protests had been organised by politicians, a claim opposition leaders denied."
    assert ("the protests had been organised by politicians", "Interior Minister Samuel Kiprop") in claim_with_source(text)


def test_object_of_urged_is_no_claim_without_that() -> None:
    assert claim_with_source("The minister urged calm.") == []


def test_number_words_that_do_not_compose_are_separate_figures() -> None:
    assert quotes("The code read five-nought-six.", "figure") == ["five", "nought", "six"]
    assert quotes("He counted seven eight nine.", "figure") == ["seven", "eight", "nine"]
    assert figure("Officials said two hundred and forty thousand people fled.", "two hundred and forty thousand people")[
        "value"
    ] == "240000"
    assert figure("The trip takes two-three days.", "two-three days")["value"] == "2..3"


def test_one_unit_of_a_measure_is_a_figure_and_a_price_per_unit_is_one_figure() -> None:
    assert figure("Smugglers carried a kilogram of heroin.", "a kilogram") == {"value": "1", "unit": "kg"}
    assert figure("Petrol now costs $5 a gallon.", "$5 a gallon") == {"value": "5", "unit": "USD/gal"}
    assert figure("Diesel sells for about 2 euros a litre.", "about 2 euros a litre")["unit"] == "EUR/l"
    assert quotes("The price of a litre of milk doubled.", "figure") == []
    assert quotes("Helicopters dropped a barrel bomb on the market.", "figure") == []


def test_a_vague_proportion_is_a_figure() -> None:
    assert figure("Only a small percentage of voters turned out.", "a small percentage of voters") == {
        "value": "small percentage",
        "unit": "%",
        "noun": "voters",
    }
    assert quotes("The percentage was not disclosed.", "figure") == []


def test_data_units() -> None:
    assert figure("The leak exposed 3 terabytes of records.", "3 terabytes")["unit"] == "TB"


def test_zero_is_a_figure_except_in_idioms() -> None:
    assert figure("Inflation fell to zero in March.", "zero") == {"value": "0"}
    assert figure("There were zero deaths.", "zero deaths") == {"value": "0", "noun": "deaths"}
    for text in ("Rescuers searched ground zero.", "Trade is not a zero-sum game.", "Troops zero in on the town."):
        assert quotes(text, "figure") == []


def test_a_year_after_mid_early_or_late_is_a_date() -> None:
    assert figure("Inflation should ease by mid-2026.", "2026") == {"value": "2026", "kind": "date"}
    assert figure("Prices peaked in the late-1990s.", "1990s") == {"value": "1990s", "kind": "date"}
    assert quotes("The air force flies the F-2026 prototype.", "figure") == []


def test_word_alternation_matches_whole_words_and_honours_required_followers() -> None:
    pattern = re.compile(r"\b(?:" + word_alternation(["sun", "sunday", "six"], {"next": r"(?=\s+week)"}) + r")\b")
    assert [m.group() for m in pattern.finditer("sunday sun six next week, next step")] == ["sunday", "sun", "six", "next"]
