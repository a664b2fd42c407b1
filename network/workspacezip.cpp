// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "workspacezip.h"

#include <algorithm>

#include <zip.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include "api/pfignore.h"

namespace pf::network {

namespace {

constexpr qint64 kProgressStep = 256 * 1024;

QString megabytes(qint64 bytes)
{
    return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MB");
}

void walk(const QDir &dir, const QString &prefix, const api::PfIgnore &rules, WorkspacePlan *plan)
{
    // Hidden and system entries too: dot files are sent unless ignored, and
    // broken links and special files must be seen to be reported.
    const QFileInfoList entries = dir.entryInfoList(
        QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &fi : entries) {
        const QString rel = prefix + fi.fileName();
        const bool link = fi.isSymLink();
        const bool isDir = !link && fi.isDir();
        // The walk never enters an ignored folder, so the rules of this
        // path alone decide (PfIgnore::matches()).
        if (rules.matches(rel, isDir))
            continue;
        if (link) {
            plan->skipped << QStringLiteral("%1: a symbolic link (to %2); links are not followed")
                                 .arg(rel, fi.symLinkTarget());
        } else if (isDir) {
            QDir sub(fi.absoluteFilePath());
            if (!fi.isReadable() || !fi.isExecutable())
                plan->skipped << QStringLiteral("%1/: the folder cannot be read").arg(rel);
            else
                walk(sub, rel + u'/', rules, plan);
        } else if (fi.isFile()) {
            if (!fi.isReadable()) {
                plan->skipped << QStringLiteral("%1: the file cannot be read").arg(rel);
                continue;
            }
            plan->files.append({rel, fi.size()});
            plan->totalBytes += fi.size();
        } else {
            plan->skipped
                << QStringLiteral("%1: not a regular file (a socket, pipe or device)").arg(rel);
        }
    }
}

// The shared state of one zip being written.
struct Progress
{
    WorkspaceZip *owner = nullptr;
    const std::atomic<bool> *cancel = nullptr;
    qint64 done = 0;
    qint64 total = 0;
    qint64 reported = 0;
};

// One file as a libzip source: read from disk when zip_close() writes it,
// counting bytes and honouring cancel(), never more than the planned size.
struct FileSource
{
    QFile file;
    qint64 size = 0;
    qint64 read = 0;
    QDateTime mtime;
    Progress *progress = nullptr;
    void (*report)(Progress *) = nullptr;
    zip_error_t error{};
};

zip_int64_t fileSource(void *userdata, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    auto *s = static_cast<FileSource *>(userdata);
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        if (s->progress->cancel->load()) {
            zip_error_set(&s->error, ZIP_ER_CANCELLED, 0);
            return -1;
        }
        if (!s->file.open(QIODevice::ReadOnly)) {
            zip_error_set(&s->error, ZIP_ER_OPEN, 0);
            return -1;
        }
        s->read = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        if (s->progress->cancel->load()) {
            zip_error_set(&s->error, ZIP_ER_CANCELLED, 0);
            return -1;
        }
        const qint64 want = std::min<qint64>(qint64(len), s->size - s->read);
        const qint64 n = want > 0 ? s->file.read(static_cast<char *>(data), want) : 0;
        if (n < 0) {
            zip_error_set(&s->error, ZIP_ER_READ, 0);
            return -1;
        }
        s->read += n;
        s->progress->done += n;
        s->report(s->progress);
        return n;
    }
    case ZIP_SOURCE_CLOSE:
        s->file.close();
        return 0;
    case ZIP_SOURCE_STAT: {
        auto *st = static_cast<zip_stat_t *>(data);
        zip_stat_init(st);
        st->size = zip_uint64_t(s->size);
        st->mtime = time_t(s->mtime.toSecsSinceEpoch());
        st->valid = ZIP_STAT_SIZE | ZIP_STAT_MTIME;
        return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&s->error, data, len);
    case ZIP_SOURCE_FREE:
        zip_error_fini(&s->error);
        delete s;
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

} // namespace

WorkspaceZip::WorkspaceZip(QObject *parent)
    : QObject(parent)
{}

WorkspaceZip::~WorkspaceZip()
{
    m_cancel.store(true);
    if (m_worker.joinable())
        m_worker.join();
}

WorkspacePlan WorkspaceZip::plan(const QString &folder, qint64 maxBytes)
{
    WorkspacePlan plan;
    const QFileInfo root(folder);
    plan.folder = QDir::cleanPath(root.absoluteFilePath());
    plan.rootName = QFileInfo(plan.folder).fileName();
    if (!root.isDir()) {
        plan.error = QStringLiteral("The workspace folder %1 does not exist.").arg(folder);
        return plan;
    }
    if (plan.rootName.isEmpty()) {
        plan.error = QStringLiteral("The workspace cannot be the file system's root.");
        return plan;
    }
    if (!root.isReadable() || !root.isExecutable()) {
        plan.error = QStringLiteral("The workspace folder %1 cannot be read.").arg(folder);
        return plan;
    }

    api::PfIgnore rules;
    const QFileInfo ignoreFile(plan.folder + QStringLiteral("/.pfignore"));
    if (ignoreFile.isSymLink()) {
        plan.error =
            QStringLiteral("The workspace's .pfignore is a symbolic link; make it a file.");
        return plan;
    }
    if (ignoreFile.exists()) {
        QFile f(ignoreFile.absoluteFilePath());
        if (!f.open(QIODevice::ReadOnly)) {
            plan.error =
                QStringLiteral("The workspace's .pfignore cannot be read: %1").arg(f.errorString());
            return plan;
        }
        rules = api::PfIgnore::parse(f.readAll());
    }

    walk(QDir(plan.folder), QString(), rules, &plan);
    if (plan.files.isEmpty()) {
        plan.error = QStringLiteral("The workspace %1 holds no file to send (its .pfignore may "
                                    "leave everything out).")
                         .arg(plan.folder);
    } else if (plan.totalBytes > maxBytes) {
        const auto largest = std::max_element(
            plan.files.cbegin(), plan.files.cend(),
            [](const WorkspaceFile &a, const WorkspaceFile &b) { return a.size < b.size; });
        plan.error = QStringLiteral("The workspace holds %1 in %2 files, more than the %3 a job "
                                    "can take (the largest: %4, %5). Leave data sets, "
                                    "checkpoints and build output out with rules in %6/.pfignore.")
                         .arg(megabytes(plan.totalBytes))
                         .arg(plan.files.size())
                         .arg(megabytes(maxBytes), largest->relativePath, megabytes(largest->size),
                              plan.folder);
    }
    return plan;
}

void WorkspaceZip::start(const WorkspacePlan &plan, const QString &outputDir)
{
    Q_ASSERT(!m_worker.joinable());
    m_worker = std::thread([this, plan, outputDir] { run(plan, outputDir); });
}

void WorkspaceZip::run(WorkspacePlan plan, QString outputDir)
{
    if (!plan.ok()) {
        Q_EMIT finished({}, plan.error);
        return;
    }
    // A unique name taken now; libzip writes next to it and renames over it.
    QTemporaryFile placeholder((outputDir.isEmpty() ? QDir::tempPath() : outputDir) +
                               QStringLiteral("/pfstudio-workspace-XXXXXX.zip"));
    placeholder.setAutoRemove(false);
    if (!placeholder.open()) {
        Q_EMIT finished({}, QStringLiteral("The workspace zip cannot be created: %1")
                                .arg(placeholder.errorString()));
        return;
    }
    const QString path = placeholder.fileName();
    placeholder.close();

    int openError = 0;
    zip_t *z = zip_open(QFile::encodeName(path).constData(), ZIP_TRUNCATE, &openError);
    if (!z) {
        QFile::remove(path);
        zip_error_t e;
        zip_error_init_with_code(&e, openError);
        const QString why = QString::fromLocal8Bit(zip_error_strerror(&e));
        zip_error_fini(&e);
        Q_EMIT finished({}, QStringLiteral("The workspace zip cannot be created: %1").arg(why));
        return;
    }

    Progress counter;
    counter.owner = this;
    counter.cancel = &m_cancel;
    counter.total = plan.totalBytes;
    const auto report = [](Progress *p) {
        if (p->done - p->reported >= kProgressStep) {
            p->reported = p->done;
            Q_EMIT p->owner->progress(p->done, p->total);
        }
    };
    QString error;
    for (const WorkspaceFile &f : std::as_const(plan.files)) {
        auto *s = new FileSource;
        s->file.setFileName(plan.folder + u'/' + f.relativePath);
        s->size = f.size;
        s->mtime = QFileInfo(s->file.fileName()).lastModified();
        s->progress = &counter;
        s->report = report;
        zip_error_init(&s->error);
        zip_source_t *src = zip_source_function(z, fileSource, s);
        if (!src) {
            zip_error_fini(&s->error);
            delete s;
            error = QString::fromLocal8Bit(zip_strerror(z));
            break;
        }
        const QByteArray name = (plan.rootName + u'/' + f.relativePath).toUtf8();
        const zip_int64_t index = zip_file_add(z, name.constData(), src, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(src);
            error = QStringLiteral("%1: %2").arg(f.relativePath,
                                                 QString::fromLocal8Bit(zip_strerror(z)));
            break;
        }
        if (zip_set_file_compression(z, zip_uint64_t(index), ZIP_CM_STORE, 0) < 0) {
            error = QString::fromLocal8Bit(zip_strerror(z));
            break;
        }
    }
    // zip_close() reads the files and writes the archive.
    if (error.isEmpty() && !m_cancel.load() && zip_close(z) == 0) {
        Q_EMIT progress(counter.done, counter.total);
        Q_EMIT finished(path, {});
        return;
    }
    if (error.isEmpty() && !m_cancel.load())
        error = QString::fromLocal8Bit(zip_strerror(z));
    zip_discard(z);
    QFile::remove(path);
    Q_EMIT finished({}, m_cancel.load()
                            ? QStringLiteral("Zipping the workspace was cancelled.")
                            : QStringLiteral("The workspace zip cannot be written: %1").arg(error));
}

} // namespace pf::network
