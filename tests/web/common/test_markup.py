from offlabel.web.common.markup import render_markdown


def test_markdown_renders_emphasis_links_and_tables():
    html = render_markdown(
        "**bold** [site](https://example.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert "<table>" in html


def test_hostile_markdown_is_rendered_inert(assert_inert):
    hostile = (
        "<script>alert(1)</script>\n\n<iframe src='https://evil.example'></iframe>\n\n"
        "<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) [data](data:text/html,hi)\n\n"
        '<a href="https://ok.example" onclick="steal()">x</a>'
    )
    html = render_markdown(hostile)
    assert_inert(html)
    assert (
        '&lt;a href="https://ok.example"' in html
    )  # raw HTML is shown as text, never passed through
