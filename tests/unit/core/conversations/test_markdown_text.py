from desktop.core.conversations.markdown_text import with_line_breaks


def test_single_line_breaks_become_hard_breaks() -> None:
    assert with_line_breaks("line one\nline two") == "line one  \nline two"
    assert with_line_breaks("a\n\nb") == "a\n\nb"  # paragraphs stay paragraphs


def test_code_fences_and_tables_are_left_alone() -> None:
    text = "Here:\n```python\ndef f():\n    return 1\n```\nafter\nend"
    assert with_line_breaks(text) == "Here:\n```python\ndef f():\n    return 1\n```\nafter  \nend"
    table = "| a | b |\n|---|---|\n| 1 | 2 |"
    assert with_line_breaks(table) == table
