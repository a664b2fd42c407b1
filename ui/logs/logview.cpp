// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "logview.h"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextLayout>
#include <QToolButton>

#include "models/ansi.h"
#include "ui/theme.h"

namespace pf::ui {

namespace {

constexpr int kPadding = 6;
constexpr qreal kMinPoints = 6;
constexpr qreal kMaxPoints = 40;
constexpr int kNoWrapWidth = 1 << 20;

QColor rankColor(int rank)
{
    if (rank == models::kPlatformRank)
        return QColor(0x80, 0x80, 0x80);
    // Well apart on the colour wheel for neighbouring ranks.
    return QColor::fromHsv((rank * 137) % 360, 150, isDark() ? 200 : 170);
}

QString badgeText(int rank)
{
    return rank == models::kPlatformRank ? QStringLiteral("PF") : QString::number(rank);
}

} // namespace

// One row laid out for painting (or measuring, when wrapping).
struct LogView::Layout
{
    QTextLayout text;
    int height = 0;
};

LogView::LogView(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_jump(new QToolButton(viewport()))
{
    setObjectName(QStringLiteral("logView"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(mono);
    viewport()->setFont(mono);
    viewport()->setCursor(Qt::IBeamCursor);
    setFocusPolicy(Qt::StrongFocus);
    verticalScrollBar()->setSingleStep(1);
    horizontalScrollBar()->setSingleStep(20);
    m_jump->setObjectName(QStringLiteral("jumpToLatest"));
    m_jump->setText(tr("↓ Jump to latest"));
    m_jump->setToolTip(tr("Follow the newest lines again (End)"));
    m_jump->hide();
    connect(m_jump, &QToolButton::clicked, this, [this] { setFollowing(true); });
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (m_settingScroll)
            return;
        // Scrolling up stops following; reaching the end again resumes it.
        const bool atEnd = value >= verticalScrollBar()->maximum();
        if (atEnd != m_following) {
            m_following = atEnd;
            m_jump->setVisible(!m_following);
            Q_EMIT followingChanged(m_following);
        }
    });
}

LogView::~LogView() = default;

void LogView::setFilter(models::LogFilter *filter)
{
    if (m_filter)
        disconnect(m_filter, nullptr, this, nullptr);
    if (m_buffer)
        disconnect(m_buffer, nullptr, this, nullptr);
    m_filter = filter;
    m_buffer = filter ? filter->buffer() : nullptr;
    if (filter) {
        connect(filter, &models::LogFilter::rowsAppended, this, &LogView::rowsAppended);
        connect(filter, &models::LogFilter::rowsReset, this, &LogView::rowsReset);
        connect(m_buffer, &models::LogBuffer::pendingChanged, this, &LogView::pendingChanged);
    }
    rowsReset();
}

void LogView::setSearch(models::LogSearch *search)
{
    if (m_search)
        disconnect(m_search, nullptr, this, nullptr);
    m_search = search;
    if (search) {
        const auto repaint = [this] { viewport()->update(); };
        connect(search, &models::LogSearch::matchesAdded, this, repaint);
        connect(search, &models::LogSearch::reset, this, repaint);
    }
    viewport()->update();
}

void LogView::setShowTimestamps(bool show)
{
    m_timestamps = show;
    updateScrollBars();
    viewport()->update();
}

void LogView::setWrap(bool wrap)
{
    m_wrap = wrap;
    m_widestLine = 0;
    updateScrollBars();
    if (m_following)
        setFollowing(true);
    viewport()->update();
}

void LogView::setFontPointSize(qreal points)
{
    QFont f = font();
    f.setPointSizeF(std::clamp(points, kMinPoints, kMaxPoints));
    setFont(f);
    viewport()->setFont(f);
    m_widestLine = 0;
    updateScrollBars();
    viewport()->update();
}

qreal LogView::fontPointSize() const
{
    return font().pointSizeF();
}

void LogView::setFollowing(bool follow)
{
    const bool changed = follow != m_following;
    m_following = follow;
    m_jump->setVisible(!follow);
    if (follow) {
        updateScrollBars();
        m_settingScroll = true;
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
        m_settingScroll = false;
        viewport()->update();
    }
    if (changed)
        Q_EMIT followingChanged(follow);
}

void LogView::rowsAppended()
{
    updateScrollBars();
    if (m_following) {
        m_settingScroll = true;
        verticalScrollBar()->setValue(verticalScrollBar()->maximum());
        m_settingScroll = false;
    }
    viewport()->update();
}

void LogView::rowsReset()
{
    m_anchor = m_cursor = -1;
    m_widestLine = 0;
    refreshPending(); // the filter's spec may have changed
    rowsAppended();
}

void LogView::pendingChanged()
{
    refreshPending();
    rowsAppended();
}

void LogView::refreshPending()
{
    m_pending.clear();
    if (!m_filter)
        return;
    const models::LogLineMatcher matcher(m_filter->spec());
    for (const models::PendingLine &line : m_filter->buffer()->pendingLines())
        if (matcher.accepts(line.rank, line.type))
            m_pending.append(line);
}

qsizetype LogView::rowCount() const
{
    return m_filter ? m_filter->rowCount() + m_pending.size() : 0;
}

models::LogLine LogView::rowLine(qsizetype row) const
{
    const qsizetype rows = m_filter->rowCount();
    return row < rows ? m_filter->rowLine(row) : m_pending.at(row - rows).line();
}

int LogView::gutterWidth() const
{
    const QFontMetrics fm(font());
    int width = kPadding + fm.horizontalAdvance(QStringLiteral("PF")) + 10 + kPadding;
    if (m_timestamps)
        width += fm.horizontalAdvance(QStringLiteral("00:00:00.000")) + kPadding;
    return width;
}

int LogView::rowHeight(qsizetype row) const
{
    const int line = QFontMetrics(font()).lineSpacing();
    if (!m_wrap || !m_filter)
        return line;
    const QString text = rowLine(row).text();
    const int width = std::max(40, viewport()->width() - gutterWidth() - kPadding);
    const int advance = QFontMetrics(font()).horizontalAdvance(text);
    if (advance <= width)
        return line;
    QTextLayout layout(text, font());
    layout.beginLayout();
    int lines = 0;
    for (QTextLine l = layout.createLine(); l.isValid(); l = layout.createLine()) {
        l.setLineWidth(width);
        ++lines;
    }
    layout.endLayout();
    return line * std::max(1, lines);
}

// The top row that shows the last row at the bottom.
qsizetype LogView::bottomTopRow() const
{
    const qsizetype rows = rowCount();
    if (rows == 0)
        return 0;
    if (!m_wrap)
        return std::max<qsizetype>(0, rows - viewport()->height() /
                                                 QFontMetrics(font()).lineSpacing());
    int left = viewport()->height();
    qsizetype row = rows - 1;
    while (row > 0) {
        left -= rowHeight(row);
        if (left - rowHeight(row - 1) < 0)
            break;
        --row;
    }
    return row;
}

void LogView::updateScrollBars()
{
    const int line = QFontMetrics(font()).lineSpacing();
    m_settingScroll = true;
    verticalScrollBar()->setRange(0, int(std::min<qsizetype>(bottomTopRow(), INT_MAX)));
    verticalScrollBar()->setPageStep(std::max(1, viewport()->height() / line));
    if (m_wrap) {
        horizontalScrollBar()->setRange(0, 0);
    } else {
        const int textWidth = viewport()->width() - gutterWidth();
        horizontalScrollBar()->setRange(0, std::max(0, m_widestLine + kPadding - textWidth));
        horizontalScrollBar()->setPageStep(std::max(1, textWidth));
    }
    m_settingScroll = false;
}

qsizetype LogView::firstVisibleRow() const
{
    return verticalScrollBar()->value();
}

qsizetype LogView::visibleRowCount() const
{
    const qsizetype rows = rowCount();
    qsizetype row = firstVisibleRow();
    int y = 0;
    qsizetype n = 0;
    while (row < rows && y < viewport()->height()) {
        y += rowHeight(row++);
        ++n;
    }
    return n;
}

void LogView::scrollToRow(qsizetype row)
{
    if (row < verticalScrollBar()->maximum())
        setFollowing(false);
    verticalScrollBar()->setValue(int(std::min<qsizetype>(row, INT_MAX)));
    viewport()->update();
}

void LogView::showMatch(const models::LogMatch &match)
{
    m_current = match;
    if (!m_filter)
        return;
    const qsizetype row = m_filter->rowOfLine(match.line);
    const qsizetype first = firstVisibleRow();
    if (row < first || row >= first + std::max<qsizetype>(1, visibleRowCount() - 1))
        scrollToRow(std::max<qsizetype>(0, row - visibleRowCount() / 3));
    if (!m_wrap) {
        // Bring the match's columns into view.
        const QFontMetrics fm(font());
        const QString text = m_filter->buffer()->line(match.line).text();
        const int x = fm.horizontalAdvance(text.left(match.start));
        const int textWidth = viewport()->width() - gutterWidth();
        if (x < horizontalScrollBar()->value() ||
            x > horizontalScrollBar()->value() + textWidth - 40) {
            m_widestLine = std::max(m_widestLine, fm.horizontalAdvance(text));
            updateScrollBars();
            horizontalScrollBar()->setValue(std::max(0, x - textWidth / 3));
        }
    }
    viewport()->update();
}

void LogView::selectRows(qsizetype first, qsizetype last)
{
    m_anchor = first;
    m_cursor = last;
    viewport()->update();
}

std::pair<qsizetype, qsizetype> LogView::selectedRows() const
{
    if (m_anchor < 0 || m_cursor < 0)
        return {-1, -1};
    return {std::min(m_anchor, m_cursor), std::max(m_anchor, m_cursor)};
}

QString LogView::selectedText() const
{
    const auto [first, last] = selectedRows();
    if (first < 0 || !m_filter)
        return {};
    QString out;
    for (qsizetype row = first; row <= last && row < m_filter->rowCount(); ++row) {
        out += m_filter->rowLine(row).text();
        if (row < last)
            out += u'\n';
    }
    return out;
}

void LogView::copy() const
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text);
}

