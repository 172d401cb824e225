"""Search over the saved chats: words through the unicode61 index, and text written without spaces between words
(Chinese, Japanese, Korean, Thai, emoji) by substring.

unicode61 takes a run of Chinese characters for one word, so 北京 is not found in 我住在北京. A query with any such
character matches each of its terms as a substring, case-insensitively: terms of three characters or more through
the trigram index (schema.py), shorter ones (北京, 東京, an emoji) by scanning the messages. A query without one is
the word search it always was: its terms ANDed, the last a prefix, diacritics folded."""

from __future__ import annotations

import re
import sqlite3
import unicodedata

from desktop.core.conversations.export import SearchHit

HIGHLIGHT = ("**", "**")  # around search matches in snippets; the chat view renders Markdown
SNIPPET_TOKENS = 16  # words in a word search's snippet
SNIPPET_COLUMNS = 90  # a substring search's snippet, in columns (about 16 English words, 45 Chinese characters)
SNIPPET_LEAD = 24  # columns shown before the first match

# Scripts written without spaces between words, and emoji: every range is beyond ASCII, which the trigram index
# relies on (it holds only messages with a character beyond ASCII). Changing this list needs no migration.
_UNSEGMENTED = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x2300, 0x23FF),  # Miscellaneous Technical (⌚, ⏰)
    (0x2600, 0x27BF),  # Miscellaneous Symbols, Dingbats (☀, ✅, ❤)
    (0x2B00, 0x2BFF),  # Miscellaneous Symbols and Arrows (⭐)
    (0x2E80, 0x9FFF),  # CJK radicals, punctuation, kana, bopomofo, Hangul compatibility jamo, ideographs
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo Extended-B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
    (0x1F000, 0x1FAFF),  # emoji and pictographs
    (0x20000, 0x3FFFF),  # CJK ideographs, extensions B and later
)
_UNSEGMENTED_CLASS = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _UNSEGMENTED)
_HAS_UNSEGMENTED = re.compile(f"[{_UNSEGMENTED_CLASS}]")
_TRIGRAM_MIN = 3  # the trigram index finds no shorter substring


def _terms(text: str) -> list[str]:
    """The words of a query: whitespace-separated (an ideographic space too), with a letter, digit or emoji."""
    return [w for w in text.split() if any(ch.isalnum() or _emoji_like(ch) for ch in w)]


def _emoji_like(ch: str) -> bool:
    """An emoji or another symbol of _UNSEGMENTED, not its punctuation (。, 「)."""
    return _HAS_UNSEGMENTED.match(ch) is not None and unicodedata.category(ch)[0] not in "PZ"


def _fts_query(words: list[str]) -> str:
    """Every word quoted (so quotes, AND, *, ( are plain text) and ANDed; the last word may be a prefix."""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    return " ".join(quoted) + "*" if quoted else ""


def _substring(word: str) -> str:
    """A term of a substring search: punctuation around it (北京。, 「東京」) is not looked for."""
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(word[end - 1]).startswith("P"):
        end -= 1
    return word[start:end] or word


def search(db: sqlite3.Connection, query: str, limit: int, trigram: bool) -> list[SearchHit]:
    """Hits in messages of conversations not deleted, newest first; any text is safe. `trigram`: the database has
    the substring index (schema.has_trigram)."""
    words = _terms(query)
    if not words:
        return []
    if not any(_HAS_UNSEGMENTED.search(w) for w in words):
        return _word_search(db, _fts_query(words), limit)
    return _substring_search(db, list(dict.fromkeys(_substring(w) for w in words)), limit, trigram)


