using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

/// Many connections written straight to the database under the app's key (the API would take minutes for thousands):
/// externalIds `bulk_00000`…, each value `{"secret_text":"bulk-<n>"}` so a test can tell every value apart.
public static class BulkConnections
{
    public static async Task SeedAsync(TestApp app, int count)
    {
        var projectId = await app.Client().CreateProjectAsync();
        var platformId = await app.WithDbAsync(db => db.Platforms.Select(p => p.Id).SingleAsync());
        var protector = app.Services.GetRequiredService<SecretProtector>();
        for (var start = 0; start < count; start += 1000)
        {
            var first = start;
            await app.WithDbAsync(db =>
            {
                for (var i = first; i < Math.Min(count, first + 1000); i++)
                {
                    var id = Ids.New();
                    db.AppConnections.Add(new AppConnection
                    {
                        Id = id, PlatformId = platformId, ExternalId = $"bulk_{i:D5}", Scope = ConnectionScope.Project, ScopeKey = projectId,
                        DisplayName = "bulk", PieceName = "@activepieces/piece-example", Type = ConnectionType.SecretText,
                        Value = protector.Protect($$"""{"type":"SECRET_TEXT","secret_text":"bulk-{{i:D5}}"}""", ConnectionSecrets.ValueContext(platformId, id)),
                        Created = DateTime.UtcNow, Updated = DateTime.UtcNow,
                    });
                }
                return db.SaveChangesAsync();
            });
        }
    }

    /// The number at the end of a seeded connection's externalId, which its value repeats.
    public static string Number(string externalId) => externalId["bulk_".Length..];
}