qsizetype LogView::rowAt(int y) const
{
    if (!m_filter)
        return -1;
    // Pending lines are not selectable: below the last row is the last row.
    const qsizetype rows = m_filter->rowCount();
    qsizetype row = firstVisibleRow();
    int top = 0;
    while (row < rows) {
        const int h = rowHeight(row);
        if (y < top + h)
            return row;
        top += h;
        ++row;
    }
    return rows - 1;
}

void LogView::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    const QPalette pal = palette();
    p.fillRect(viewport()->rect(), pal.color(QPalette::Base));
    if (!m_filter)
        return;
    const bool dark = isDark();
    const QFontMetrics fm(font());
    const int lineHeight = fm.lineSpacing();
    const int gutter = gutterWidth();
    const int textWidth = std::max(40, viewport()->width() - gutter - kPadding);
    const int scrollX = m_wrap ? 0 : horizontalScrollBar()->value();
    const auto [selFirst, selLast] = selectedRows();
    QColor selection = pal.color(QPalette::Highlight);
    selection.setAlpha(70);
    QColor match = QColor(0xff, 0xd5, 0x4f);
    QColor currentMatch = QColor(0xff, 0x98, 0x00);
    const QColor stderrColor = statusColor(api::SimplifiedStatus::Failed);
    const QColor dimColor = pal.color(QPalette::PlaceholderText);
    QFont badgeFont = font();
    badgeFont.setPointSizeF(std::max(kMinPoints, font().pointSizeF() - 1));
    badgeFont.setBold(true);

    const qsizetype filterRows = m_filter->rowCount();
    const qsizetype rows = rowCount();
    int y = 0;
    int widest = m_widestLine;
    for (qsizetype row = firstVisibleRow(); row < rows && y < viewport()->height(); ++row) {
        // Past the filter's rows: the pending lines, which no search has seen.
        const qsizetype lineIndex = row < filterRows ? m_filter->lineAt(row) : -1;
        const models::LogLine line = rowLine(row);
        models::AnsiText styled;
        if (line.hasEscapes)
            styled = line.styledText();
        else
            styled.text = line.raw.toString();

        // The text and its formats: the stream's colour, the ANSI runs, matches.
        QList<QTextLayout::FormatRange> formats;
        if (line.type != models::LogType::Stdout) {
            QTextCharFormat f;
            f.setForeground(line.type == models::LogType::Stderr ? stderrColor : dimColor);
            if (line.type == models::LogType::Vmlog)
                f.setFontItalic(true);
            formats.append({0, int(styled.text.size()), f});
        }
        for (const models::AnsiRun &run : std::as_const(styled.runs)) {
            const models::AnsiStyle &s = run.style;
            if (s.isDefault())
                continue;
            QTextCharFormat f;
            QColor fg = s.fg.isDefault() ? QColor() : models::ansiColor(s.fg, dark);
            QColor bg = s.bg.isDefault() ? QColor() : models::ansiColor(s.bg, dark);
            if (s.inverse) {
                std::swap(fg, bg);
                if (!fg.isValid())
                    fg = pal.color(QPalette::Base);
                if (!bg.isValid())
                    bg = pal.color(QPalette::Text);
            }
            if (fg.isValid())
                f.setForeground(s.dim ? fg.darker(140) : fg);
            else if (s.dim)
                f.setForeground(dimColor);
            if (bg.isValid())
                f.setBackground(bg);
            if (s.bold)
                f.setFontWeight(QFont::Bold);
            f.setFontItalic(s.italic);
            f.setFontUnderline(s.underline);
            f.setFontStrikeOut(s.strikeout);
            formats.append({int(run.start), int(run.length), f});
        }
        if (m_search && lineIndex >= 0) {
            const auto [first, last] = m_search->matchesInLine(lineIndex);
            for (qsizetype i = first; i < last; ++i) {
                const models::LogMatch &m = m_search->matches()[size_t(i)];
                QTextCharFormat f;
                const bool current = m == m_current;
                f.setBackground(current ? currentMatch : match);
                f.setForeground(QColor(Qt::black));
                formats.append({m.start, m.length, f});
            }
        }

        QTextLayout layout(styled.text, font());
        layout.setFormats(formats);
        QTextOption option;
        option.setWrapMode(m_wrap ? QTextOption::WrapAtWordBoundaryOrAnywhere
                                  : QTextOption::NoWrap);
        layout.setTextOption(option);
        layout.beginLayout();
        int height = 0;
        for (QTextLine l = layout.createLine(); l.isValid(); l = layout.createLine()) {
            l.setLineWidth(m_wrap ? textWidth : kNoWrapWidth);
            l.setPosition(QPointF(0, height));
            height += lineHeight;
        }
        layout.endLayout();
        height = std::max(height, lineHeight);
        if (!m_wrap)
            widest = std::max(widest, int(layout.maximumWidth()));

        if (row >= selFirst && row <= selLast && selFirst >= 0 && lineIndex >= 0)
            p.fillRect(QRect(0, y, viewport()->width(), height), selection);
        p.save();
        p.setClipRect(QRect(gutter, y, viewport()->width() - gutter, height));
        layout.draw(&p, QPointF(gutter - scrollX, y));
        p.restore();

        // The gutter: time, then the rank badge.
        int x = kPadding;
        p.setFont(font());
        if (m_timestamps) {
            p.setPen(dimColor);
            const QString time = line.timeMs > 0 ? QDateTime::fromMSecsSinceEpoch(line.timeMs)
                                                       .toString(QStringLiteral("HH:mm:ss.zzz"))
                                                 : QString();
            p.drawText(QRect(x, y, gutter, lineHeight), Qt::AlignLeft | Qt::AlignVCenter, time);
            x += fm.horizontalAdvance(QStringLiteral("00:00:00.000")) + kPadding;
        }
        const QRect badge(x, y + 2, fm.horizontalAdvance(QStringLiteral("PF")) + 10,
                          lineHeight - 4);
        QColor badgeColor = rankColor(line.rank);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        badgeColor.setAlpha(dark ? 120 : 60);
        p.setBrush(badgeColor);
        p.drawRoundedRect(badge, 3, 3);
        p.setPen(pal.color(QPalette::Text));
        p.setFont(badgeFont);
        p.drawText(badge, Qt::AlignCenter, badgeText(line.rank));
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setFont(font());
        y += height;
    }
    if (widest != m_widestLine) {
        m_widestLine = widest;
        updateScrollBars();
    }
}

