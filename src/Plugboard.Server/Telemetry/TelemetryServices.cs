using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Plugboard.Server.Telemetry;

/// OpenTelemetry traces and metrics, exported by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set and not registered
/// at all otherwise: no provider listens, so the instruments and activity sources stay disabled and cost a flag check.
/// The exporter reads the standard OTEL_* variables itself (protocol, headers, OTEL_SERVICE_NAME, intervals).
///
/// Traces: incoming requests (ASP.NET Core), outgoing HttpClient calls (the OAuth token calls and the proxy's),
/// PostgreSQL commands (Npgsql's own source, stable; EF Core's instrumentation is still a beta, and the SQL
/// Npgsql traces is the statement EF sent anyway) and SQLite commands (a span of ours per command, see
/// <see cref="SqliteTracing"/>, since Microsoft.Data.Sqlite has no activity source).
public static class TelemetryServices
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static bool Enabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[EndpointVariable]);

    public static IServiceCollection AddPlugboardTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!Enabled(configuration))
        {
            return services;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "plugboard",
                serviceVersion: typeof(TelemetryServices).Assembly.GetName().Version?.ToString()))
            .WithTracing(t => t
                .AddSource(PlugboardMetrics.Name)
                // Health probes every few seconds per replica would drown the traces that matter.
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter())
            .WithMetrics(m => m
                .AddMeter(PlugboardMetrics.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        return services;
    }
}
