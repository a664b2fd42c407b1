// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "urlsigner.h"

#include <sodium.h>

namespace pf::server {

namespace {
constexpr auto kBase64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
} // namespace

UrlSigner::UrlSigner(QByteArray key)
    : m_key(std::move(key))
{}

QByteArray UrlSigner::mac(const QByteArray &method, const QString &resource,
                          qint64 expiresAtSecs) const
{
    const QByteArray message =
        method + '\n' + resource.toUtf8() + '\n' + QByteArray::number(expiresAtSecs);
    QByteArray out(crypto_auth_hmacsha256_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char *>(m_key.constData()),
                                size_t(m_key.size()));
    crypto_auth_hmacsha256_update(&state,
                                  reinterpret_cast<const unsigned char *>(message.constData()),
                                  size_t(message.size()));
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

QString UrlSigner::sign(const QByteArray &method, const QString &resource,
                        qint64 expiresAtSecs) const
{
    return QStringLiteral("expires=%1&sig=%2")
        .arg(expiresAtSecs)
        .arg(QString::fromLatin1(mac(method, resource, expiresAtSecs).toBase64(kBase64)));
}

UrlSigner::Check UrlSigner::check(const QByteArray &method, const QString &resource,
                                  const QString &expires, const QString &signature,
                                  qint64 nowSecs) const
{
    bool ok = false;
    const qint64 expiresAt = expires.toLongLong(&ok);
    if (!ok || expiresAt <= 0 || signature.size() > 64)
        return Check::Malformed;
    const auto decoded = QByteArray::fromBase64Encoding(
        signature.toLatin1(), kBase64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != crypto_auth_hmacsha256_BYTES)
        return Check::Malformed;
    const QByteArray expected = mac(method, resource, expiresAt);
    if (sodium_memcmp(expected.constData(), decoded.decoded.constData(), size_t(expected.size())) !=
        0)
        return Check::BadSignature;
    return expiresAt < nowSecs ? Check::Expired : Check::Ok;
}

} // namespace pf::server
