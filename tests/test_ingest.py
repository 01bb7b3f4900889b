"""Tests for spacecast.text.ingest: reading articles from text, Markdown, HTML and stdin."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from spacecast.errors import InputError
from spacecast.text.article import Article
from spacecast.text.ingest import (
    ACCEPTED,
    UnusableArticleError,
    load_articles,
    parse_article,
    read_article,
    sniff_kind,
)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def load_collecting(sources: list[str], **kwargs) -> tuple[list, list[str]]:
    warnings: list[str] = []
    articles = load_articles(sources, warn=warnings.append, **kwargs)
    return articles, warnings


# --------------------------------------------------------------------------------------
# Plain text


def test_txt_short_first_line_is_the_title_and_wrapped_lines_are_joined(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ferry.txt",
        "Ferry service resumes after storm\n"
        "\n"
        "The island ferry sailed again on Tuesday after\n"
        "three days in port, the operator said.\n"
        "\n"
        "\n"
        "  Crews checked the   hull overnight.  \n"
        "Passengers cheered as it left.\n",
    )
    article = read_article(path)
    assert article.source == str(path)
    assert article.title == "Ferry service resumes after storm"
    assert article.paragraphs == (
        "The island ferry sailed again on Tuesday after three days in port, the operator said.",
        "Crews checked the hull overnight. Passengers cheered as it left.",
    )
    assert article.url is None and article.date is None


def test_txt_title_line_directly_followed_by_the_body(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.txt",
        "Library opens on Sunday\nThe new city library opens its doors on Sunday morning.\n",
    )
    article = read_article(path)
    assert article.title == "Library opens on Sunday"
    assert article.paragraphs == ("The new city library opens its doors on Sunday morning.",)


def test_txt_first_line_ending_in_a_full_stop_is_a_sentence_not_a_title(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.txt",
        "Dr. Lee of the U.S. weather service said rain would ease. "
        "Rivers are still high.\n\nMore rain is due next week, forecasters warned.\n",
    )
    article = read_article(path)
    assert article.title == ""  # no headline is made up from the lead
    assert article.label == "Dr. Lee of the U.S. weather service said rain would ease"
    assert article.paragraphs[0].startswith("Dr. Lee of the U.S. weather service")
    assert len(article.paragraphs) == 2


def test_txt_long_first_sentence_makes_a_truncated_label(tmp_path: Path) -> None:
    first = (
        "Officials in the northern province said on Monday that the old stone bridge "
        "across the river would stay closed for at least another six months while "
        "engineers finished repairs"
    )
    path = write(tmp_path, "a.txt", first + "\n\nTraffic is being sent through the valley.\n")
    article = read_article(path)
    assert first.split().__len__() >= 20
    assert article.title == ""
    assert article.label == "Officials in the northern province said on Monday that the old stone…"
    assert article.paragraphs[0] == first


def test_txt_wrapped_first_line_that_carries_on_is_not_a_title(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "a.txt",
        "The town council voted\nlate on Thursday to close the old market hall for good.\n",
    )
    article = read_article(path)
    assert article.title == ""
    assert article.label == "The town council voted late on Thursday to close the old market…"
    assert article.paragraphs == (
        "The town council voted late on Thursday to close the old market hall for good.",
    )


def test_txt_rule_lines_under_the_title_are_dropped(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.txt", "Harvest begins early\n=====\nFarmers started cutting wheat today.\n"
    )
    article = read_article(path)
    assert article.title == "Harvest begins early"
    assert article.paragraphs == ("Farmers started cutting wheat today.",)


# --------------------------------------------------------------------------------------
# Markdown


def test_md_front_matter_gives_title_url_and_date(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "story.md",
        "---\n"
        'title: "Bridge reopens after repairs"\n'
        "source: 'https://example.org/news/bridge'\n"
        "date: 2024-05-02\n"
        "tags:\n"
        "  - transport\n"
        "---\n"
        "\n"
        "# Bridge reopens after repairs\n"
        "\n"
        "The river bridge reopened to traffic on Thursday morning after months of work.\n",
    )
    article = read_article(path)
    assert article.title == "Bridge reopens after repairs"
    assert article.url == "https://example.org/news/bridge"
    assert article.date == dt.date(2024, 5, 2)
    assert article.paragraphs == (
        "The river bridge reopened to traffic on Thursday morning after months of work.",
    )


def test_md_front_matter_url_key_wins_and_odd_values_are_ignored(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "story.md",
        "---\n"
        "source: Regional Wire\n"
        "url: https://example.org/a\n"
        "date: 2024-13-40\n"
        "---\n"
        "Rail strike called off\n"
        "\n"
        "Unions called off next week's rail strike after late talks on Sunday.\n",
    )
    article = read_article(path)
    assert article.url == "https://example.org/a"
    assert article.date is None
    assert article.title == "Rail strike called off"  # no heading: the first line
    assert article.paragraphs == (
        "Unions called off next week's rail strike after late talks on Sunday.",
    )


def test_md_heading_fallback_and_syntax_stripping(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "story.md",
        "# The *new* harbour wall\n"
        "\n"
        "Work on the **harbour wall** finished _early_, according to a\n"
        "[council report](https://example.org/report_(final)) released on `Monday`.\n"
        "\n"
        "![A crane on the quay](crane.jpg)\n"
        "\n"
        "## What happens next\n"
        "\n"
        "> Boats will return next week,\n"
        "> the harbour master said.\n"
        "\n"
        "<!-- note to editor:\n"
        "check the cost figure -->\n"
        "\n"
        "---\n"
        "\n"
        "The plan has three steps:\n"
        "\n"
        "- dredge the channel\n"
        "- repaint the *markers*\n"
        "1. open the quay\n"
        "\n"
        "Costs rose 5 \\* 2 times, said snake_case_fan.\n",
    )
    article = read_article(path)
    assert article.title == "The new harbour wall"
    assert article.paragraphs == (
        "Work on the harbour wall finished early, according to a council report released "
        "on Monday.",
        "Boats will return next week, the harbour master said.",
        "The plan has three steps:",
        "dredge the channel. repaint the markers. open the quay.",
        "Costs rose 5 * 2 times, said snake_case_fan.",
    )
    assert all("What happens next" not in p for p in article.paragraphs)


def test_md_subheading_below_the_text_is_not_the_title(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "story.md",
        "Storm closes schools\n"
        "\n"
        "Schools across the county closed as the storm arrived.\n"
        "\n"
        "## Reaction\n"
        "\n"
        "Parents were told to keep children at home.\n",
    )
    article = read_article(path)
    assert article.title == "Storm closes schools"
    assert article.paragraphs == (
        "Schools across the county closed as the storm arrived.",
        "Parents were told to keep children at home.",
    )


def test_md_wrapped_year_is_not_a_numbered_list(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "story.md",
        "# Budget\n\nThe new budget runs until the end of\n2025. Ministers approved it.\n",
    )
    article = read_article(path)
    assert article.paragraphs == (
        "The new budget runs until the end of 2025. Ministers approved it.",
    )


# --------------------------------------------------------------------------------------
# HTML

PAGE = """<!doctype html>
<html><head>
<title>Volcano erupts on remote island - Example News</title>
<meta property="og:title" content="Volcano erupts on remote island">
<meta property="og:url" content="https://example.org/og-volcano">
<link rel="canonical" href="https://example.org/volcano">
<meta property="article:published_time" content="2024-02-11T06:00:00+00:00">
<script>var markup = "<p>script text</p>";</script>
<style>p { color: red; }</style>
</head>
<body>
<header><a href="/"><h1>Example News</h1></a></header>
<nav><ul><li>Home</li><li>World</li></ul></nav>
<main>
<article>
  <h1>Volcano erupts on remote island</h1>
  <p class="byline">By a staff reporter</p>
  <div class="share-tools"><p>Share this story</p></div>
  <p>A volcano on a remote Pacific island erupted before dawn on Sunday,
     sending ash 10&nbsp;km into the sky &amp; forcing flights to turn back.</p>
  <figure><img src="ash.jpg"><figcaption>Ash over the island. Photo: Agency</figcaption></figure>
  <p class="image-caption">The crater at night</p>
  <p>Residents said the &ldquo;rumbling&rdquo; began on Saturday &#8211; and grew louder.
  <p>No injuries were reported, officials at the caf&eacute; said.</p>
  <div class="promo"><p>Click here to subscribe to our newsletter</p></div>
  <ul><li>Flights were cancelled.</li><li>Schools were closed.</li></ul>
  <script>track("read")</script>
