// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "checkpoint.h"

#include "api/json.h"
#include "api/page.h"

using namespace Qt::StringLiterals;

namespace pf::api {

CheckpointForm CheckpointForm::fromJson(const QJsonObject &o)
{
    return {readString(o, "id"_L1),
            readString(o, "vendor"_L1),
            readString(o, "region"_L1),
            readString(o, "storage_name"_L1),
            readString(o, "form_category"_L1),
            listFromJson<StoredFile>(readArray(o, "files"_L1))};
}

QJsonObject CheckpointForm::toJson() const
{
    return {{u"id"_s, id},
            {u"vendor"_s, vendor},
            {u"region"_s, region},
            {u"storage_name"_s, storageName},
            {u"form_category"_s, formCategory},
            {u"files"_s, toJsonArray(files)}};
}

qint64 Checkpoint::totalSize() const
{
    qint64 total = 0;
    for (const CheckpointForm &form : forms) {
        for (const StoredFile &f : form.files)
            total += f.size;
    }
    return total;
}

Checkpoint Checkpoint::fromJson(const QJsonObject &o)
{
    Checkpoint c;
    c.id = readString(o, "id"_L1);
    c.name = readString(o, "name"_L1);
    c.modelCategory = readString(o, "model_category"_L1);
    c.jobId = readString(o, "job_id"_L1);
    c.iteration = readInt64(o, "iteration"_L1);
    c.createdAt = readTime(o, "created_at"_L1);
    c.attributes = readObject(o, "attributes"_L1);
    c.deleted = readBool(o, "deleted"_L1);
    c.deletedAt = readTime(o, "deleted_at"_L1);
    c.hardDeleted = readBool(o, "hard_deleted"_L1);
    c.forms = listFromJson<CheckpointForm>(readArray(o, "forms"_L1));
    return c;
}

QJsonObject Checkpoint::toJson() const
{
    return {{u"id"_s, id},
            {u"name"_s, name},
            {u"model_category"_s, modelCategory},
            {u"job_id"_s, stringOrNull(jobId)},
            {u"iteration"_s, iteration},
            {u"created_at"_s, timeToJson(createdAt)},
            {u"attributes"_s, attributes},
            {u"deleted"_s, deleted},
            {u"deleted_at"_s, timeToJson(deletedAt)},
            {u"hard_deleted"_s, hardDeleted},
            {u"forms"_s, toJsonArray(forms)}};
}

} // namespace pf::api
