using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Plugboard.Server.Health;

/// /health/live: the process answers. /health/ready: it can serve (database reachable, schema at the
/// latest migration, key ring loaded). /health stays as it was for existing probes.
public static class HealthApi
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddPlugboardHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [ReadyTag])
            .AddCheck<MigrationsCheck>("migrations", tags: [ReadyTag])
            .AddCheck<KeyRingCheck>("keyRing", tags: [ReadyTag]);
        return services;
    }

    public static void MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", () => TypedResults.Ok(new { status = "ok" })).ExcludeFromDescription();
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
    }

    /// `{status, checks: {name: status}}`; a check's description says what is wrong, never an exception's text.
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(http.Response.Body, body, Http.JsonDefaults.Options, http.RequestAborted);
    }
}
