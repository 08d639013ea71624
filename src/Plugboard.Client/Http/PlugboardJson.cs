using System.Text.Json;
using System.Text.Json.Serialization;

namespace Plugboard.Client.Http;

/// The API's JSON: camelCase names, enums as their contract strings, nulls left out of requests (a
/// missing field means "leave it as it is" on every update route).
internal static class PlugboardJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter() },
            // A connection value comes back as it was stored, in its writer's order: `type` (the union's
            // discriminator) may follow the fields, as when a caller sent it last or inherited values were merged in.
            AllowOutOfOrderMetadataProperties = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
