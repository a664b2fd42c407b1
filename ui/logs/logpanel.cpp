// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "logpanel.h"

#include <QApplication>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QThreadPool>
#include <QToolButton>
#include <QVBoxLayout>

#include "models/logsave.h"
#include "ui/logs/logview.h"
#include "ui/widgets/messagebox.h"

namespace pf::ui {

namespace {

QToolButton *toggle(QWidget *parent, const QString &name, const QString &text, const QString &tip,
                    bool checked)
{
    auto *b = new QToolButton(parent);
    b->setObjectName(name);
    b->setText(text);
    b->setToolTip(tip);
    b->setCheckable(true);
    b->setChecked(checked);
    b->setAutoRaise(true);
    return b;
}

} // namespace

LogPanel::LogPanel(QWidget *parent)
    : QWidget(parent)
    , m_buffer(new models::LogBuffer(this))
    , m_filter(new models::LogFilter(m_buffer, this))
    , m_search(new models::LogSearch(m_buffer, m_filter, this))
    , m_view(new LogView(this))
    , m_query(new QLineEdit(this))
    , m_regex(toggle(this, QStringLiteral("logRegex"), QStringLiteral(".*"),
                     tr("Regular expression"), false))
    , m_case(toggle(this, QStringLiteral("logCase"), QStringLiteral("Aa"), tr("Match case"), false))
    , m_matches(new QLabel(this))
    , m_chips(new QHBoxLayout)
    , m_state(new QLabel(this))
{
    setObjectName(QStringLiteral("logPanel"));
    m_view->setFilter(m_filter);
    m_view->setSearch(m_search);

    m_query->setObjectName(QStringLiteral("logSearch"));
    m_query->setPlaceholderText(tr("Search the whole log"));
    m_query->setClearButtonEnabled(true);
    auto *previous = new QToolButton(this);
    previous->setObjectName(QStringLiteral("logPrevious"));
    previous->setText(QStringLiteral("↑"));
    previous->setToolTip(tr("Previous match (Shift+Enter)"));
    previous->setAutoRaise(true);
    auto *next = new QToolButton(this);
    next->setObjectName(QStringLiteral("logNext"));
    next->setText(QStringLiteral("↓"));
    next->setToolTip(tr("Next match (Enter)"));
    next->setAutoRaise(true);
    m_matches->setObjectName(QStringLiteral("logMatches"));
    m_matches->setMinimumWidth(90);

    auto *times = toggle(this, QStringLiteral("logTimestamps"), tr("Time"),
                         tr("Show each line's time"), false);
    auto *wrap = toggle(this, QStringLiteral("logWrap"), tr("Wrap"), tr("Wrap long lines"), false);
    auto *save = new QToolButton(this);
    save->setObjectName(QStringLiteral("logSave"));
    save->setText(tr("Save…"));
    save->setToolTip(tr("Save the lines shown to a file"));
    save->setAutoRaise(true);
    auto *detachButton = new QToolButton(this);
    detachButton->setObjectName(QStringLiteral("logDetach"));
    detachButton->setText(tr("Open in window"));
    detachButton->setAutoRaise(true);

    auto *searchRow = new QHBoxLayout;
    searchRow->setSpacing(4);
    searchRow->addWidget(m_query, 1);
    searchRow->addWidget(m_regex);
    searchRow->addWidget(m_case);
    searchRow->addWidget(previous);
    searchRow->addWidget(next);
    searchRow->addWidget(m_matches);
    searchRow->addSpacing(12);
    searchRow->addWidget(times);
    searchRow->addWidget(wrap);
    searchRow->addWidget(save);
    searchRow->addWidget(detachButton);

    // Streams, then node ranks as they appear.
    m_chips->setSpacing(4);
    for (const auto &[type, text] : {std::pair{models::LogType::Stdout, tr("stdout")},
                                     std::pair{models::LogType::Stderr, tr("stderr")},
                                     std::pair{models::LogType::Vmlog, tr("platform")}}) {
        auto *chip = toggle(this, QStringLiteral("logType_") + models::logTypeName(type), text,
                            tr("Show %1 lines").arg(text), true);
        connect(chip, &QToolButton::toggled, this, &LogPanel::updateFilter);
        m_typeChips.insert(int(type), chip);
        m_chips->addWidget(chip);
    }
    m_chips->addSpacing(12);
    m_chips->addStretch(1);
    m_state->setObjectName(QStringLiteral("logState"));
    m_chips->addWidget(m_state);

    // The rows keep off the panel's edges; the view fills it.
    searchRow->setContentsMargins(4, 0, 4, 0);
    m_chips->setContentsMargins(4, 0, 6, 0);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(searchRow);
    layout->addLayout(m_chips);
    layout->addWidget(m_view, 1);

    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(250);
    connect(&m_searchDebounce, &QTimer::timeout, this, &LogPanel::startSearch);
    connect(m_query, &QLineEdit::textChanged, this, [this] { m_searchDebounce.start(); });
    connect(m_query, &QLineEdit::returnPressed, this, [this] {
        if (m_searchDebounce.isActive())
            startSearch();
        step(!(QGuiApplication::keyboardModifiers() & Qt::ShiftModifier));
    });
    connect(m_regex, &QToolButton::toggled, this, &LogPanel::startSearch);
    connect(m_case, &QToolButton::toggled, this, &LogPanel::startSearch);
    connect(previous, &QToolButton::clicked, this, [this] { step(false); });
    connect(next, &QToolButton::clicked, this, [this] { step(true); });
    connect(m_search, &models::LogSearch::matchesAdded, this, &LogPanel::updateMatchLabel);
    connect(m_search, &models::LogSearch::finished, this, &LogPanel::updateMatchLabel);
    connect(m_search, &models::LogSearch::reset, this, &LogPanel::updateMatchLabel);
    connect(m_search, &models::LogSearch::errorOccurred, this,
            [this](const QString &message) { m_matches->setText(message); });
    connect(times, &QToolButton::toggled, m_view, &LogView::setShowTimestamps);
    connect(wrap, &QToolButton::toggled, m_view, &LogView::setWrap);
    connect(save, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Save the log"), QStringLiteral("job-%1.log").arg(m_job.number),
            tr("Logs (*.log *.txt)"));
        if (!path.isEmpty())
            saveTo(path);
    });
    connect(detachButton, &QToolButton::clicked, this, &LogPanel::detach);
    connect(m_buffer, &models::LogBuffer::linesAppended, this, &LogPanel::linesAppended);
    connect(m_buffer, &models::LogBuffer::pendingChanged, this, [this] {
        // A node whose only output so far is a progress bar gets its chip too.
        for (const models::PendingLine &line : m_buffer->pendingLines())
            if (!m_rankChips.contains(line.rank))
                addRankChip(line.rank);
    });
    streamStateChanged();
}

