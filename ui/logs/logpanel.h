// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include "api/job.h"
#include "models/logbuffer.h"
#include "models/logfilter.h"
#include "models/logsearch.h"
#include "models/workspace.h"
#include "network/jobstream.h"

class QHBoxLayout;
class QLabel;
class QLineEdit;
class QToolButton;

namespace pf::ui {

class LogView;

// A job's Logs tab: its whole log (history, then live through the log
// websocket, resumed by seq after a lost connection) in a LogView, with
// filters for node ranks and streams, a search over the whole log (plain or
// regex, case toggle, next/previous with the match count), timestamps, wrap,
// saving to a file (streamed), and a button that opens the same log in a
// window of its own. objectName "logPanel".
class LogPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogPanel)

public:
    explicit LogPanel(QWidget *parent = nullptr);
    ~LogPanel() override;

    void setWorkspace(const models::Workspace &workspace);
    // Follows `job` (again, from its first line, if it is another job).
    void setJob(const api::Job &job);
    void clear();

    LogView *view() const { return m_view; }
    models::LogBuffer *buffer() const { return m_buffer; }
    models::LogFilter *filter() const { return m_filter; }
    models::LogSearch *search() const { return m_search; }
    network::JobStream *stream() const { return m_stream; }
    QString stateText() const;

    // Saves the lines shown (the filter's, as they are now) to `path` on a
    // worker thread; saveFinished() follows (a failure is also shown). False
    // when a save is already running.
    bool saveTo(const QString &path);
    // Opens this job's log in a window of its own (returned; it deletes itself).
    LogPanel *detach();

Q_SIGNALS:
    void saveFinished(bool ok, const QString &error);

private:
    void streamStateChanged();
    void linesAppended(qsizetype first, qsizetype count);
    void addRankChip(int rank);
    void updateFilter();
    void startSearch();
    void step(bool forward);
    void updateMatchLabel();

    models::Workspace m_workspace;
    api::Job m_job;
    models::LogBuffer *m_buffer;
    models::LogFilter *m_filter;
    models::LogSearch *m_search;
    LogView *m_view;
    QPointer<network::JobStream> m_stream;
    QLineEdit *m_query;
    QToolButton *m_regex;
    QToolButton *m_case;
    QLabel *m_matches;
    QHBoxLayout *m_chips;
    QHash<int, QToolButton *> m_rankChips;
    QHash<int, QToolButton *> m_typeChips; // by int(models::LogType)
    QLabel *m_state;
    QTimer m_searchDebounce;
    qsizetype m_currentMatch = -1;
    bool m_saving = false;
};

} // namespace pf::ui