void LogView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
    if (m_following)
        setFollowing(true);
    placeJumpButton();
}

void LogView::placeJumpButton()
{
    m_jump->adjustSize();
    m_jump->move(viewport()->width() - m_jump->width() - 16,
                 viewport()->height() - m_jump->height() - 12);
}

void LogView::scrollContentsBy(int, int)
{
    viewport()->update();
}

void LogView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QAbstractScrollArea::mousePressEvent(event);
    const qsizetype row = rowAt(event->position().toPoint().y());
    if (row < 0)
        return;
    if (event->modifiers() & Qt::ShiftModifier && m_anchor >= 0)
        m_cursor = row;
    else
        m_anchor = m_cursor = row;
    viewport()->update();
}

void LogView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton) || m_anchor < 0)
        return;
    const int y = event->position().toPoint().y();
    if (y < 0)
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub);
    else if (y > viewport()->height())
        verticalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd);
    const qsizetype row = rowAt(std::clamp(y, 0, viewport()->height() - 1));
    if (row >= 0 && row != m_cursor) {
        m_cursor = row;
        viewport()->update();
    }
}

void LogView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Copy)) {
        copy();
        return;
    }
    if (event->matches(QKeySequence::SelectAll) && m_filter && m_filter->rowCount() > 0) {
        selectRows(0, m_filter->rowCount() - 1);
        return;
    }
    if (event->modifiers() & Qt::ControlModifier) {
        if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) {
            setFontPointSize(fontPointSize() + 1);
            return;
        }
        if (event->key() == Qt::Key_Minus) {
            setFontPointSize(fontPointSize() - 1);
            return;
        }
        if (event->key() == Qt::Key_0) {
            setFontPointSize(QFontDatabase::systemFont(QFontDatabase::FixedFont).pointSizeF());
            return;
        }
    }
    switch (event->key()) {
    case Qt::Key_End:
        setFollowing(true);
        return;
    case Qt::Key_Home:
        scrollToRow(0);
        return;
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void LogView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        viewport()->update();
}

} // namespace pf::ui
