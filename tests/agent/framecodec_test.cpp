// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <gtest/gtest.h>

#include <QtEndian>

#include "agent/framecodec.h"
#include "tests/agent/agenttestutil.h"

using pf::agent::encodeFrame;
using pf::agent::FrameDecoder;

TEST(FrameCodec, EncodeIsLittleEndianLengthThenPayload)
{
    const QByteArray frame = encodeFrame("{\"status\":\"SUCCESS\"}");
    ASSERT_EQ(frame.size(), 4 + 20);
    EXPECT_EQ(frame.left(4), QByteArray("\x14\x00\x00\x00", 4));
    EXPECT_EQ(frame.mid(4), QByteArray("{\"status\":\"SUCCESS\"}"));
    EXPECT_EQ(encodeFrame({}), QByteArray(4, '\0'));
}

TEST(FrameCodec, DecodesFramesAcrossAnyChunking)
{
    const QList<QByteArray> payloads = {"{\"step\":1}", "{}", QByteArray(300, 'x'),
                                        "{\"a\":\"\xC3\xA9\"}"};
    QByteArray stream;
    for (const QByteArray &p : payloads)
        stream += encodeFrame(p);
    for (qsizetype chunk = 1; chunk <= stream.size(); chunk += (chunk < 10 ? 1 : 37)) {
        FrameDecoder decoder;
        QList<QByteArray> frames;
        QStringList errors;
        for (qsizetype pos = 0; pos < stream.size(); pos += chunk)
            decoder.feed(QByteArrayView(stream).sliced(pos, qMin(chunk, stream.size() - pos)),
                         &frames, &errors);
        EXPECT_EQ(frames, payloads) << "chunk " << chunk;
        EXPECT_TRUE(errors.isEmpty());
        EXPECT_EQ(decoder.pendingBytes(), 0);
    }
}

TEST(FrameCodec, OversizedFrameIsSkippedAndTheNextOneStillDecodes)
{
    FrameDecoder decoder(16);
    QByteArray big(4, '\0');
    qToLittleEndian<quint32>(40, big.data());
    big += QByteArray(40, 'z');
    const QByteArray stream = encodeFrame("{\"ok\":1}") + big + encodeFrame("{\"ok\":2}");
    for (qsizetype chunk : {qsizetype(1), qsizetype(3), qsizetype(7), stream.size()}) {
        FrameDecoder d(16);
        QList<QByteArray> frames;
        QStringList errors;
        for (qsizetype pos = 0; pos < stream.size(); pos += chunk)
            d.feed(QByteArrayView(stream).sliced(pos, qMin(chunk, stream.size() - pos)), &frames,
                   &errors);
        EXPECT_EQ(frames, (QList<QByteArray>{"{\"ok\":1}", "{\"ok\":2}"})) << "chunk " << chunk;
        ASSERT_EQ(errors.size(), 1);
        EXPECT_TRUE(errors[0].contains(QStringLiteral("40 bytes"))) << errors[0].toStdString();
    }
}

TEST(FrameCodec, DefaultLimitIsOneMebibyte)
{
    FrameDecoder decoder;
    QList<QByteArray> frames;
    QStringList errors;
    decoder.feed(encodeFrame(QByteArray(1024 * 1024, 'a')), &frames, &errors);
    EXPECT_EQ(frames.size(), 1);
    QByteArray header(4, '\0');
    qToLittleEndian<quint32>(1024 * 1024 + 1, header.data());
    decoder.feed(header, &frames, &errors);
    EXPECT_EQ(errors.size(), 1);
    // The announced payload is discarded as it comes, never buffered.
    decoder.feed(QByteArray(1024 * 1024 + 1, 'b'), &frames, &errors);
    EXPECT_EQ(decoder.pendingBytes(), 0);
    decoder.feed(encodeFrame("{}"), &frames, &errors);
    EXPECT_EQ(frames.size(), 2);
    EXPECT_EQ(frames.last(), QByteArray("{}"));
}
