using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Plugboard.Server.Connections;
using Plugboard.Server.Flows;
using Plugboard.Server.Http;

namespace Plugboard.Server.OpenApi;

/// Query parameters as clients should send them. `limit` is bound as a string so that garbage is the contract's
/// 400 VALIDATION rather than the framework's, but it is a whole number from 1 to 100; `status` and `scope` are enums.
public sealed class OpenApiParameters : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var flows = context.Description.RelativePath?.StartsWith("api/v1/flows", StringComparison.Ordinal) ?? false;
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            switch (parameter.Name)
            {
                case "limit":
                    parameter.Description = $"How many items a page holds, 1 to {PageRequest.MaxLimit}.";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = PageRequest.MaxLimit.ToString(CultureInfo.InvariantCulture) };
                    break;
                case "cursor":
                    parameter.Description = "The `next` or `previous` cursor of a page this route returned.";
                    break;
                case "status" when flows:
                    parameter.Description = "Only flows with this status.";
                    parameter.Schema = Enum(WireEnum<FlowStatus>.Names);
                    break;
                case "status":
                    parameter.Description = "Only connections with one of these statuses (repeat the parameter for several).";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Enum(WireEnum<ConnectionStatus>.Names) };
                    break;
                case "scope":
                    parameter.Description = "Only the project's own connections (PROJECT) or the global ones shared with it (PLATFORM).";
                    parameter.Schema = Enum(WireEnum<ConnectionScope>.Names);
                    break;
            }
        }
        return Task.CompletedTask;
    }

    public static OpenApiSchema Enum(IEnumerable<string> names) => new()
    {
        Type = JsonSchemaType.String,
        Enum = names.Select(n => (JsonNode)JsonValue.Create(n)).ToList(),
    };
}
