// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include "agent/framecodec.h"
#include "agent/sdkchannel.h"
#include "tests/agent/agenttestutil.h"
#include "tests/support/qtwarnings.h"

using namespace pf::agent;
using pf::agenttest::processEventsUntil;

namespace {

// The SDK's side of one pipe, as a training script would open it.
class SdkEnd
{
public:
    SdkEnd(const QString &dir, SdkChannel::Pipe pipe, int flags)
        : m_fd(::open(QFile::encodeName(dir + u'/' + SdkChannel::fifoName(pipe, 0)).constData(),
                      flags | O_CLOEXEC))
    {}
    ~SdkEnd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool ok() const { return m_fd >= 0; }
    void write(const QByteArray &bytes) const
    {
        ASSERT_EQ(::write(m_fd, bytes.constData(), size_t(bytes.size())), bytes.size());
    }
    void send(const QJsonObject &o) const
    {
        write(encodeFrame(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    }
    // Reads one frame (blocking).
    QJsonObject receive() const
    {
        QByteArray data;
        FrameDecoder decoder;
        QList<QByteArray> frames;
        char buffer[256];
        while (frames.isEmpty()) {
            const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
            if (n <= 0)
                return {};
            decoder.feed(QByteArrayView(buffer, n), &frames, nullptr);
        }
        return QJsonDocument::fromJson(frames.first()).object();
    }

private:
    int m_fd;
};

} // namespace

TEST(SdkChannel, FifoNames)
{
    EXPECT_EQ(SdkChannel::fifoName(SdkChannel::Pipe::StepInfo, 0),
              QStringLiteral("periflow_step_info_ipc_fifo_0"));
    EXPECT_EQ(SdkChannel::fifoName(SdkChannel::Pipe::EmergencySave, 3),
              QStringLiteral("periflow_emergency_save_ipc_fifo_3"));
    EXPECT_EQ(SdkChannel::fifoName(SdkChannel::Pipe::LastStep, 0),
              QStringLiteral("periflow_last_step_ipc_fifo_0"));
}

TEST(SdkChannel, FramesBecomeSignalsAndStepsAreAcknowledged)
{
    QTemporaryDir dir;
    SdkChannel sdk;
    QString error;
    ASSERT_TRUE(sdk.open(dir.path(), 0, &error)) << error.toStdString();
    for (int i = 0; i < 6; ++i)
        EXPECT_TRUE(
            QFileInfo(dir.path() + u'/' + SdkChannel::fifoName(SdkChannel::Pipe(i), 0)).exists());

    qint64 total = -1;
    QList<qint64> steps;
    QList<QJsonObject> metrics, ckpts;
    QObject::connect(&sdk, &SdkChannel::lastStep, [&](qint64 t) { total = t; });
    QObject::connect(&sdk, &SdkChannel::stepInfo, [&](qint64 s, double) { steps.append(s); });
    QObject::connect(&sdk, &SdkChannel::metric, [&](const QJsonObject &m) { metrics.append(m); });
    QObject::connect(&sdk, &SdkChannel::checkpoint, [&](const QJsonObject &c) { ckpts.append(c); });

    // Blocking opens, as the SDK does: the agent holds both ends, so none waits.
    SdkEnd lastStep(dir.path(), SdkChannel::Pipe::LastStep, O_WRONLY);
    SdkEnd stepInfo(dir.path(), SdkChannel::Pipe::StepInfo, O_WRONLY);
    SdkEnd metric(dir.path(), SdkChannel::Pipe::Metric, O_WRONLY);
    SdkEnd ckpt(dir.path(), SdkChannel::Pipe::Ckpt, O_WRONLY);
    SdkEnd ack(dir.path(), SdkChannel::Pipe::Ack, O_RDONLY);
    ASSERT_TRUE(lastStep.ok() && stepInfo.ok() && metric.ok() && ckpt.ok() && ack.ok());

    lastStep.send({{QStringLiteral("step"), 100}});
    ASSERT_TRUE(processEventsUntil([&] { return total == 100; }, 3000));
    for (int step = 1; step <= 3; ++step) {
        stepInfo.send({{QStringLiteral("step"), step}, {QStringLiteral("step_time"), 0.5}});
        ASSERT_TRUE(processEventsUntil([&] { return steps.size() == step; }, 3000));
        EXPECT_EQ(ack.receive().value(QStringLiteral("status")).toString(),
                  QStringLiteral("SUCCESS"));
    }
    EXPECT_EQ(steps, (QList<qint64>{1, 2, 3}));
    EXPECT_EQ(sdk.stepsAcknowledged(), 3);

    // A frame split over several writes.
    const QByteArray frame = encodeFrame("{\"loss\":0.25,\"step\":3,\"rank\":0,\"local_rank\":0}");
    metric.write(frame.left(3));
    metric.write(frame.mid(3, 10));
    metric.write(frame.mid(13));
    ASSERT_TRUE(processEventsUntil([&] { return metrics.size() == 1; }, 3000));
    EXPECT_EQ(metrics[0].value(QStringLiteral("loss")).toDouble(), 0.25);

    ckpt.send(
        {{QStringLiteral("step"), 3}, {QStringLiteral("save_type"), QStringLiteral("NORMAL")}});
    ASSERT_TRUE(processEventsUntil([&] { return ckpts.size() == 1; }, 3000));
}

TEST(SdkChannel, EmergencySaveWaitsInThePipe)
{
    QTemporaryDir dir;
    SdkChannel sdk;
    QString error;
    ASSERT_TRUE(sdk.open(dir.path(), 0, &error));
    // Nobody reads yet: the write does not block and is not lost.
    EXPECT_TRUE(sdk.sendEmergencySave(-1));
    SdkEnd reader(dir.path(), SdkChannel::Pipe::EmergencySave, O_RDONLY | O_NONBLOCK);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(reader.receive().value(QStringLiteral("emergency_save_step")).toInteger(), -1);
}

TEST(SdkChannel, BadFramesAreReportedAndSkipped)
{
    QTemporaryDir dir;
    SdkChannel sdk;
    QString error;
    ASSERT_TRUE(sdk.open(dir.path(), 0, &error));
    QStringList problems;
    QList<QJsonObject> metrics;
    QObject::connect(&sdk, &SdkChannel::protocolError,
                     [&](const QString &e) { problems.append(e); });
    QObject::connect(&sdk, &SdkChannel::metric, [&](const QJsonObject &m) { metrics.append(m); });
    SdkEnd metric(dir.path(), SdkChannel::Pipe::Metric, O_WRONLY);
    pf::test::ExpectQtWarning allowed(QStringLiteral("metric"));
    metric.write(encodeFrame("not json"));
    QByteArray header(4, '\0');
    header[2] = 0x20; // 2 MiB
    metric.write(header);
    ASSERT_TRUE(processEventsUntil([&] { return problems.size() == 2; }, 3000));
    // The payload is more than a pipe holds: written from another thread
    // while the channel reads (and discards) it here.
    std::thread writer([&metric] {
        metric.write(QByteArray(2 * 1024 * 1024, 'x'));
        metric.send({{QStringLiteral("acc"), 0.5}});
    });
    const bool arrived = processEventsUntil([&] { return metrics.size() == 1; }, 5000);
    writer.join();
    ASSERT_TRUE(arrived);
    EXPECT_EQ(problems.size(), 2);
    EXPECT_EQ(metrics[0].value(QStringLiteral("acc")).toDouble(), 0.5);
}
