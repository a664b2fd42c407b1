// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include "server/jobs/multipart.h"
#include "tests/server/servertestutil.h"

using namespace Qt::StringLiterals;
using pf::server::Multipart;
using pf::server::MultipartPart;
using pf::servertest::writeFile;

namespace {

// Read sizes that split every boundary somewhere, plus the default.
const QList<qint64> kChunkSizes = {1, 2, 3, 5, 7, 13, 64, 1000, Multipart::DefaultChunkBytes};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Binary content that looks like delimiters without being one.
QByteArray trickyBinary(const QByteArray &boundary)
{
    QByteArray data;
    data += "\r\n";
    data += "--";
    data += "\r\n--";
    data += "\r\n--" + boundary.left(boundary.size() - 1); // one byte short
    data += "\r\n-" + boundary;                            // one dash short
    data += "--" + boundary + "\r\n";                      // no CRLF before it
    data += QByteArray("\0\xff\r\r\n\n\x01", 7);
    for (int i = 0; i < 256; ++i)
        data += char(i);
    data += "\r\n\r\n";
    data += "\r"; // a lone CR right before the real delimiter
    return data;
}

class MultipartTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        ASSERT_TRUE(QDir(m_dir.path()).mkpath(u"spool"_s));
    }

    QString bodyPath() const { return m_dir.filePath(u"body"_s); }
    QString spoolDir() const { return m_dir.filePath(u"spool"_s); }
    QStringList spooled() const
    {
        return QDir(spoolDir()).entryList(QDir::Files | QDir::Hidden, QDir::Name);
    }

    std::optional<QList<MultipartPart>> parse(const QByteArray &body, const QByteArray &contentType,
                                              qint64 chunk = Multipart::DefaultChunkBytes,
                                              qint64 maxField = 1024LL * 1024)
    {
        EXPECT_TRUE(writeFile(bodyPath(), body));
        m_error.clear();
        return Multipart::parse(bodyPath(), contentType, spoolDir(), maxField, &m_error, chunk);
    }

    // Parses `body` with every chunk size; the parts of the last run.
    QList<MultipartPart> parseAllChunkings(const QByteArray &body, const QByteArray &contentType)
    {
        QList<MultipartPart> last;
        for (const qint64 chunk : kChunkSizes) {
            SCOPED_TRACE(chunk);
            for (const QString &f : spooled())
                QFile::remove(QDir(spoolDir()).filePath(f));
            const auto parts = parse(body, contentType, chunk);
            EXPECT_TRUE(parts.has_value()) << m_error.toStdString();
            if (!parts)
                return {};
            if (!last.isEmpty()) {
                EXPECT_EQ(parts->size(), last.size());
                for (qsizetype i = 0; i < std::min(parts->size(), last.size()); ++i) {
                    EXPECT_EQ(parts->at(i).name, last.at(i).name);
                    EXPECT_EQ(parts->at(i).data, last.at(i).data);
                    EXPECT_EQ(parts->at(i).size, last.at(i).size);
                    if (!parts->at(i).filePath.isEmpty()) {
                        EXPECT_EQ(readAll(parts->at(i).filePath).size(), parts->at(i).size);
                    }
                }
            }
            last = *parts;
        }
        return last;
    }

    // Every chunk size fails with an error containing `fragment` and leaves
    // no spooled file behind.
    void expectError(const QByteArray &body, const QByteArray &contentType, const QString &fragment,
                     qint64 maxField = 1024LL * 1024)
    {
        for (const qint64 chunk : kChunkSizes) {
            SCOPED_TRACE(chunk);
            const auto parts = parse(body, contentType, chunk, maxField);
            EXPECT_FALSE(parts.has_value());
            EXPECT_TRUE(m_error.contains(fragment))
                << "error: " << m_error.toStdString() << "\nexpected: " << fragment.toStdString();
            EXPECT_EQ(spooled(), QStringList()) << "spooled files must be removed on failure";
        }
    }

    QTemporaryDir m_dir;
    QString m_error;
};

