using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Engine;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Engine;

/// Test helpers for what a running integration does: get an engine token, read through the worker routes.
public static class EngineCalls
{
    public static async Task<string> EngineTokenAsync(this HttpClient admin, string projectId, int? ttlSeconds = null)
    {
        var response = await admin.ApiPostAsync("/api/v1/engine-tokens", new { projectId, ttlSeconds });
        return response.AssertStatus(HttpStatusCode.OK).Str("token");
    }

    public static Task<ApiResponse> ReadConnectionAsync(this HttpClient engine, string externalId) =>
        engine.ApiGetAsync($"/api/v1/worker/app-connections/{Uri.EscapeDataString(externalId)}");

    /// Writes the queued read-audit entries now instead of at the next flush tick.
    public static async Task FlushReadAuditAsync(this TestApp app)
    {
        var writer = app.Services.GetRequiredService<ReadAuditWriter>();
        while (await writer.FlushAsync(CancellationToken.None) > 0)
        {
        }
    }
}
