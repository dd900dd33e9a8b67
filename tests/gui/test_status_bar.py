"""The status bar: a message longer than the room beside the counts and the layer ends in
"…" before them and is whole in the tooltip; the timeout still clears it."""

from __future__ import annotations

from annotator.gui.status_bar import GAP


def test_a_long_message_is_elided_before_the_permanent_widgets(window, qtbot):
    window.resize(1000, 600)
    bar = window.statusBar()
    label = bar._label
    qtbot.waitUntil(lambda: label.contentsRect().width() < 900)
    room = label.contentsRect().width()
    words = []
    while label.fontMetrics().horizontalAdvance(" · ".join(words)) < room + 100:
        words.append(f"key {len(words)} does a thing")
    text = " · ".join(words)
    with qtbot.waitSignal(bar.messageChanged) as changed:
        bar.showMessage(text, 1500)
    assert changed.args == [text]
    assert bar.currentMessage() == text
    assert label.text().endswith("…") and text.startswith(label.text()[:-1])
    assert label.toolTip() == text
    used = label.fontMetrics().horizontalAdvance(label.text())
    count_left = window.count_label.mapTo(bar, window.count_label.rect().topLeft()).x()
    assert label.mapTo(bar, label.rect().topLeft()).x() + used <= count_left - GAP + 1
    # Wider, the message is shown whole again, without a tooltip.
    window.resize(1000 + 400, 600)
    qtbot.waitUntil(lambda: label.text() == text)
    assert label.toolTip() == ""
    with qtbot.waitSignal(bar.messageChanged, timeout=5000) as cleared:
        pass
    assert cleared.args == [""] and bar.currentMessage() == "" and label.text() == ""


def test_the_window_messages_go_through_it(window, qtbot):
    qtbot.keyClick(window.view, "1")  # a tag key with nothing selected says what to do
    assert "Select some text first" in window.statusBar().currentMessage()
    assert "Select some text first" in window.statusBar()._label.full