def _word_search(db: sqlite3.Connection, match: str, limit: int) -> list[SearchHit]:
    # The inner query picks the newest hits; snippets are made for those alone (half the time for common words).
    rows = db.execute(f"""
        SELECT m.conversation_id, m.id, c.title, m.created_at,
            snippet(messages_fts, 0, ?, ?, '…', {SNIPPET_TOKENS})
        FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
        JOIN conversations c ON c.id = m.conversation_id
        WHERE messages_fts MATCH ? AND messages_fts.rowid IN (
            SELECT hit.id FROM messages_fts f JOIN messages hit ON hit.id = f.rowid
            JOIN conversations hc ON hc.id = hit.conversation_id
            WHERE f.messages_fts MATCH ? AND hc.deleted_at IS NULL
            ORDER BY hit.created_at DESC, hit.id DESC LIMIT ?)
        ORDER BY m.created_at DESC, m.id DESC""", (*HIGHLIGHT, match, match, limit))
    return [SearchHit(conversation_id=r[0], message_id=r[1], title=r[2], snippet=r[4], created_at=r[3])
            for r in rows]


def _substring_search(db: sqlite3.Connection, terms: list[str], limit: int, trigram: bool) -> list[SearchHit]:
    """Every term a substring of the message. The query holds a character of _UNSEGMENTED, so every message that
    matches has one beyond ASCII and is in the trigram index."""
    where, params = ["c.deleted_at IS NULL"], []
    indexed = [t for t in terms if trigram and len(t) >= _TRIGRAM_MIN]
    if indexed:
        where.append("m.id IN (SELECT rowid FROM messages_trigram WHERE messages_trigram MATCH ?)")
        params.append(" ".join('"' + t.replace('"', '""') + '"' for t in indexed))
    elif trigram:  # only short terms: scan the messages the index holds (its docsize shadow table lists them)
        where.append("m.id IN (SELECT id FROM messages_trigram_docsize)")
    for term in terms:
        if term in indexed:
            continue
        if term.lower() == term.upper():  # nothing to fold (Chinese, Japanese, emoji): a plain byte search
            where.append("instr(m.content, ?) > 0")
            params.append(term)
        else:  # LIKE folds ASCII letters, as in GPT模型
            where.append("m.content LIKE ? ESCAPE '\\'")
            params.append("%" + re.sub(r"([\\%_])", r"\\\1", term) + "%")
    # The inner query picks the newest hits; only their text is read again, for snippets.
    rows = db.execute(f"""
        SELECT m.conversation_id, m.id, c.title, m.created_at, m.content
        FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.id IN (
            SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE {" AND ".join(where)}
            ORDER BY m.created_at DESC, m.id DESC LIMIT ?)
        ORDER BY m.created_at DESC, m.id DESC""", (*params, limit))
    found = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    return [SearchHit(conversation_id=r[0], message_id=r[1], title=r[2], snippet=snippet(r[4], found),
                      created_at=r[3]) for r in rows]


def snippet(content: str, found: re.Pattern[str]) -> str:
    """About SNIPPET_COLUMNS columns of content from a little before its first match, every match marked with
    HIGHLIGHT and '…' where text was left out, as FTS5's snippet() does for a word search."""
    first = found.search(content)
    start = 0 if first is None else _columns_back(content, first.start(), SNIPPET_LEAD)
    end = max(_columns_on(content, start, SNIPPET_COLUMNS), first.end() if first else 0)
    if start > 0:  # begin at a word where there are spaces between words
        space = content.find(" ", start, start + SNIPPET_LEAD)
        if space != -1 and (first is None or space < first.start()):
            start = space + 1
    if end < len(content):
        space = content.rfind(" ", max(end - SNIPPET_LEAD, first.end() if first else 0), end)
        if space > start:
            end = space
    marked = found.sub(lambda m: f"{HIGHLIGHT[0]}{m.group(0)}{HIGHLIGHT[1]}", content[start:end])
    return ("…" if start > 0 else "") + marked + ("…" if end < len(content) else "")


def _width(ch: str) -> int:
    """Columns on screen: a Chinese character or an emoji is about two letters wide."""
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _columns_back(text: str, index: int, columns: int) -> int:
    while index > 0 and columns > 0:
        index -= 1
        columns -= _width(text[index])
    return index


def _columns_on(text: str, index: int, columns: int) -> int:
    while index < len(text) and columns > 0:
        columns -= _width(text[index])
        index += 1
    return index
