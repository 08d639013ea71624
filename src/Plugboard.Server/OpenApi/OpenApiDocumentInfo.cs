using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Plugboard.Server.OpenApi;

/// The document's title, tags with descriptions, security schemes, and server URLs without a trailing slash.
public sealed class OpenApiDocumentInfo : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Projects"] = "A SaaS's customers, one project each, and the users who are members of a project.",
        ["App connections"] = "A project's own connections (credentials), upserted by externalId; never returned with their value.",
        ["Global connections"] = "PLATFORM connections shared with chosen projects. Platform API keys only.",
        ["Proxy"] = "A call to a connection's API with its credential injected by the server: the caller never holds the secret. Engine tokens, API keys and embedded users.",
        ["MCP servers"] = "A project's MCP servers (seed 003): name, tools, and a token shown only at creation and rotation, stored as its hash.",
        ["Sync"] = "A platform's set-up (pieces, OAuth providers and apps, definitions, global connections) exported and imported between instances by stable key; secrets only sealed with a passphrase. Platform API keys only.",
        ["Connection definitions"] = "How the platform offers a piece's connection (seed 004): whose credentials, inherited global values, test credentials, the embedded switch. Platform API keys write; embedded users read only the embedded ones.",
        ["OAuth apps"] = "The platform's own OAuth2 apps, used by PLATFORM_OAUTH2 connections. The client secret is never returned.",
        ["OAuth providers"] = "The OAuth2 provider catalogue: the built-in entries and the platform's own.",
        ["Webhooks"] = "Auth webhooks: endpoints notified of connection events (Standard Webhooks, signed), and their deliveries. The signing secret is shown once, at creation. Platform API keys only.",
        ["API keys"] = "Platform API keys and project-scoped API keys. A key is shown once, when it is created.",
        ["Platforms"] = "Tenants of a shared deployment. The operator key only.",
        ["Audit"] = "The platform's audit trail, newest first; filter by action, entity, project and time (from inclusive, to exclusive).",
        ["Flows"] = "A project's flows and the connections their steps reference.",
        ["Pieces"] = "The platform's registry of pieces (integrations) and their auth definitions.",
        ["Engine"] = "Engine tokens, and the worker routes a running integration reads its project and connections through.",
        ["Signing keys"] = "The RS256 keys a SaaS signs its users' external tokens with (embedding).",
        ["Managed authentication"] = "Exchanges a SaaS's signed external token for a Plugboard session token.",
        ["Users"] = "The platform's users: its owner and the embedded users managed authentication created.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Plugboard API";
        document.Info.Description =
            "Plugboard keeps the credentials (connections) that embedded integrations run on. Errors are application/problem+json " +
            "carrying the Activepieces body {statusCode, code, params} and RFC 7807 type, title, status and detail.";
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = OpenApiSecurity.Schemes();
        foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
        {
            tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
        }
        return Task.CompletedTask;
    }
}
