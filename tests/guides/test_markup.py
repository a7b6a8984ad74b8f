from guides import markup


def test_chinese_heading_keeps_a_readable_anchor():
    rendered = markup.render("## 打印机无法连接\n\n正文")
    assert rendered.sections[0].anchor == "打印机无法连接"
    assert 'id="打印机无法连接"' in rendered.html


def test_explicit_ascii_anchor_wins_over_the_heading_text():
    rendered = markup.render("## 检查网络连接 {#check-network}\n\n正文")
    assert rendered.sections[0].anchor == "check-network"
    assert rendered.sections[0].title == "检查网络连接"


def test_every_heading_gets_a_copy_link_to_itself():
    rendered = markup.render("## 症状 {#symptoms}\n\n### 问题 {#faq-one}\n")
    assert 'href="#symptoms"' in rendered.html
    assert 'aria-label="复制本节链接：问题"' in rendered.html
    assert rendered.html.count("data-copy-link") == 2


def test_section_text_runs_up_to_the_next_heading():
    rendered = markup.render("## 一 {#one}\n\n甲\n\n1. 乙\n\n## 二 {#two}\n\n丙")
    assert [(s.anchor, s.text) for s in rendered.sections] == [("one", "甲 乙"), ("two", "丙")]


def test_raw_html_is_shown_as_text_not_rendered():
    rendered = markup.render('<script>alert(1)</script>\n\n文字 <img src=x onerror="x()">')
    assert "<script>" not in rendered.html
    assert "<img" not in rendered.html
    assert "&lt;script&gt;" in rendered.html


def test_tables_and_admonitions_render():
    text = '!!! warning "会清除数据"\n    先备份。\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n'
    html = markup.render(text).html
    assert '<div class="admonition warning">' in html
    assert "<table>" in html and "<td>1</td>" in html


def test_nothing_of_one_guide_leaks_into_the_next():
    # The converter is reused between documents: link references, heading ids, stashed HTML
    # and sections must start afresh each time.
    first = markup.render(
        "## 症状 {#symptoms}\n\n见[说明][ref]。<b>x</b>\n\n"
        "[ref]: https://example.com/a\n\n## 症状\n"
    )
    second = markup.render("## 症状 {#symptoms}\n\n见[说明][ref]。\n\n## 症状\n")
    assert 'href="https://example.com/a"' in first.html
    assert "example.com" not in second.html and "[说明][ref]" in second.html
    assert [s.anchor for s in first.sections] == [s.anchor for s in second.sections]
    assert second.sections[0].anchor == "symptoms"
    assert "&lt;b&gt;" in first.html and "&lt;b&gt;" not in second.html
    assert markup.render("没有标题的一段话。").sections == ()
    assert markup.render("## 症状 {#symptoms}\n\n见[说明][ref]。\n\n## 症状\n") == second