LogPanel::~LogPanel() = default;

void LogPanel::setWorkspace(const models::Workspace &workspace)
{
    m_workspace = workspace;
    clear();
}

void LogPanel::clear()
{
    if (m_stream)
        m_stream->deleteLater();
    m_stream = nullptr;
    m_job = {};
    m_buffer->clear();
    m_search->clear();
    for (QToolButton *chip : std::as_const(m_rankChips))
        chip->deleteLater();
    m_rankChips.clear();
    updateFilter();
    streamStateChanged();
}

void LogPanel::setJob(const api::Job &job)
{
    if (job.id == m_job.id && m_stream)
        return; // already following it
    clear();
    m_job = job;
    if (!m_workspace.valid())
        return;
    network::JobStreamOptions options;
    options.sources = network::JobSources(network::JobSource::Stdout) | network::JobSource::Stderr |
                      network::JobSource::VmLog | network::JobSource::Status;
    m_stream =
        new network::JobStream(m_workspace.api, m_workspace.projectId, job.number, options, this);
    connect(m_stream, &network::JobStream::records, m_buffer,
            [this](const QList<api::LogRecord> &records) { m_buffer->append(records); });
    connect(m_stream, &network::JobStream::stateChanged, this, &LogPanel::streamStateChanged);
    // The job has ended and every record is in: a line still being redrawn
    // (its last record ended with '\r') stays as it was drawn last.
    connect(m_stream, &network::JobStream::finished, m_buffer, &models::LogBuffer::flushPending);
    m_stream->start();
    m_view->setFollowing(true);
    streamStateChanged();
}

QString LogPanel::stateText() const
{
    return m_state->text();
}

void LogPanel::streamStateChanged()
{
    QString text;
    if (!m_stream) {
        text = m_job.id.isEmpty() ? QString() : tr("Not following");
    } else {
        switch (m_stream->state()) {
        case network::JobStream::State::Idle:
            break;
        case network::JobStream::State::LoadingHistory:
            text = tr("Loading the log…");
            break;
        case network::JobStream::State::Live:
            text = tr("● Live");
            break;
        case network::JobStream::State::Reconnecting:
            text = tr("Reconnecting: %1").arg(m_stream->stateMessage());
            break;
        case network::JobStream::State::Ended:
            text = tr("The job has ended");
            break;
        case network::JobStream::State::Failed:
            text = tr("Could not follow the log: %1").arg(m_stream->stateMessage());
            break;
        }
    }
    const qsizetype lines = m_buffer->size();
    if (lines > 0)
        text += (text.isEmpty() ? QString() : QStringLiteral(" · ")) +
                (lines == 1 ? tr("1 line") : tr("%1 lines").arg(QLocale().toString(lines)));
    m_state->setText(text);
}

void LogPanel::linesAppended(qsizetype first, qsizetype count)
{
    // A chip per node rank, as ranks appear (a few per job).
    const models::LogSnapshot snapshot = m_buffer->snapshot();
    snapshot.forEachKey(first, first + count, [this](qsizetype, quint32 key) {
        const int rank = models::detail::LogBlock::rankOf(key);
        if (!m_rankChips.contains(rank))
            addRankChip(rank);
    });
    streamStateChanged();
}

