// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "sdkchannel.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QFile>
#include <QJsonDocument>
#include <QLoggingCategory>

namespace pf::agent {

Q_LOGGING_CATEGORY(lcSdk, "pf.agent.sdk")

namespace {
QLatin1StringView pipeName(SdkChannel::Pipe pipe)
{
    switch (pipe) {
    case SdkChannel::Pipe::StepInfo:
        return QLatin1StringView("step_info");
    case SdkChannel::Pipe::Metric:
        return QLatin1StringView("metric");
    case SdkChannel::Pipe::Ack:
        return QLatin1StringView("ack");
    case SdkChannel::Pipe::EmergencySave:
        return QLatin1StringView("emergency_save");
    case SdkChannel::Pipe::LastStep:
        return QLatin1StringView("last_step");
    case SdkChannel::Pipe::Ckpt:
    case SdkChannel::Pipe::Count:
        break;
    }
    return QLatin1StringView("ckpt");
}

// The pipes the SDK writes and the agent reads.
bool isInbound(SdkChannel::Pipe pipe)
{
    return pipe != SdkChannel::Pipe::Ack && pipe != SdkChannel::Pipe::EmergencySave;
}
} // namespace

SdkChannel::SdkChannel(QObject *parent)
    : QObject(parent)
{}

SdkChannel::~SdkChannel()
{
    close();
}

QString SdkChannel::fifoName(Pipe pipe, int localRank)
{
    return QStringLiteral("periflow_") + pipeName(pipe) + QStringLiteral("_ipc_fifo_") +
           QString::number(localRank);
}

bool SdkChannel::open(const QString &dir, int localRank, QString *error)
{
    close();
    for (int i = 0; i < int(Pipe::Count); ++i) {
        const auto pipe = Pipe(i);
        const QByteArray path = QFile::encodeName(dir + u'/' + fifoName(pipe, localRank));
        ::unlink(path.constData()); // a leftover of an earlier run
        if (::mkfifo(path.constData(), 0600) != 0) {
            if (error)
                *error = QStringLiteral("cannot create %1: %2")
                             .arg(QFile::decodeName(path), QString::fromLocal8Bit(strerror(errno)));
            close();
            return false;
        }
        const int fd = ::open(path.constData(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            if (error)
                *error = QStringLiteral("cannot open %1: %2")
                             .arg(QFile::decodeName(path), QString::fromLocal8Bit(strerror(errno)));
            close();
            return false;
        }
        Endpoint &e = m_pipes[size_t(i)];
        e.fd = fd;
        if (isInbound(pipe)) {
            e.notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
            connect(e.notifier.get(), &QSocketNotifier::activated, this,
                    [this, pipe] { readable(pipe); });
        }
    }
    m_open = true;
    return true;
}

void SdkChannel::drain()
{
    for (int i = 0; i < int(Pipe::Count); ++i)
        if (isInbound(Pipe(i)) && m_pipes[size_t(i)].fd >= 0)
            readable(Pipe(i));
}

void SdkChannel::close()
{
    for (Endpoint &e : m_pipes) {
        e.notifier.reset();
        if (e.fd >= 0)
            ::close(e.fd);
        e.fd = -1;
        e.decoder = FrameDecoder();
    }
    m_open = false;
}

void SdkChannel::readable(Pipe pipe)
{
    Endpoint &e = m_pipes[size_t(pipe)];
    char buffer[64 * 1024];
    QList<QByteArray> frames;
    QStringList errors;
    // A bounded number of reads per wake-up keeps the other pipes and the
    // job's output flowing.
    for (int round = 0; round < 16; ++round) {
        const ssize_t n = ::read(e.fd, buffer, sizeof buffer);
        if (n > 0) {
            e.decoder.feed(QByteArrayView(buffer, n), &frames, &errors);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break; // EAGAIN: drained (0 cannot happen: the agent holds a writer)
    }
    for (const QString &error : std::as_const(errors)) {
        qCWarning(lcSdk).noquote() << pipeName(pipe) << "pipe:" << error;
        Q_EMIT protocolError(QStringLiteral("SDK pipe %1: %2").arg(pipeName(pipe), error));
    }
    for (const QByteArray &frame : std::as_const(frames))
        handleFrame(pipe, frame);
}

void SdkChannel::handleFrame(Pipe pipe, const QByteArray &payload)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        const QString message =
            QStringLiteral("SDK pipe %1: a frame is not a JSON object (%2); skipped")
                .arg(pipeName(pipe), parseError.error != QJsonParseError::NoError
                                         ? parseError.errorString()
                                         : QStringLiteral("not an object"));
        qCWarning(lcSdk).noquote() << message;
        Q_EMIT protocolError(message);
        if (pipe == Pipe::StepInfo)
            sendAck(); // the SDK waits for it either way
        return;
    }
    const QJsonObject o = doc.object();
    switch (pipe) {
    case Pipe::StepInfo:
        // Acknowledge first: the training loop is blocked until it arrives.
        sendAck();
        Q_EMIT stepInfo(o.value(QStringLiteral("step")).toInteger(),
                        o.value(QStringLiteral("step_time")).toDouble());
        break;
    case Pipe::LastStep:
        Q_EMIT lastStep(o.value(QStringLiteral("step")).toInteger());
        break;
    case Pipe::Metric:
        Q_EMIT metric(o);
        break;
    case Pipe::Ckpt:
        Q_EMIT checkpoint(o);
        break;
    case Pipe::Ack:
    case Pipe::EmergencySave:
    case Pipe::Count:
        break;
    }
}

bool SdkChannel::write(Pipe pipe, const QJsonObject &message)
{
    const Endpoint &e = m_pipes[size_t(pipe)];
    if (e.fd < 0)
        return false;
    const QByteArray frame = encodeFrame(QJsonDocument(message).toJson(QJsonDocument::Compact));
    // Frames this small (< PIPE_BUF) are written whole or not at all.
    for (;;) {
        const ssize_t n = ::write(e.fd, frame.constData(), size_t(frame.size()));
        if (n == frame.size())
            return true;
        if (n < 0 && errno == EINTR)
            continue;
        qCWarning(lcSdk).noquote()
            << "cannot write to the" << pipeName(pipe) << "pipe:"
            << (n < 0 ? QString::fromLocal8Bit(strerror(errno)) : QStringLiteral("short write"));
        return false;
    }
}

bool SdkChannel::sendAck()
{
    const bool ok = write(Pipe::Ack, {{QStringLiteral("status"), QStringLiteral("SUCCESS")}});
    if (ok)
        ++m_acks;
    return ok;
}

bool SdkChannel::sendEmergencySave(qint64 step)
{
    return write(Pipe::EmergencySave, {{QStringLiteral("emergency_save_step"), step}});
}

} // namespace pf::agent
