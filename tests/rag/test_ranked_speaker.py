"""A follow-up statement question's speaker, as the ranked path reads it (query._speaker)."""

from __future__ import annotations

from newsqa.rag.query import analyse


def test_a_follow_up_about_another_person_asks_what_the_carried_person_said() -> None:
    # "he" is the person the conversation carried over (the list after the question), not the
    # person the question asks about
    assert analyse("What did he say about Tomas Reyes? (Anna Lind, Westhaven)").speaker == {"anna", "lind"}
    assert analyse("What did she say about the port? (Ilse Varga, Norbridge)").speaker == {"ilse", "varga"}
    # without a carried list, the person after the verb is all there is
    assert analyse("What did he say about Tomas Reyes?").speaker == {"tomas", "reyes"}


def test_a_sentence_inside_an_open_quotation_reports_speech() -> None:
    from newsqa.rag.features import cheap_features, inside_quotation
    from newsqa.rag.sentences import passage_candidates
    from rag_helpers import passages

    text = ("The harbour master Anna Lind spoke after the storm. She said: “The pier held up well. "
            "The first task now is to clear the channel.” Repairs start on Monday.")
    assert inside_quotation(text, text.index("The first task"))
    assert not inside_quotation(text, text.index("Repairs start"))
    assert inside_quotation('He said: "We wait. Then we sail." Done.', len('He said: "We wait. '))
    ps = passages(text)
    cands = passage_candidates(ps)
    cheap_features(analyse("What did Anna Lind say the first task is?"), ps, cands)
    by_start = {c.text[:9]: c.features for c in cands}
    assert by_start["The first"].speech == 1.0 and by_start["The first"].speaker_match == 0.5
    assert by_start["Repairs s"].speech == 0.0


def test_a_statement_topic_is_what_it_is_about_not_the_verb_that_asks() -> None:
    # "say" is how the question asks; "the ferry" (or a name after "about") is its topic; a
    # follow-up's carried names are whom "she" may be, not the topic; the surname alone names her
    from newsqa.rag.features import cheap_features
    from newsqa.rag.sentences import passage_candidates
    from rag_helpers import passages

    text = ("Mayor Ilse Varga opened the Norbridge ferry terminal on Monday. "
            "“I say we build the second pier first,” the harbour master told her. "
            "Varga praised Tomas Reyes for the work, saying: “The new ferry runs from June.” "
            "The terminal cost 30 million crowns.")
    ps = passages(text)
    cands = passage_candidates(ps)
    by_text = {c.text[:8]: c for c in cands}

    cheap_features(analyse("What did Ilse Varga say about the ferry?"), ps, cands)
    assert by_text["“I say w"].features.topic == 0.0  # the question's verb, in someone else's quotation
    assert by_text["Varga pr"].features.topic > 0.0
    assert by_text["Varga pr"].features.speaker_match == 1.0  # "Varga" names "Ilse Varga"

    cheap_features(analyse("What did she say about Tomas Reyes? (Ilse Varga, Norbridge)"), ps, cands)
    praised = by_text["Varga pr"].features
    assert praised.topic == 1.0 and praised.statement_topic == 1.0 and praised.speaker_match == 1.0
    assert by_text["“I say w"].features.topic == 0.0
    assert by_text["Mayor Il"].features.topic == 0.0  # names the speaker, not the topic
