using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Plugboard.Server.Access;
using Plugboard.Server.Connections;
using Plugboard.Server.Embedding;
using Plugboard.Server.Flows;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;

namespace Plugboard.Server.OpenApi;

/// Schemas a client generator can use: enums are typed strings, request fields the handler parses from a
/// string carry their enum, `metadata` is an object or null, and other optional JSON is any JSON. (A connection's
/// `value` is <see cref="ConnectionValueSchemas"/>'s.)
public sealed class OpenApiSchemas : IOpenApiSchemaTransformer
{
    /// String fields with a fixed set of values: request fields bound as strings (so a wrong value is the
    /// contract's 400) that only take an enum's names, and response fields that only hold a few constants.
    private static readonly Dictionary<(Type, string), IEnumerable<string>> EnumFields = new()
    {
        [(typeof(UpsertConnectionRequest), "type")] = WireEnum<ConnectionType>.Names,
        [(typeof(UpsertGlobalConnectionRequest), "type")] = WireEnum<ConnectionType>.Names,
        [(typeof(UpsertGlobalConnectionRequest), "scope")] = [WireEnum<ConnectionScope>.Name(ConnectionScope.Platform)],
        [(typeof(CreateFlowRequest), "status")] = WireEnum<FlowStatus>.Names,
        [(typeof(UpdateFlowRequest), "status")] = WireEnum<FlowStatus>.Names,
        [(typeof(SetMemberRequest), "role")] = WireEnum<ProjectRole>.Names,
        [(typeof(OAuthProvider), "clientAuthMethod")] = ["HEADER", "BODY"],
        [(typeof(OAuthProvider), "pkceMethod")] = ["S256", "plain"],
        [(typeof(OAuthProviderDto), "source")] = [OAuthProvidersApi.BuiltInSource, OAuthProvidersApi.PlatformSource],
        [(typeof(ProjectDto), "type")] = ["TEAM"],
        [(typeof(SigningKeyDto), "algorithm")] = ["RS256"],
        [(typeof(CreatedSigningKeyDto), "algorithm")] = ["RS256"],
    };

    /// Free-form JSON objects that may be null.
    private static readonly string[] ObjectOrNullFields = ["metadata", "details"];

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type.IsEnum)
        {
            schema.Type = JsonSchemaType.String;
        }
        if (schema.Properties is not { } properties)
        {
            return Task.CompletedTask;
        }
        foreach (var name in properties.Keys.ToList())
        {
            if (EnumFields.TryGetValue((type, name), out var names))
            {
                // Left out rather than null when not wanted: one plain enum type for generators.
                properties[name] = OpenApiParameters.Enum(names);
            }
            else if (ObjectOrNullFields.Contains(name) && IsJson(type, name))
            {
                properties[name] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object | JsonSchemaType.Null,
                    Description = "Any JSON object, or null.",
                };
            }
            else if (IsJson(type, name, nullable: true))
            {
                // Not oneOf [null, {}]: a null would match both branches, which oneOf forbids.
                properties[name] = new OpenApiSchema { Description = "Any JSON value, or null." };
            }
        }
        return Task.CompletedTask;
    }

    private static bool IsJson(Type type, string jsonName, bool nullable = false) =>
        type.GetProperties().Any(p => string.Equals(p.Name, jsonName, StringComparison.OrdinalIgnoreCase) &&
            (p.PropertyType == typeof(JsonElement?) || (!nullable && p.PropertyType == typeof(JsonElement))));
}
