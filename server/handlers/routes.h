// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The pfstudio authors
#pragma once

#include "server/http/router.h"

namespace pf::server {

struct ServerContext;
class WebSocketRouter;

// A route handler that takes the shared context.
using ContextHandler = Response (*)(ServerContext &, Request &);
inline Handler bindRoute(ServerContext &ctx, ContextHandler fn)
{
    return [&ctx, fn](Request &request) { return fn(ctx, request); };
}

// One function per resource file; each adds that resource's routes.
void addAuthRoutes(Router &router, ServerContext &ctx);
void addOrgRoutes(Router &router, ServerContext &ctx);
void addProjectRoutes(Router &router, ServerContext &ctx);
void addCredentialRoutes(Router &router, ServerContext &ctx);
void addVmRoutes(Router &router, ServerContext &ctx);
void addExperimentRoutes(Router &router, ServerContext &ctx);
void addJobRoutes(Router &router, ServerContext &ctx);
void addAgentRoutes(Router &router, ServerContext &ctx);
void addStorageRoutes(Router &router, ServerContext &ctx);
void addDatasetRoutes(Router &router, ServerContext &ctx);
void addRegistryRoutes(Router &router, ServerContext &ctx);

// Websocket endpoints (/ws/), likewise.
void addLogSocketRoutes(WebSocketRouter &router, ServerContext &ctx);

// Every route of the API.
void addAllRoutes(Router &router, ServerContext &ctx);
// Every websocket endpoint.
void addAllWebSocketRoutes(WebSocketRouter &router, ServerContext &ctx);

} // namespace pf::server
