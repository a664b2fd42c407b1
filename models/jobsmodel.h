// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QSet>
#include <QTimer>

#include "api/job.h"
#include "models/workspace.h"
#include "network/pfapi.h"

namespace pf::models {

// The jobs of one project, newest first, as GET /api/project/{pid}/job/
// pages them. Filters are the server's (a network::JobQuery); changing the
// workspace or the query drops every row and loads the first page again.
//
// Paging: canFetchMore()/fetchMore() load the next cursor page, one request at
// a time; state() says whether a page is on its way, all are loaded, or the
// last request failed (errorString() has the server's words, retry() asks
// again).
//
// Live updates: every pollInterval() ms (0: never) the model reads the first
// page again, inserts jobs it has not seen at the top, and reads each loaded
// job that is not finished yet (at most kMaxPolledJobs a tick). What changed
// is applied together when the tick's last answer is in: one dataChanged per
// contiguous range of rows, then removals, then insertions.
//
//   JobsModel model;
//   model.setWorkspace(ws);           // loads the first page
//   view->setModel(&model);           // the view calls fetchMore()
//
// The workspace's PfApi must outlive the model, or be replaced by
// setWorkspace() first; answers that arrive after a reset are dropped.
class JobsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobsModel)

public:
    enum Column {
        NumberColumn,
        NameColumn,
        StatusColumn,
        ExperimentColumn,
        VmColumn,
        DevicesColumn,
        UserColumn,
        DatasetColumn,
        StartedColumn,
        DurationColumn,
        ProgressColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        JobRole = Qt::UserRole, // api::Job
        IdRole,                 // QString
        NumberRole,             // qint64
        StatusRole,             // int(api::JobStatus)
        SimplifiedStatusRole,   // int(api::SimplifiedStatus)
        ProgressRole,           // double, 0-100
        TerminalRole,           // bool
        UserIdRole,             // QString
        ExperimentIdRole,       // qint64
        SortRole,               // numbers for numeric columns, else text
        DurationSecondsRole,    // qint64, -1 when not started
    };
    Q_ENUM(Role)

    enum class State { Idle, Fetching, Fetched, Error };
    Q_ENUM(State)

    static constexpr int kDefaultPageSize = 50;
    static constexpr int kDefaultPollIntervalMs = 2000;
    static constexpr int kMaxPolledJobs = 50;

    explicit JobsModel(QObject *parent = nullptr);
    ~JobsModel() override;

    // Not valid(): no rows, no requests.
    void setWorkspace(const Workspace &workspace);
    const Workspace &workspace() const { return m_workspace; }
    void setQuery(const network::JobQuery &query);
    const network::JobQuery &query() const { return m_query; }
    // Rows per page (the server caps it at 100). Takes effect on the next request.
    void setPageSize(int rows) { m_pageSize = rows; }
    int pageSize() const { return m_pageSize; }
    // 0 stops polling.
    void setPollInterval(int ms);
    int pollInterval() const { return m_pollIntervalMs; }

    // Drops the rows and loads the first page.
    void reload();
    // After an Error: asks for the page that failed again.
    void retry();
    // Reads the first page and the unfinished jobs now (what the timer does).
    void poll();

    State state() const { return m_state; }
    QString errorString() const { return m_error; }

    // The row of the job with this id or number, -1 when not loaded.
    int rowOfId(const QString &id) const { return m_rowById.value(id, -1); }
    int rowOfNumber(qint64 number) const;
    const api::Job &jobAt(int row) const { return m_jobs.at(row); }
    QList<api::Job> jobs() const { return m_jobs; }

    // What the pane learnt from its own calls: a job as a stop answered it,
    // or a job it deleted.
    void applyJob(const api::Job &job);
    void removeJob(qint64 number);

    // For the benchmark: nanoseconds spent applying the last page (decoded
    // jobs to endInsertRows).
    qint64 lastPageApplyNs() const { return m_lastApplyNs; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QHash<int, QByteArray> roleNames() const override;

    static QString statusText(api::SimplifiedStatus status);

Q_SIGNALS:
    void stateChanged(pf::models::JobsModel::State state);
    void errorOccurred(const QString &message);
    // A poll tick was applied (tests wait on it).
    void polled();

private:
    void requestPage(const QString &cursor);
    void applyPage(const api::Page<api::Job> &page, bool first);
    void setState(State state, const QString &error = {});
    void rebuildIndex(int fromRow = 0);
    bool matchesQuery(const api::Job &job) const;
    void finishTick();
    void applyTickResults();

    Workspace m_workspace;
    network::JobQuery m_query;
    QList<api::Job> m_jobs;
    QHash<QString, int> m_rowById;
    QString m_nextCursor;
    QString m_failedCursor;
    bool m_started = false; // a first page was asked for since the reset
    State m_state = State::Idle;
    QString m_error;
    int m_pageSize = kDefaultPageSize;
    int m_pollIntervalMs = kDefaultPollIntervalMs;
    QTimer m_pollTimer;
    quint64 m_generation = 0;
    qint64 m_lastApplyNs = 0;

    // The poll tick under way.
    struct Tick
    {
        bool active = false;
        int outstanding = 0;
        QList<api::Job> firstPage;
        bool firstPageOk = false;
        bool firstPageComplete = false; // the first page had no next cursor
        QHash<QString, api::Job> updated;
        QSet<qint64> gone; // numbers answered 404
    };
    Tick m_tick;
};

} // namespace pf::models
