"""Furniture in pasted and plain text: every furniture line goes, every sentence stays."""

import pytest

from annotator.ingest import (
    FurnitureIndex,
    clean_article,
    drop_lines,
    find_boilerplate,
    furniture_lines,
    read_path,
    read_text,
    remove_furniture,
    strip_boilerplate,
)

# Each fixture: the article's own lines, and furniture lines to interleave.
ARTICLE_A = [
    "Floods force thousands from homes in northern Italy",
    "By Giulia Conti",
    "Heavy rain caused rivers to burst their banks across Emilia-Romagna on Tuesday, forcing 5,000 people to leave their homes.",
    "\u201cWe have never seen water rise this fast,\u201d said Mayor Paolo Ferri, who ordered schools to close.",
    "Read more about the mayor's plan: officials will publish it on Friday.",
    "The civil protection agency said 14 towns were cut off and that the army had been called in.",
    "Share prices of insurers fell 3% in Milan.",
    "Related research suggests such storms are becoming more frequent.",
    "Sign language interpreters joined the evening briefing.",
    "Photographs taken by residents showed cars floating down the main street.",
    "Subscribers to the regional water service were told to boil tap water.",
    "Advertisement revenue at local newspapers has fallen, the union said.",
    "The storm is expected to move east by Thursday.",
]
FURNITURE_A = [
    "Advertisement",
    "Story continues below advertisement",
    "Subscribe now",
    "Sign in",
    "Already a subscriber? Sign in",
    "Share this article",
    "Share on Facebook",
    "Print",
    "(Photo: Marco Rossi/AP)",
    "Getty Images",
    "A rescue worker in Modena. Photograph: Marco Rossi/Reuters",
    "Sign up for our morning newsletter to get the day's top stories delivered to your inbox.",
    "We use cookies to improve your experience on our site.",
    "Skip to main content",
    "5 min read",
    "Listen to this article",
    "Copy link",
    "Tags: Italy, floods, climate",
    "Follow us on Twitter for live updates",
    "By signing up, you agree to our Privacy Policy and Terms of Use.",
    "© 2024 The Daily Ledger",
]
READ_MORE_BLOCK = ["Read more:", "- Bridge collapse in Genoa", "- Climate summit ends without deal"]
RELATED_BLOCK = ["Related", "Five things to know about Italian floods", "Why Venice keeps sinking"]


def build(article, furniture, blocks):
    lines = [article[0], ""]
    body = article[1:]
    extra = list(furniture)
    for i, line in enumerate(body):
        lines.append(line)
        if extra:
            lines.append(extra.pop(0))
        if i == 3 and blocks:
            lines.append("")
            lines.extend(blocks[0])
            lines.append("")
        if i == 6 and len(blocks) > 1:
            lines.append("")
            lines.extend(blocks[1])
            lines.append("")
    lines.extend(extra)
    return "\n".join(lines)


def test_every_furniture_line_removed_and_every_sentence_kept():
    raw = build(ARTICLE_A, FURNITURE_A, [READ_MORE_BLOCK, RELATED_BLOCK])
    article = read_text(raw)
    kept = article.text.split("\n")
    for sentence in ARTICLE_A:
        assert sentence in kept, sentence
    expected_removed = FURNITURE_A + READ_MORE_BLOCK + RELATED_BLOCK
    for furniture in expected_removed:
        assert furniture not in kept, furniture
    assert sorted(article.removed_lines) == sorted(expected_removed)
    # The removed lines are listed in the order they appeared.
    assert article.removed_lines == [line for line in raw.split("\n") if line in expected_removed]
    assert article.title == ARTICLE_A[0]


NEWS_SENTENCES = [
    "Share of voters backing the government fell to 31%, the poll found.",
    "Print editions will stop in June, the publisher announced.",
    "Subscribe, the company urged its customers, or lose access to older features.",
    "Advertisement spending rose 12% last year.",
    "Sign-ups for the programme doubled after the minister's speech.",
    "Photo agencies protested against the new rules.",
    "Read the full report, the minister said, before judging it.",
    "Related companies will also be investigated by the regulator.",
    "Comments made by the chief executive were later withdrawn.",
    "The newsletter, launched by the ministry in 2021, reaches 40,000 teachers.",
    "Most read books this year were crime novels, the survey found.",
    "Search teams found the missing hikers on Sunday morning.",
    "Close to 2,000 people attended the rally.",
    "Source: the ministry said the figures were provisional.",
    "Getty Images and other agencies supplied photographs for the exhibition, which opens on Monday in the capital.",
    "Watch the video, the lawyer told jurors, and decide for yourselves whether he acted in self-defence.",
    "Tags attached to the birds showed that they had flown more than 3,000 km.",
    "Menu prices at restaurants rose faster than inflation.",
    "Reuters reported that talks would resume next week.",
    "Log in data showed the account was accessed from abroad.",
]


