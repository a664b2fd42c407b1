// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include <QString>

#include "api/roles.h"
#include "network/pfapi.h"

namespace pf::network {
class TransferQueue;
}

namespace pf::models {

// Where the studio is looking: the signed-in user, the org and project picked
// in the sidebar, and the caller's roles there (which decide what actions are
// shown; the server checks them again). `api` is null while signed out.
// A plain value: panes and models get a new one on every switch.
struct Workspace
{
    network::PfApi *api = nullptr;
    QString userId;
    QString username;
    QString orgId;
    QString orgName;
    QString projectId;
    QString projectName;
    api::OrgRole orgRole = api::OrgRole::Member;
    api::ProjectRole projectRole = api::ProjectRole::Guest;
    // Where uploads and downloads go (null: none, as in tests of panes
    // that do not transfer).
    network::TransferQueue *transfers = nullptr;

    bool valid() const { return api != nullptr && !projectId.isEmpty(); }
    // An org owner acts as admin in every project of the org.
    bool atLeast(api::ProjectRole role) const
    {
        return orgRole == api::OrgRole::Owner || projectRole >= role;
    }
    bool isOrgOwner() const { return orgRole == api::OrgRole::Owner; }
};

} // namespace pf::models
