using System.Net;
using System.Text.Json;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Definitions;

/// The calls the definition tests share: definitions of each kind, connections made from them, engine reads.
internal static class DefinitionCalls
{
    public const string Piece = "@acme/piece-crm";

    public static object CustomAuth(string stableKey, object? globals, string credentials = "CUSTOMER", string? suppliedBy = null, bool? embedded = null,
        object? value = null, string[]? projectIds = null) => new
    {
        stableKey,
        displayName = "Acme CRM",
        pieceName = Piece,
        type = "CUSTOM_AUTH",
        credentials,
        suppliedBy,
        globalValues = globals,
        embedded,
        value,
        projectIds,
    };

    public static async Task<string> DefineAsync(this HttpClient admin, object body) =>
        (await admin.ApiPostAsync("/api/v1/connection-definitions", body)).AssertStatus(HttpStatusCode.Created).Str("id");

    /// A CUSTOM_AUTH connection of the project made from the definition with the customer's own props.
    public static Task<ApiResponse> ConnectAsync(this HttpClient client, string projectId, string definition, object props, string? externalId = null) =>
        client.ApiPostAsync("/api/v1/app-connections", new { projectId, definition, externalId, value = new { type = "CUSTOM_AUTH", props } });

    public static async Task<string> TestRunTokenAsync(this HttpClient admin, string projectId) =>
        (await admin.ApiPostAsync("/api/v1/engine-tokens", new { projectId, ttlSeconds = 3600, testRun = true })).AssertStatus(HttpStatusCode.OK).Str("token");

    /// The props an engine read answered, as name → string.
    public static Dictionary<string, string?> Props(this ApiResponse read) =>
        read.AssertStatus(HttpStatusCode.OK).Body.GetProperty("value").GetProperty("props").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText());
}