</article>
<aside><p>Related: earlier eruptions</p></aside>
</main>
<footer><p>Copyright Example News</p></footer>
</body></html>
"""


def test_html_article_text_title_url_and_date(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "volcano.html", PAGE))
    assert article.title == "Volcano erupts on remote island"
    assert article.url == "https://example.org/volcano"
    assert article.date == dt.date(2024, 2, 11)
    assert article.paragraphs == (
        "A volcano on a remote Pacific island erupted before dawn on Sunday, sending ash "
        "10 km into the sky & forcing flights to turn back.",
        "Residents said the “rumbling” began on Saturday – and grew louder.",
        "No injuries were reported, officials at the café said.",
        "Flights were cancelled.",
        "Schools were closed.",
    )
    text = article.text
    for junk in ("Share", "Photo", "subscribe", "Related", "Copyright", "script", "Home"):
        assert junk not in text
    assert "staff reporter" not in text
    assert "crater" not in text


def test_html_title_falls_back_to_the_article_h1_not_the_site_logo() -> None:
    page = PAGE.replace('<meta property="og:title" content="Volcano erupts on remote island">', "")
    page = page.replace(
        "<h1>Volcano erupts on remote island</h1>", "<h1>Ash cloud grounds flights</h1>"
    )
    article = parse_article(page.encode(), source="page.html", kind="html")
    assert article.title == "Ash cloud grounds flights"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Volcano erupts on remote island - BBC News", "Volcano erupts on remote island"),
        ("Volcano erupts on remote island | Science | Site", "Volcano erupts on remote island"),
        ("Q&A: what the eruption means", "Q&A: what the eruption means"),
    ],
)
def test_html_title_tag_fallback_strips_the_site_name(title: str, expected: str) -> None:
    page = (
        f"<html><head><title>{title}</title></head><body>"
        "<p>Ash fell on three villages overnight, the island's governor said.</p>"
        "</body></html>"
    )
    article = parse_article(page.encode(), source="p.html", kind="html")
    assert article.title == expected


def test_html_without_article_uses_main_then_body_and_og_url_and_time() -> None:
    main_page = (
        '<html><head><meta property="og:url" content="https://example.org/og"></head><body>'
        '<div class="sidebar"><p>Outside the main column.</p></div>'
        '<div role="main"><p>Inside the main column there is a full sentence.</p>'
        "<ul><li>A list item in main.</li></ul>"
        '<p>Published <time datetime="2023-11-05">5 Nov</time> today.</p></div>'
        "</body></html>"
    )
    article = parse_article(main_page.encode(), source="m.html", kind="html")
    assert article.paragraphs == (
        "Inside the main column there is a full sentence.",
        "A list item in main.",
        "Published 5 Nov today.",
    )
    assert article.url == "https://example.org/og"
    assert article.date == dt.date(2023, 11, 5)

    body_page = (
        "<html><body><div><p>First paragraph of a plain page, with no markup to speak of.</p>"
        "<ul><li>Menu entry</li></ul><p>Second paragraph.</p></div></body></html>"
    )
    article = parse_article(body_page.encode(), source="b.html", kind="html")
    assert article.paragraphs == (
        "First paragraph of a plain page, with no markup to speak of.",
        "Second paragraph.",
    )
    assert article.title == ""
    assert article.label == "First paragraph of a plain page, with no markup to speak of"


def test_html_boilerplate_classes_match_words_not_fragments() -> None:
    page = (
        "<html><body><article>"
        '<div class="lead-story"><p>The lead paragraph stays in the story.</p></div>'
        '<div class="ad-slot"><p>Buy a new car today.</p></div>'
        '<div id="comments"><p>First!</p></div>'
        '<div class="breadcrumb"><p>Home / World</p></div>'
        '<div class="newsletter-signup"><p>Sign up now.</p></div>'
        "<div hidden><p>Hidden text.</p></div>"
        '<div class="commentary"><p>An opinion paragraph stays too.</p></div>'
        "</article></body></html>"
    )
    article = parse_article(page.encode(), source="c.html", kind="html")
    assert article.paragraphs == (
        "The lead paragraph stays in the story.",
        "An opinion paragraph stays too.",
    )


def test_html_teaser_articles_do_not_hide_the_story() -> None:
    story = " ".join(["The harbour reopened after the storm."] * 10)
    page = (
        "<html><body><main>"
        f"<div class='story'><p>{story}</p><p>{story}</p></div>"
        "<article class='card'><p>A short teaser for another story.</p></article>"
        "</main></body></html>"
    )
    article = parse_article(page.encode(), source="t.html", kind="html")
    assert article.paragraphs[:2] == (story, story)


# --------------------------------------------------------------------------------------
# Folders, stdin, sniffing


def test_folder_is_read_in_name_order_skipping_hidden_and_other_files(tmp_path: Path) -> None:
    body = "\n\nThe story has enough words to be spoken aloud.\n"
    write(tmp_path, "b-second.md", "# Second" + body)
    write(tmp_path, "a-first.txt", "First" + body)
    write(tmp_path, "C-third.HTML", "<h1>Third</h1><p>The story has enough words to be spoken.</p>")
    write(tmp_path, "d-fourth.markdown", "# Fourth" + body)
    write(tmp_path, "e-fifth.htm", "<h1>Fifth</h1><p>The story has enough words to be spoken.</p>")
    write(tmp_path, ".hidden.txt", "Hidden" + body)
    write(tmp_path, "notes.docx", b"PK\x03\x04 not an article")
    write(tmp_path, "readme.rst", "Readme" + body)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "inner.txt", "Inner" + body)

    articles, warnings = load_collecting([str(tmp_path)])
    assert [a.title for a in articles] == ["First", "Second", "Third", "Fourth", "Fifth"]
    assert [Path(a.source).name for a in articles] == [
        "a-first.txt",
        "b-second.md",
        "C-third.HTML",
        "d-fourth.markdown",
        "e-fifth.htm",
    ]
    assert warnings == []


def test_sources_keep_their_order_and_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    body = "\n\nThe story has enough words to be spoken aloud.\n"
    one = write(tmp_path, "one.txt", "One" + body)
    two = write(tmp_path, "two.txt", "Two" + body)
    articles = load_articles([str(two), str(one), str(tmp_path)])
    assert [a.title for a in articles] == ["Two", "One"]


@pytest.mark.parametrize(
    ("data", "title"),
    [
        (b"Plain headline\n\nA plain text story arrives through the pipe.\n", "Plain headline"),
        (
            b"Some intro\n\n# Markdown headline\n\nA *story* arrives through the pipe.\n",
            "Markdown headline",
        ),
        (
            b"---\ntitle: Front matter headline\n---\nA story arrives through the pipe.\n",
            "Front matter headline",
        ),
        (
            b"<html><head><title>HTML headline | Site</title></head><body>"
            b"<p>A story arrives through the pipe.</p></body></html>",
            "HTML headline",
        ),
        (
            b"  <p>A story arrives through the pipe, as a bare fragment.</p>",
            "",  # no headline: chapters show the label cut from the lead
        ),
    ],
)
def test_stdin_is_sniffed(data: bytes, title: str) -> None:
    articles = load_articles(["-"], stdin=io.BytesIO(data))
    assert len(articles) == 1
    assert articles[0].source == "-"
    assert articles[0].title == title
    assert articles[0].label == title or "A story arrives through the pipe, as a bare fragment"
    assert "pipe" in articles[0].text
    assert "<" not in articles[0].text and "*" not in articles[0].text


def test_sniff_kind() -> None:
    assert sniff_kind("<!DOCTYPE html><html></html>") == "html"
    assert sniff_kind("Intro line\n<p>para</p>") == "html"
    assert sniff_kind("## Heading\n\ntext") == "md"
    assert sniff_kind("#hashtag is not a heading\n\ntext") == "txt"
    assert sniff_kind("Just words.") == "txt"


def test_empty_stdin_is_reported_with_its_name() -> None:
    warnings: list[str] = []
    with pytest.raises(InputError) as caught:
        load_articles(["-"], stdin=io.BytesIO(b""), warn=warnings.append)
    assert warnings == ["-: skipped: the file is empty"]
    assert str(caught.value) == "no usable articles in -: add .txt, .md or .html files"


def test_unknown_extension_named_directly_is_sniffed(tmp_path: Path) -> None:
    path = write(tmp_path, "story.page", "<p>An HTML page saved with an odd extension.</p>")
    article = read_article(path)
    assert article.paragraphs == ("An HTML page saved with an odd extension.",)


# --------------------------------------------------------------------------------------
# Encodings


def test_windows_1252_text_with_curly_quotes_and_accents(tmp_path: Path) -> None:
    text = (
        "Café owners “delighted”\r\n\r\nThe café’s owner said sales rose – by 10%… in a week.\r\n"
    )
    path = write(tmp_path, "cafe.txt", text.encode("cp1252"))
    article = read_article(path)
    assert article.title == "Café owners “delighted”"
    assert article.paragraphs == ("The café’s owner said sales rose – by 10%… in a week.",)


def test_latin_1_text_including_bytes_windows_1252_leaves_undefined(tmp_path: Path) -> None:
    text = "Zürich señor façade\n\nThe señor in Zürich restored the old façade this year."
    data = text.encode("latin-1") + b" \x81\x9d"  # bytes Windows-1252 cannot map
    article = read_article(write(tmp_path, "latin.txt", data))
    assert article.title == "Zürich señor façade"
    assert article.paragraphs == ("The señor in Zürich restored the old façade this year.",)


def test_utf8_with_bom_and_utf16_with_bom(tmp_path: Path) -> None:
    text = "Naïve headline\n\nThe jury’s verdict surprised nobody in the courtroom.\n"
    bom = read_article(write(tmp_path, "bom.txt", "\ufeff".encode() + text.encode()))
    assert bom.title == "Naïve headline"
    utf16 = read_article(write(tmp_path, "u16.txt", text.encode("utf-16")))
    assert utf16.title == "Naïve headline"
    assert (
        utf16.paragraphs
        == bom.paragraphs
        == ("The jury’s verdict surprised nobody in the courtroom.",)
    )


def test_html_declared_charset_is_used_when_not_utf8() -> None:
    page = '<meta charset="koi8-r"><p>Новости дня: мост открыт снова сегодня.</p>'
    article = parse_article(page.encode("koi8-r"), source="ru.html", kind="html")
    assert article.paragraphs == ("Новости дня: мост открыт снова сегодня.",)


# --------------------------------------------------------------------------------------
# Unusable files


GOOD = "Good story\n\nThis article has plenty of words to make a story.\n"


def test_binary_file_named_txt_is_skipped_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "a-good.txt", GOOD)
    image = write(tmp_path, "b-photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    binary = write(tmp_path, "c-blob.txt", b"\x01\x02" + bytes(64))
    articles, warnings = load_collecting([str(tmp_path)])
    assert [a.title for a in articles] == ["Good story"]
    assert warnings == [
        f"{image}: skipped: a PNG image, not an article",
        f"{binary}: skipped: looks like a binary file, not text",
    ]


# A PDF with nothing but text in it: no NUL byte gives it away, and read as text it would be
# spoken ("percent P D F one point four …").
TEXT_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n"
    b"4 0 obj\n<< /Length 60 >>\nstream\nBT /F1 12 Tf 72 712 Td (The council met on Monday "
    b"to vote.) Tj ET\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("minutes.pdf", TEXT_PDF, "a PDF document"),
        ("minutes.txt", TEXT_PDF, "a PDF document"),  # the extension does not make it text
        ("report.docx", b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml" * 4, "a ZIP archive"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32), "a JPEG image"),
        ("clip.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(32), "an MP3 audio file"),
        ("blob.bin", b"\x01\x02\x00\x00" + bytes(64), "looks like a binary file"),
    ],
)
def test_a_file_named_directly_that_is_not_an_article_is_an_error(
    tmp_path: Path, name: str, data: bytes, what: str
) -> None:
    good = write(tmp_path, "good.txt", GOOD)
    path = write(tmp_path, name, data)
    warnings: list[str] = []
    with pytest.raises(InputError) as caught:
        load_articles([str(good), str(path)], warn=warnings.append)
    message = str(caught.value)
    assert message.startswith(f"{path}: {what}")
    assert message.endswith(
        ", not text: " + ACCEPTED if "binary" in what else ", not an article: " + ACCEPTED
    )
    assert "\n" not in message and warnings == []
    assert ACCEPTED == (
        "spacecast reads text, Markdown and HTML files (.txt, .md, .html), folders of them, "
        "http(s) URLs of web pages, and - for stdin"
    )


def test_a_pdf_on_stdin_is_an_error_too() -> None:
    with pytest.raises(InputError) as caught:
        load_articles(["-"], stdin=io.BytesIO(TEXT_PDF))
    assert str(caught.value) == f"-: a PDF document, not an article: {ACCEPTED}"


def test_text_that_merely_starts_like_a_file_signature_is_still_text(tmp_path: Path) -> None:
    path = write(tmp_path, "tags.txt", "ID3 tags explained\n\nMusic players read ID3 tags to "
                 "show the title and the artist of each song.\n")  # fmt: skip
    assert read_article(path).title == "ID3 tags explained"


def test_a_url_is_read_by_the_fetcher_given_in_order(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", GOOD)
    page = Article("https://news.example/a", "From the web", ("A page read from the web.",))
    asked: list[str] = []

    def fetch(url: str) -> Article:
        asked.append(url)
        return page

    articles = load_articles(["https://news.example/a", str(good)], fetch_url=fetch)
    assert [a.title for a in articles] == ["From the web", "Good story"]
    assert asked == ["https://news.example/a"]
    with pytest.raises(InputError) as caught:
        load_articles(["https://news.example/a"])
    assert str(caught.value) == (
        f"https://news.example/a: web addresses cannot be read here: {ACCEPTED}"
    )


def test_control_characters_without_nul_bytes_look_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "blob.txt", bytes(range(1, 32)) * 40 + b"some words")
    with pytest.raises(UnusableArticleError, match="looks like a binary file, not text"):
        read_article(path)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.md", b"  \n\t\r\n  ", "the file is empty"),
        ("word.txt", b"Hello\n", "too short to make a story (1 word)"),
        ("few.md", b"# Title\n\nToo few words.\n", "too short to make a story (3 words)"),
        (
            "shell.html",
            b"<html><head><title>Home | Site</title></head><body><nav><p>Menu</p></nav>"
            b"<div>Loading...</div></body></html>",
            "no article text found in the HTML page",
        ),
    ],
)
def test_unusable_file_in_a_batch_is_skipped_with_a_warning(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    good = write(tmp_path, "good.txt", GOOD)
    bad = write(tmp_path, name, content)
    articles, warnings = load_collecting([str(bad), str(good)])
    assert [a.source for a in articles] == [str(good)]
    assert warnings == [f"{bad}: skipped: {reason}"]


def test_folder_with_nothing_usable_raises_the_exact_message(tmp_path: Path) -> None:
    folder = tmp_path / "seeds"
    folder.mkdir()
    write(folder, "a.txt", b"")
    write(folder, "b.html", b"<html><body><footer><p>Only a footer</p></footer></body></html>")
    warnings: list[str] = []
    with pytest.raises(InputError) as caught:
        load_articles([f"{folder}/"], warn=warnings.append)
    assert str(caught.value) == f"no usable articles in {folder}/: add .txt, .md or .html files"
    assert warnings == [
        f"{folder}/a.txt: skipped: the file is empty",
        f"{folder}/b.html: skipped: no article text found in the HTML page",
    ]


def test_empty_folder_warns_then_raises(tmp_path: Path) -> None:
    warnings: list[str] = []
    with pytest.raises(InputError, match="no usable articles in"):
        load_articles([str(tmp_path)], warn=warnings.append)
    assert warnings == [f"{tmp_path}: skipped: no .txt, .md or .html files in this folder"]


def test_single_unusable_file_warns_then_raises(tmp_path: Path) -> None:
    path = write(tmp_path, "one.txt", "Hello")
    warnings: list[str] = []
    with pytest.raises(InputError) as caught:
        load_articles([str(path)], warn=warnings.append)
    assert warnings == [f"{path}: skipped: too short to make a story (1 word)"]
    assert str(caught.value) == f"no usable articles in {path}: add .txt, .md or .html files"


def test_missing_path_is_fatal_with_the_exact_message(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", GOOD)
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(InputError) as caught:
        load_articles([str(good), missing])
    assert str(caught.value) == f"{missing}: no such file or directory"
    with pytest.raises(InputError) as caught:
        read_article(Path(missing))
    assert str(caught.value) == f"{missing}: no such file or directory"


def test_no_sources_and_unknown_kind() -> None:
    with pytest.raises(InputError, match="no articles given"):
        load_articles([])
    with pytest.raises(ValueError, match="unknown article kind"):
        parse_article(b"text", source="x", kind="pdf")


# --------------------------------------------------------------------------------------
# Size


@pytest.mark.slow
def test_five_megabyte_article_loads(tmp_path: Path) -> None:
    paragraph = (
        "Exports rose for the third month in a row, helped by strong demand for machinery, "
        "while imports of fuel fell as prices eased across the region.\n"
    )
    chunk = paragraph * 3 + "\n"
    count = 5 * 1024 * 1024 // len(chunk) + 1
    data = ("Trade figures\n\n" + chunk * count).encode()
    assert len(data) > 5 * 1024 * 1024
    path = write(tmp_path, "big.txt", data)
    (article,) = load_articles([str(path)])
    assert article.title == "Trade figures"
    assert len(article.paragraphs) == count
    assert article.paragraphs[-1] == " ".join([paragraph.strip()] * 3)


# --------------------------------------------------------------------------------------
# The sample articles shipped in seeds/

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="no seeds folder")
def test_seed_articles_load_cleanly() -> None:
    articles, warnings = load_collecting([str(SEEDS)])
    assert warnings == []
    by_name = {Path(a.source).name: a for a in articles}
    kairos = by_name["01-kairos-launch-failure.md"]
    assert kairos.url == "https://example.com/spacecast/kairos"
    assert kairos.date == dt.date(2024, 3, 13)
    assert "02-markets-and-money.txt" in by_name
    page = by_name["03-antarctic-sea-ice-record-low.html"]
    for junk in ("subscribe", "Share on", "Photo:", "cookies", "Comments", "Related", "©"):
        assert junk not in page.text
    for article in by_name.values():
        assert 250 <= len(article.text.split()) <= 450, article.source
        assert "*" not in article.text and "](" not in article.text and "<" not in article.text