@pytest.mark.parametrize("sentence", NEWS_SENTENCES)
def test_sentences_that_start_like_furniture_are_kept(sentence):
    text = f"Headline\n\n{sentence}\nAnother sentence follows here."
    assert find_boilerplate(text) == []


def test_keep_boilerplate_disables_removal():
    raw = "Title\n\nAdvertisement\nA sentence."
    assert read_text(raw, keep_boilerplate=True).text == raw
    assert read_text(raw, keep_boilerplate=True).removed_lines == []


def test_clean_article_equals_default_read(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(build(ARTICLE_A, FURNITURE_A, [READ_MORE_BLOCK]))
    raw = read_path(path, keep_boilerplate=True)
    assert clean_article(raw).text == read_path(path).text
    assert clean_article(raw).removed_lines == read_path(path).removed_lines


def test_restoring_a_line_by_dropping_fewer():
    raw = "Title\n\nAdvertisement\nFirst sentence.\nShare this article\nLast sentence."
    found = find_boilerplate(raw)
    assert found == [2, 4]
    text, removed = drop_lines(raw, [4])  # the analyst restored "Advertisement"
    assert text == "Title\n\nAdvertisement\nFirst sentence.\nLast sentence."
    assert removed == ["Share this article"]


def test_only_furniture_keeps_everything():
    article = read_text("Advertisement\nSubscribe now")
    assert article.text == "Advertisement\nSubscribe now"
    assert article.removed_lines == []


def test_strip_boilerplate_collapses_blank_lines():
    assert strip_boilerplate("A sentence.\n\nAdvertisement\n\nB sentence.") == (
        "A sentence.\n\nB sentence.",
        ["Advertisement"],
    )


def test_furniture_lines_recurring_in_an_outlet():
    footer = "The Valley Courier is an independent paper serving the valley since 1921"
    texts = [
        f"Story {i}\n\nUnique sentence number {i} about local news.\n{footer}\nCorrections: write to the desk"
        for i in range(10)
    ]
    texts[3] = texts[3].replace("\nCorrections: write to the desk", "")
    found = furniture_lines(texts, min_share=0.5, min_count=3)
    assert found == {footer, "Corrections: write to the desk"}
    assert furniture_lines(texts[:2], min_count=3) == set()
    assert furniture_lines([]) == set()
    text, removed = remove_furniture(texts[0], found)
    assert text == "Story 0\n\nUnique sentence number 0 about local news."
    assert removed == [footer, "Corrections: write to the desk"]


def test_furniture_lines_ignores_rare_and_long_lines():
    quote = "x" * 400
    texts = [f"A{i}\n{quote}\nshared line" for i in range(4)] + [f"B{i}" for i in range(8)]
    assert furniture_lines(texts, min_share=0.3, min_count=3) == {"shared line"}
    assert furniture_lines(texts, min_share=0.5, min_count=3) == set()


def test_versions_of_one_story_are_not_furniture():
    story = ["Minister resigns over expenses", "The minister resigned on Monday.", "She denied wrongdoing.",
             "Her deputy takes over.", "Elections are due in May."]
    versions = ["\n".join(story + [f"Update {i}: more details emerged."]) for i in range(5)]
    assert furniture_lines(versions) == set()
    index = FurnitureIndex(versions[:4])
    assert index.furniture_in(versions[4]) == set()
    # Lines shared by distinct articles still count.
    others = [f"Story {i}\nA different sentence number {i}.\nThe Valley Courier" for i in range(3)]
    index = FurnitureIndex(versions + others[:2])
    assert index.furniture_in(others[2]) == {"The Valley Courier"}


@pytest.mark.parametrize(
    "line",
    [
        "À lire aussi » Ballonnements, lourdeurs... Quel est votre profil digestif ?",
        "Lesen Sie auch: Die Bahn erhöht die Preise",
        "MIRA | Kenji Fujimori: PJ concluye con interrogatorio",
        "Czytaj także: Sejm przyjął ustawę",
        "We want to hear what you think about this article. Submit a letter to the editor or write to letters@example.com.",
    ],
)
def test_read_more_labels_in_other_languages(line):
    assert find_boilerplate(f"Title\n{line}\nA sentence of the article.") == [1]


def test_link_list_heading_in_another_language_takes_its_links():
    text = "Title\nBody sentence.\nMehr zum Thema\n- 2019-01-14: Auftakt\n- 2018-01-06: Langer Abend\nWeiterführender Link"
    assert find_boilerplate(text) == [2, 3, 4]


def test_link_list_with_blank_lines_ends_at_the_first_sentence():
    text = ("Title\n\nBody sentence.\n\nAudios et vidéos sur le sujet\n\nEnvironnement\n\n"
            "La perte des terres fertiles en Guinée\n\nLe texte de l'article continue ici avec une phrase.")
    assert find_boilerplate(text) == [4, 6, 8]


def test_caption_with_capitalised_credit():
    caption = "Agents found 475 pounds of cocaine in a vessel in Las Croabas. By U.S. CUSTOMS AND BORDER PROTECTION"
    assert find_boilerplate(f"Title\n{caption}\nThe report was written by the agency.") == [1]
    assert find_boilerplate("Title\nThe study was funded by NASA. By 2030 it will end.") == []


def test_title_skips_a_furniture_first_line():
    article = read_text("Skip to main content\nCouncil approves budget\n\nThe council approved it.")
    assert article.title == "Council approves budget"
    assert article.original_name == "pasted text.txt"


@pytest.mark.parametrize(
    "line",
    ["Anzeige", "Teilen", "Publicité", "Published 19 December 2024", "Copyright 2024 BBC. All rights reserved.",
     "Foto: dpa", "Associated Press writers Lisa Mascaro and Kevin Freking contributed to this report."],
)
def test_more_furniture_lines(line):
    assert find_boilerplate(f"Title\n{line}\nA sentence of the article.") == [1]


def test_question_headlines_in_a_link_list():
    text = "Title\nBody.\nMore on this story\nThames Water secures loan\nWhat does the rise mean for me?\n\nNext paragraph."
    assert find_boilerplate(text) == [2, 3, 4]


@pytest.mark.parametrize("line", ["Updated 10:32 AM EST", "Veröffentlicht am 3. März 2024", "Last updated: 5/3/2024"])
def test_date_lines(line):
    assert find_boilerplate(f"Title\n{line}\nA sentence of the article.") == [1]


def test_sentence_starting_with_posted_is_kept():
    assert find_boilerplate("Title\nPosted 3,000 letters to voters, the campaign said.\nMore text.") == []


# Subscription prompts as they arrive in text copied from news sites (patterns seen on
# several outlets; the wording here is our own): sentences glued together, icon names.
PAYWALL_LINES = [
    "Unlock every story.See our offers ChevronRight",
    "Subscribe now",
    "Already a subscriber? Sign in",
    "Already a subscriber?Log in",
    "Get unlimited digital access for just $1 a week. Cancel anytime.",
    "Start your free trial ArrowRight",
    "Subscribe to continue reading",
    "This article is for subscribers only.",
    "Support independent journalism | Subscribe today",
    "Log in to continue reading",
    "You have reached your limit of free articles.",
    "Only £2 a month for the first year",
]


@pytest.mark.parametrize("line", PAYWALL_LINES)
def test_paywall_prompts_are_furniture(line):
    text = "\n".join([ARTICLE_A[2], line, ARTICLE_A[3]])
    clean, removed = strip_boilerplate(text)
    assert removed == [line]
    assert clean == "\n".join([ARTICLE_A[2], ARTICLE_A[3]])


@pytest.mark.parametrize(
    "sentence",
    [
        "The union said members would subscribe to the new pension plan from March.",
        "Subscribers lost access to the archive for three days, the company said.",
        "Sign in sheets at the clinic showed 40 visitors on Friday.",
        "Only $2 million of the $9 million budget was spent, the auditor found.",
    ],
)
def test_sentences_about_subscriptions_are_kept(sentence):
    assert strip_boilerplate("\n".join([ARTICLE_A[2], sentence, ARTICLE_A[3]]))[1] == []


def test_related_and_bare_headline_links_between_paragraphs_are_removed():
    article = [
        "Ministers agreed on Tuesday to extend the fuel subsidy until the end of the year, at a cost of $4 billion.",
        "The finance ministry said the extension would be paid for by cutting capital spending.",
        "Opposition lawmakers said the subsidy mostly helped wealthier drivers and called for targeted support.",
        "Economists expect inflation to ease slightly in the coming months as energy prices stabilise.",
    ]
    links = [
        "Related: Central bank holds rates as inflation stays high",
        "Why petrol queues returned to the capital this summer",
    ]
    text = "\n\n".join([article[0], links[0], article[1], article[2], links[1], article[3]])
    clean, removed = strip_boilerplate(text)
    assert removed == links
    assert clean == "\n\n".join(article)


def test_subheadings_that_lead_into_their_paragraph_are_kept():
    text = "\n\n".join([
        "Ministers agreed on Tuesday to extend the fuel subsidy until the end of the year, at a cost of $4 billion.",
        "Who pays for the fuel subsidy extension",
        "The fuel subsidy extension will be paid for by cutting capital spending, the finance ministry said.",
        "What next",
        "Lawmakers will vote on the budget in October, and the opposition has promised to fight it.",
    ])
    assert strip_boilerplate(text)[1] == []