TEST_F(MultipartTest, ParsesAPythonRequestsBody)
{
    // requests.post(url, data={"data": spec}, files={"workspace_zip": ("workspace.zip", f)})
    const QByteArray boundary = "3b3ac3f4b4e6d1e1c8a3c9e5f1a2b3c4";
    const QByteArray spec = R"({"name": "cifar", "vm_config_id": 1, "num_devices": 1})";
    const QByteArray zip = "PK\x03\x04" + QByteArray(1000, 'z') + "PK\x05\x06";
    const QByteArray body = "--" + boundary + "\r\n" +
                            "Content-Disposition: form-data; name=\"data\"\r\n\r\n" + spec +
                            "\r\n--" + boundary + "\r\n" +
                            "Content-Disposition: form-data; name=\"workspace_zip\"; "
                            "filename=\"workspace.zip\"\r\n\r\n" +
                            zip + "\r\n--" + boundary + "--\r\n";
    const auto parts = parseAllChunkings(body, "multipart/form-data; boundary=" + boundary);
    ASSERT_EQ(parts.size(), 2);
    EXPECT_EQ(parts[0].name, u"data"_s);
    EXPECT_EQ(parts[0].data, spec);
    EXPECT_EQ(parts[0].size, spec.size());
    EXPECT_TRUE(parts[0].filePath.isEmpty());
    EXPECT_TRUE(parts[0].filename.isEmpty());
    EXPECT_EQ(parts[1].name, u"workspace_zip"_s);
    EXPECT_EQ(parts[1].filename, u"workspace.zip"_s);
    EXPECT_TRUE(parts[1].data.isEmpty());
    EXPECT_EQ(parts[1].size, zip.size());
    ASSERT_FALSE(parts[1].filePath.isEmpty());
    EXPECT_EQ(QFileInfo(parts[1].filePath).absolutePath(), QDir(spoolDir()).absolutePath());
    EXPECT_EQ(readAll(parts[1].filePath), zip);
}

TEST_F(MultipartTest, ParsesACurlBody)
{
    // curl -F data=@spec.json -F workspace_zip=@workspace.zip
    const QByteArray boundary = "------------------------d74496d66958873e";
    const QByteArray spec = "{\"name\": \"job\"}\n";
    const QByteArray zip = trickyBinary(boundary);
    const QByteArray body =
        "--" + boundary + "\r\n" +
        "Content-Disposition: form-data; name=\"data\"; filename=\"spec.json\"\r\n" +
        "Content-Type: application/json\r\n\r\n" + spec + "\r\n--" + boundary + "\r\n" +
        "Content-Disposition: form-data; name=\"workspace_zip\"; filename=\"workspace.zip\"\r\n" +
        "Content-Type: application/zip\r\n\r\n" + zip + "\r\n--" + boundary + "--\r\n";
    const auto parts = parseAllChunkings(body, "multipart/form-data; boundary=" + boundary);
    ASSERT_EQ(parts.size(), 2);
    EXPECT_EQ(parts[0].filename, u"spec.json"_s);
    EXPECT_EQ(parts[0].contentType, u"application/json"_s);
    EXPECT_EQ(readAll(parts[0].filePath), spec);
    EXPECT_EQ(parts[1].contentType, u"application/zip"_s);
    EXPECT_EQ(readAll(parts[1].filePath), zip) << "CRLF and '--' inside content survive";
    EXPECT_EQ(parts[1].size, zip.size());
}

TEST_F(MultipartTest, PreambleEpilogueAndPadding)
{
    const QByteArray body = "This is the preamble; ignore it.\r\n--b\r\n"
                            "Content-Disposition: form-data; name=a\r\n\r\n"
                            "1\r\n--b  \t\r\n" // transport padding
                            "Content-Disposition: form-data; name=b\r\n\r\n"
                            "\r\n\r\n--b--\r\nThis is the epilogue.\r\n--b\r\nnot a part";
    const auto parts = parseAllChunkings(body, "multipart/form-data; boundary=b");
    ASSERT_EQ(parts.size(), 2);
    EXPECT_EQ(parts[0].data, QByteArray("1"));
    EXPECT_EQ(parts[1].data, QByteArray("\r\n"));
}

