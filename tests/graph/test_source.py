"""The article is split into sections from its own text, not from a hand-kept list."""

import re

from kg.source import SOURCE_FILE, load_article


def test_sections_follow_the_article_structure():
    article = load_article()
    kinds = [s.kind for s in article.sections.values()]
    text = SOURCE_FILE.read_text(encoding="utf-8")
    assert kinds.count("cause") == len(re.findall(r"(?m)^\d+\. ", text)) == 9
    assert kinds.count("bullet") == text.count("•") == 24
    assert kinds.count("faq-answer") == len(re.findall(r"(?m)^Question \d+:", text)) == 6
    assert kinds.count("tip") == len(re.findall(r"(?m)^Tip \d+:", text)) == 6
    assert {"title", "intro", "faq", "tips", "conclusion"} <= set(article.sections)


def test_every_paragraph_belongs_to_exactly_one_section():
    article = load_article()
    spans = sorted(span for s in article.sections.values() for span in s.spans)
    lines = [line.strip() for line in article.text.splitlines() if line.strip()]
    assert len(spans) == len(lines)
    assert [article.text[a:b] for a, b in spans] == lines


def test_section_labels_name_cause_bullet_and_faq():
    sections = load_article().sections
    assert sections["c4"].label == "4 Restless Legs Syndrome"
    assert sections["c4.2"].label == (
        "4 Restless Legs Syndrome / Circadian Rhythm and Symptom Exacerbation"
    )
    assert sections["faq3"].label == "FAQ 3"
    assert sections["tip6"].title == "Gentle Stretching Exercises Before Sleep"
    assert "Hold each stretch for 20-30 seconds" in sections["tip6"].text(load_article().text)
    # the closing summary of a cause belongs to the cause, not to its last bullet
    assert "In summary, various circulatory issues" in sections["c1"].text(load_article().text)
    assert "In summary" not in sections["c1.4"].text(load_article().text)
