// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QByteArray>
#include <QString>

namespace pf::server {

// Signs and checks the query of pfd's storage URLs (/storage/...), which
// need no bearer token: the URL itself grants one method on one resource
// until it expires.
//
//   UrlSigner signer(key);                       // 32 bytes, keys/storage.key
//   QString q = signer.sign("PUT", u"object:datasets/7/a.txt"_s, expiresAt);
//   // "expires=1795000000&sig=..." to append to the URL
//   UrlSigner::Check c = signer.check("PUT", resource, expiresParam, sigParam, now);
//
// The signature is HMAC-SHA-256 over "method\nresource\nexpires", in
// unpadded base64url. A resource names what the URL may touch (an object
// key, or an upload part), so a signature for one key is worthless for
// another, for another method, or after its expiry.
class UrlSigner
{
public:
    enum class Check { Ok, Malformed, BadSignature, Expired };

    explicit UrlSigner(QByteArray key);

    QString sign(const QByteArray &method, const QString &resource, qint64 expiresAtSecs) const;
    // `expires` and `signature` are the query's values as given.
    Check check(const QByteArray &method, const QString &resource, const QString &expires,
                const QString &signature, qint64 nowSecs) const;

private:
    QByteArray mac(const QByteArray &method, const QString &resource, qint64 expiresAtSecs) const;

    QByteArray m_key;
};

} // namespace pf::server