TEST_F(MultipartTest, QuotedBoundaryAndParameters)
{
    const QByteArray boundary = "simple boundary:with=odd'chars(+_,-./?)";
    const QByteArray body = "--" + boundary + "\r\n" +
                            "content-disposition: FORM-DATA ; NAME = \"field \\\"one\\\"\" ;"
                            " filename=\"a \\\"quoted\\\" name;.zip\"\r\n" +
                            "Content-Type: text/plain; charset=utf-8\r\n" +
                            "X-Ignored: yes\r\n\r\n" + "value" + "\r\n--" + boundary + "\r\n" +
                            "Content-Disposition: form-data; filename=\"\"; name=empty\r\n\r\n" +
                            "\r\n--" + boundary + "--";
    const auto parts = parseAllChunkings(body, "Multipart/Form-Data; charset=utf-8; boundary=\"" +
                                                   boundary + "\"");
    ASSERT_EQ(parts.size(), 2);
    EXPECT_EQ(parts[0].name, u"field \"one\""_s);
    EXPECT_EQ(parts[0].filename, u"a \"quoted\" name;.zip"_s);
    EXPECT_EQ(parts[0].contentType, u"text/plain; charset=utf-8"_s);
    EXPECT_EQ(readAll(parts[0].filePath), QByteArray("value"));
    EXPECT_EQ(parts[1].name, u"empty"_s);
    EXPECT_EQ(parts[1].filename, QString());
    EXPECT_FALSE(parts[1].filePath.isEmpty()) << "filename=\"\" still makes a file part";
    EXPECT_EQ(parts[1].size, 0);
}

TEST_F(MultipartTest, NonAsciiNames)
{
    const QByteArray body = "--b\r\nContent-Disposition: form-data; name=\"d\xc3\xa4ta\"; "
                            "filename=\"\xe6\x97\xa5\xe6\x9c\xac.zip\"\r\n\r\nx\r\n--b--";
    const auto parts = parse(body, "multipart/form-data; boundary=b");
    ASSERT_TRUE(parts) << m_error.toStdString();
    EXPECT_EQ(parts->at(0).name, u"d\u00e4ta"_s);
    EXPECT_EQ(parts->at(0).filename, u"\u65e5\u672c.zip"_s);
}

TEST_F(MultipartTest, MissingFinalBoundary)
{
    const QByteArray start = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n";
    expectError(start + "value", "multipart/form-data; boundary=b", u"closing"_s);
    expectError(start + "value\r\n--b", "multipart/form-data; boundary=b", u"closing"_s);
    expectError(start + "value\r\n--b\r\n", "multipart/form-data; boundary=b",
                u"inside the headers of part 2"_s);
    // A file part that was being spooled is removed too.
    expectError("--b\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n" +
                    QByteArray(5000, 'f'),
                "multipart/form-data; boundary=b", u"closing"_s);
}

TEST_F(MultipartTest, BoundaryNotInBody)
{
    expectError("no delimiter here at all", "multipart/form-data; boundary=b",
                u"does not contain the multipart boundary"_s);
    expectError(QByteArray(), "multipart/form-data; boundary=b",
                u"does not contain the multipart boundary"_s);
}

TEST_F(MultipartTest, MalformedBoundaryLinesAndHeaders)
{
    const QByteArray ct = "multipart/form-data; boundary=b";
    expectError("--bX\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--", ct,
                u"unexpected characters after the boundary"_s);
    expectError("--b\nContent-Disposition: form-data; name=a\n\n1\n--b--", ct,
                u"unexpected characters after the boundary"_s);
    expectError("--b\r\n\r\n1\r\n--b--", ct, u"Part 1 has no Content-Disposition"_s);
    expectError("--b\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--b--", ct,
                u"not form data"_s);
    expectError("--b\r\nContent-Disposition: form-data; filename=a\r\n\r\n1\r\n--b--", ct,
                u"no field name"_s);
    expectError("--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--b--", ct,
                u"malformed Content-Disposition"_s);
    expectError("--b\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n--b--", ct,
                u"malformed Content-Disposition"_s);
    expectError("--b\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n1\r\n--b--", ct,
                u"folded header"_s);
    expectError("--b\r\nno colon\r\n\r\n1\r\n--b--", ct, u"malformed header line"_s);
}

