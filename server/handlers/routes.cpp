// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#include "routes.h"

namespace pf::server {

void addAllRoutes(Router &router, ServerContext &ctx)
{
    addAuthRoutes(router, ctx);
    addOrgRoutes(router, ctx);
    addProjectRoutes(router, ctx);
    addCredentialRoutes(router, ctx);
    addVmRoutes(router, ctx);
    addExperimentRoutes(router, ctx);
    addJobRoutes(router, ctx);
    addAgentRoutes(router, ctx);
    addStorageRoutes(router, ctx);
    addDatasetRoutes(router, ctx);
    addRegistryRoutes(router, ctx);
}

void addAllWebSocketRoutes(WebSocketRouter &router, ServerContext &ctx)
{
    addLogSocketRoutes(router, ctx);
}

} // namespace pf::server
