using System.Text.Json;

namespace Plugboard.Bench.Engine;

/// Before any load: each list answers a full page of the project's connections, and over the larger page
/// some rows carry flowIds and some a global's projectIds beyond the project, so the figures are those of
/// a list that computes both, as production's does.
internal static class ListCheck
{
    public static async Task VerifyAsync(LoadClient client, EngineTarget target, CancellationToken ct)
    {
        foreach (var endpoint in Endpoints.All.Where(e => e.IsList()))
        {
            var page = await ReadCheck.GetAsync(client, endpoint, ct);
            var expected = Math.Min(endpoint.Limit(), target.Listed);
            if (!page.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array || data.GetArrayLength() != expected)
            {
                throw new InvalidOperationException($"{client.UriOf(endpoint).PathAndQuery} should answer {expected} connections in data: {Truncated(page)}");
            }
            if (endpoint != Endpoint.List100)
            {
                continue;
            }
            var rows = data.EnumerateArray().ToList();
            if (target.Flows.Flows > 0 && !rows.Any(r => Count(r, "flowIds") > 0))
            {
                throw new InvalidOperationException($"no row of {client.UriOf(endpoint).PathAndQuery} carries flowIds, though {target.Flows.Flows} flows use connections: {Truncated(page)}");
            }
            if (target.Fillers >= 4 && !rows.Any(r => Count(r, "projectIds") > 1))
            {
                throw new InvalidOperationException($"no row of {client.UriOf(endpoint).PathAndQuery} is a global shared with two projects: {Truncated(page)}");
            }
        }
    }

    private static int Count(JsonElement row, string property) =>
        row.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : 0;

    private static string Truncated(JsonElement page) => page.ToString() is { Length: > 600 } text ? text[..600] + "..." : page.ToString();
}