TEST_F(MultipartTest, HeaderSizeLimit)
{
    const QByteArray ct = "multipart/form-data; boundary=b";
    const QByteArray disposition = "Content-Disposition: form-data; name=a\r\n";
    const QByteArray filler = "X-Filler: " + QByteArray(Multipart::MaxHeaderBytes, 'f');
    expectError("--b\r\n" + disposition + filler + "\r\n\r\n1\r\n--b--", ct,
                u"headers of part 1 are larger than 8.0 KiB"_s);
    // Headers that never end are cut off at the limit, not read to the end.
    expectError("--b\r\n" + disposition + QByteArray(100LL * 1024, 'h'), ct,
                u"headers of part 1 are larger"_s);
    // Exactly at the limit is fine.
    QByteArray headers = disposition + "X-Filler: ";
    headers += QByteArray(Multipart::MaxHeaderBytes - headers.size(), 'f');
    ASSERT_EQ(headers.size(), Multipart::MaxHeaderBytes);
    const auto parts = parse("--b\r\n" + headers + "\r\n\r\n1\r\n--b--", ct, 7);
    ASSERT_TRUE(parts) << m_error.toStdString();
    EXPECT_EQ(parts->at(0).data, QByteArray("1"));
}

TEST_F(MultipartTest, TooManyParts)
{
    const auto body = [](int n) -> QByteArray {
        QByteArray out;
        for (int i = 0; i < n; ++i)
            out += "--b\r\nContent-Disposition: form-data; name=f" + QByteArray::number(i) +
                   "; filename=x\r\n\r\n" + QByteArray::number(i) + "\r\n";
        return out + "--b--\r\n";
    };
    const auto parts = parse(body(Multipart::MaxParts), "multipart/form-data; boundary=b", 5);
    ASSERT_TRUE(parts) << m_error.toStdString();
    EXPECT_EQ(parts->size(), Multipart::MaxParts);
    for (const MultipartPart &p : *parts)
        QFile::remove(p.filePath);
    expectError(body(Multipart::MaxParts + 1), "multipart/form-data; boundary=b",
                u"more than 16 parts"_s);
}

TEST_F(MultipartTest, OversizedField)
{
    const QByteArray body = "--b\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n" +
                            QByteArray(100, 'x') + "\r\n--b\r\n" +
                            "Content-Disposition: form-data; name=data\r\n\r\n" +
                            QByteArray(11, 'y') + "\r\n--b--";
    expectError(body, "multipart/form-data; boundary=b",
                u"The form field \"data\" is larger than 10 bytes"_s, 10);
    // 10 bytes fit; file parts are not bound by the field limit.
    const QByteArray fits = "--b\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n" +
                            QByteArray(100, 'x') + "\r\n--b\r\n" +
                            "Content-Disposition: form-data; name=data\r\n\r\n" +
                            QByteArray(10, 'y') + "\r\n--b--";
    const auto parts = parse(fits, "multipart/form-data; boundary=b", 3, 10);
    ASSERT_TRUE(parts) << m_error.toStdString();
    EXPECT_EQ(parts->at(1).data, QByteArray(10, 'y'));
}

