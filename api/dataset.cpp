// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "dataset.h"

#include "api/json.h"
#include "api/page.h"

using namespace Qt::StringLiterals;

namespace pf::api {

StoredFile StoredFile::fromJson(const QJsonObject &o)
{
    return {readString(o, "name"_L1), readString(o, "path"_L1), readTime(o, "mtime"_L1),
            readInt64(o, "size"_L1), readString(o, "download_url"_L1)};
}

QJsonObject StoredFile::toJson() const
{
    QJsonObject o{
        {u"name"_s, name}, {u"path"_s, path}, {u"mtime"_s, timeToJson(mtime)}, {u"size"_s, size}};
    if (!downloadUrl.isEmpty())
        o.insert(u"download_url"_s, downloadUrl);
    return o;
}

qint64 Dataset::totalSize() const
{
    qint64 total = 0;
    for (const StoredFile &f : files)
        total += f.size;
    return total;
}

Dataset Dataset::fromJson(const QJsonObject &o)
{
    Dataset d;
    d.id = readInt64(o, "id"_L1);
    d.name = readString(o, "name"_L1);
    d.vendor = readString(o, "vendor"_L1);
    d.region = readString(o, "region"_L1);
    d.storageName = readString(o, "storage_name"_L1);
    d.credentialId = readString(o, "credential_id"_L1);
    d.metadata = readObject(o, "metadata"_L1);
    d.files = listFromJson<StoredFile>(readArray(o, "files"_L1));
    d.active = readBool(o, "active"_L1);
    d.createdAt = readTime(o, "created_at"_L1);
    return d;
}

QJsonObject Dataset::toJson() const
{
    return {{u"id"_s, id},
            {u"name"_s, name},
            {u"vendor"_s, vendor},
            {u"region"_s, region},
            {u"storage_name"_s, storageName},
            {u"credential_id"_s, stringOrNull(credentialId)},
            {u"metadata"_s, metadata},
            {u"files"_s, toJsonArray(files)},
            {u"active"_s, active},
            {u"created_at"_s, timeToJson(createdAt)}};
}

} // namespace pf::api