void LogPanel::addRankChip(int rank)
{
    const QString text = rank == models::kPlatformRank ? tr("PF") : tr("node %1").arg(rank);
    auto *chip = toggle(this, QStringLiteral("logRank_%1").arg(rank), text,
                        rank == models::kPlatformRank ? tr("Show the platform's lines")
                                                      : tr("Show node %1's lines").arg(rank),
                        true);
    connect(chip, &QToolButton::toggled, this, &LogPanel::updateFilter);
    m_rankChips.insert(rank, chip);
    // In rank order, after the stream chips (3) and their spacer.
    QList<int> ranks = m_rankChips.keys();
    std::sort(ranks.begin(), ranks.end());
    m_chips->insertWidget(4 + int(ranks.indexOf(rank)), chip);
}

void LogPanel::updateFilter()
{
    models::LogFilterSpec spec;
    bool allRanks = true;
    for (auto it = m_rankChips.cbegin(); it != m_rankChips.cend(); ++it) {
        if (it.value()->isChecked())
            spec.ranks.append(it.key());
        else
            allRanks = false;
    }
    if (allRanks)
        spec.ranks.clear();
    bool allTypes = true;
    for (auto it = m_typeChips.cbegin(); it != m_typeChips.cend(); ++it) {
        if (it.value()->isChecked())
            spec.types.append(models::LogType(it.key()));
        else
            allTypes = false;
    }
    if (allTypes)
        spec.types.clear();
    else if (spec.types.isEmpty())
        spec.types.append(models::LogType::Count); // nothing passes
    if (!allRanks && spec.ranks.isEmpty())
        spec.ranks.append(INT_MIN); // nothing passes
    m_filter->setSpec(spec);
}

void LogPanel::startSearch()
{
    m_searchDebounce.stop();
    m_currentMatch = -1;
    if (m_query->text().isEmpty()) {
        m_search->clear();
        updateMatchLabel();
        return;
    }
    models::LogSearchQuery q;
    q.pattern = m_query->text();
    q.regex = m_regex->isChecked();
    q.caseSensitivity = m_case->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    m_search->start(q);
}

void LogPanel::step(bool forward)
{
    if (m_search->matches().empty())
        return;
    qsizetype index = -1;
    if (m_currentMatch >= 0 && m_currentMatch < qsizetype(m_search->matches().size())) {
        const models::LogMatch &m = m_search->matches()[size_t(m_currentMatch)];
        index = forward ? m_search->nextMatch(m.line, m.start + 1)
                        : m_search->previousMatch(m.line, m.start);
    } else {
        const qsizetype line =
            m_filter->rowCount() > 0 ? m_filter->lineAt(m_view->firstVisibleRow()) : 0;
        index = forward ? m_search->nextMatch(line, 0) : m_search->previousMatch(line, 0);
    }
    if (index < 0)
        return;
    m_currentMatch = index;
    m_view->showMatch(m_search->matches()[size_t(index)]);
    updateMatchLabel();
}

void LogPanel::updateMatchLabel()
{
    if (m_query->text().isEmpty()) {
        m_matches->clear();
        return;
    }
    const qsizetype count = m_search->matchCount();
    QString text = count == 0 && !m_search->isRunning()
                       ? tr("No matches")
                       : (m_currentMatch >= 0 ? tr("%1 of %2")
                                                    .arg(QLocale().toString(m_currentMatch + 1),
                                                         QLocale().toString(count))
                                              : tr("%1 matches").arg(QLocale().toString(count)));
    if (m_search->isRunning())
        text += QStringLiteral("…");
    m_matches->setText(text);
}

bool LogPanel::saveTo(const QString &path)
{
    if (m_saving)
        return false;
    models::LogSaveOptions options;
    options.filter = m_filter->spec();
    options.timestamps = m_view->showsTimestamps();
    options.ranks = true;
    // A snapshot is the lines as they are now; the worker writes them while
    // the log keeps growing.
    m_saving = true;
    m_state->setText(tr("Saving the log…"));
    QPointer<LogPanel> self(this);
    QThreadPool::globalInstance()->start([self, snapshot = m_buffer->snapshot(), path, options] {
        QString error;
        const bool ok = models::saveLog(snapshot, path, options, &error);
        QMetaObject::invokeMethod(
            qApp,
            [self, ok, error] {
                if (!self)
                    return;
                self->m_saving = false;
                self->streamStateChanged();
                if (!ok)
                    MessageBox::error(self, tr("Save the log"), error);
                Q_EMIT self->saveFinished(ok, error);
            },
            Qt::QueuedConnection);
    });
    return true;
}

LogPanel *LogPanel::detach()
{
    auto *panel = new LogPanel;
    panel->setAttribute(Qt::WA_DeleteOnClose);
    panel->setWindowTitle(tr("Job #%1 — log").arg(m_job.number));
    panel->resize(1100, 700);
    panel->setWorkspace(m_workspace);
    panel->setJob(m_job);
    panel->show();
    return panel;
}

} // namespace pf::ui