TEST_F(MultipartTest, ContentTypeErrors)
{
    QString error;
    EXPECT_FALSE(Multipart::boundary("application/json", &error));
    EXPECT_EQ(error, u"The request is not multipart/form-data."_s);
    EXPECT_FALSE(Multipart::boundary("multipart/mixed; boundary=b", &error));
    EXPECT_FALSE(Multipart::boundary("multipart/form-data", &error));
    EXPECT_TRUE(error.contains(u"no boundary"_s)) << error.toStdString();
    EXPECT_FALSE(Multipart::boundary("multipart/form-data; boundary=", &error));
    EXPECT_FALSE(Multipart::boundary("multipart/form-data; boundary=\"\"", &error));
    EXPECT_FALSE(
        Multipart::boundary("multipart/form-data; boundary=" + QByteArray(71, 'a'), &error));
    EXPECT_TRUE(error.contains(u"not valid"_s)) << error.toStdString();
    EXPECT_FALSE(Multipart::boundary("multipart/form-data; boundary=\"ends in space \"", &error));
    EXPECT_FALSE(Multipart::boundary("multipart/form-data; boundary=\"a\\\"b\"", &error));
    EXPECT_FALSE(Multipart::boundary("multipart/form-data; boundary=\"unterminated", &error));
    EXPECT_EQ(Multipart::boundary("multipart/form-data; boundary=" + QByteArray(70, 'a'), &error),
              std::optional<QByteArray>(QByteArray(70, 'a')));
    EXPECT_EQ(Multipart::boundary("multipart/form-data;boundary=\"x y\";charset=utf-8", &error),
              std::optional<QByteArray>("x y"));

    EXPECT_FALSE(parse("--b--", "text/plain"));
    EXPECT_EQ(m_error, u"The request is not multipart/form-data."_s);
}

TEST_F(MultipartTest, StreamsALargeFileToDisk)
{
    // 50 MB of pseudo-random bytes, written and hashed piece by piece.
    constexpr qint64 kSize = 50LL * 1000 * 1000;
    const QByteArray boundary = "----pfstudio-large-upload";
    QCryptographicHash expected(QCryptographicHash::Sha256);
    {
        QFile body(bodyPath());
        ASSERT_TRUE(body.open(QIODevice::WriteOnly));
        body.write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n" +
                   "{}\r\n--" + boundary + "\r\n" +
                   "Content-Disposition: form-data; name=\"workspace_zip\"; "
                   "filename=\"workspace.zip\"\r\nContent-Type: application/zip\r\n\r\n");
        QRandomGenerator rng(42);
        QByteArray piece(1024LL * 1024, Qt::Uninitialized);
        for (qint64 written = 0; written < kSize;) {
            const qint64 n = std::min<qint64>(piece.size(), kSize - written);
            rng.fillRange(reinterpret_cast<quint32 *>(piece.data()), piece.size() / 4);
            // Plant delimiter look-alikes now and then.
            piece.replace(1000, 8, QByteArray("\r\n--" + boundary.left(4)));
            ASSERT_EQ(body.write(piece.constData(), n), n);
            expected.addData(QByteArrayView(piece.constData(), n));
            written += n;
        }
        body.write("\r\n--" + boundary + "--\r\n");
    }
    rusage before = {};
    ::getrusage(RUSAGE_SELF, &before);
    QString error;
    const auto parts = Multipart::parse(bodyPath(), "multipart/form-data; boundary=" + boundary,
                                        spoolDir(), 1024, &error);
    rusage after = {};
    ::getrusage(RUSAGE_SELF, &after);
    ASSERT_TRUE(parts) << error.toStdString();
    ASSERT_EQ(parts->size(), 2);
    const MultipartPart &file = parts->at(1);
    EXPECT_EQ(file.size, kSize);
    EXPECT_EQ(QFileInfo(file.filePath).size(), kSize);
    QFile spooled(file.filePath);
    ASSERT_TRUE(spooled.open(QIODevice::ReadOnly));
    QCryptographicHash actual(QCryptographicHash::Sha256);
    ASSERT_TRUE(actual.addData(&spooled));
    EXPECT_EQ(actual.result().toHex(), expected.result().toHex());
    // The peak resident size may not grow by anything like the file's size.
    EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 16 * 1024) << "KiB";
}

} // namespace
