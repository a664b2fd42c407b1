// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QAbstractScrollArea>
#include <QPointer>

#include "models/logfilter.h"
#include "models/logsearch.h"

class QToolButton;

namespace pf::ui {

// A job's log, drawn straight from a LogFilter's rows: only the lines on
// screen are laid out, so ten million lines scroll like ten. Each line has a
// node-rank badge ("PF" for the platform's lines), an optional timestamp,
// its stream's colour (stderr red, platform lines dim) and the ANSI colours
// and weights it was written with; matches of a LogSearch are highlighted.
//
// The vertical scroll bar counts rows; with wrapping on, a row may take
// several screen lines. Following (the default) keeps the newest line in
// view as lines arrive, until the user scrolls up; "Jump to latest" brings
// it back. Rows are selected whole (click, shift-click, drag, Ctrl+A) and
// copied as plain text (Ctrl+C). Ctrl+= / Ctrl+- / Ctrl+0 size the font.
//
// The buffer's pending lines (a progress bar being redrawn, see LogBuffer)
// that pass the filter are drawn after the filter's last row, in the same
// style, and count as rows for scrolling, so following keeps them in view.
// They are not lines yet: they cannot be selected, copied or searched.
// objectName "logView".
class LogView final : public QAbstractScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogView)

public:
    explicit LogView(QWidget *parent = nullptr);
    ~LogView() override;

    void setFilter(models::LogFilter *filter);
    void setSearch(models::LogSearch *search);

    void setShowTimestamps(bool show);
    bool showsTimestamps() const { return m_timestamps; }
    void setWrap(bool wrap);
    bool wraps() const { return m_wrap; }
    void setFontPointSize(qreal points);
    qreal fontPointSize() const;

    bool isFollowing() const { return m_following; }
    void setFollowing(bool follow);

    // Puts `row` at the top (clamped so the view stays full).
    void scrollToRow(qsizetype row);
    // Scrolls so that `match` is in view and marks it current.
    void showMatch(const models::LogMatch &match);
    qsizetype firstVisibleRow() const;
    // Rows wholly or partly on screen (pending lines included).
    qsizetype visibleRowCount() const;
    // The pending lines shown after the filter's rows.
    const QList<models::PendingLine> &pendingLines() const { return m_pending; }

    void selectRows(qsizetype first, qsizetype last);
    std::pair<qsizetype, qsizetype> selectedRows() const; // {-1, -1}: none
    // The selected rows' text, one per line (without badges or times).
    QString selectedText() const;
    void copy() const;

Q_SIGNALS:
    void followingChanged(bool following);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Layout; // logview.cpp
    void rowsAppended();
    void rowsReset();
    void pendingChanged();
    void refreshPending();
    // The filter's rows, then the pending lines shown.
    qsizetype rowCount() const;
    // 0 <= row < rowCount(); a pending line's points into m_pending.
    models::LogLine rowLine(qsizetype row) const;
    void updateScrollBars();
    qsizetype bottomTopRow() const;
    int rowHeight(qsizetype row) const;
    int gutterWidth() const;
    qsizetype rowAt(int y) const;
    void placeJumpButton();

    QPointer<models::LogFilter> m_filter;
    QPointer<models::LogBuffer> m_buffer; // the filter's, for its pendingChanged()
    QList<models::PendingLine> m_pending; // the buffer's that the filter passes
    QPointer<models::LogSearch> m_search;
    QToolButton *m_jump;
    bool m_timestamps = false;
    bool m_wrap = false;
    bool m_following = true;
    bool m_settingScroll = false;
    int m_widestLine = 0;
    qsizetype m_anchor = -1;
    qsizetype m_cursor = -1;
    models::LogMatch m_current{-1, 0, 0};
};

} // namespace pf::ui
