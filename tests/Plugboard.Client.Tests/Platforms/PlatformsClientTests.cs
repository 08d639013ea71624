using System.Net;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Platforms;

public sealed class PlatformsClientTests(Servers servers)
{
    [Fact]
    public async Task DisableAsync_NewPlatform_ItsAdminKeyIsRefusedUntilEnabledAgain()
    {
        var server = await servers.SqliteAsync();
        var operatorClient = server.Client().WithKey(PlugboardServer.OperatorKey);
        var name = "Platform " + Guid.NewGuid().ToString("N")[..8];

        var created = await operatorClient.Platforms.CreateAsync(new CreatePlatformRequest { Name = name, AdminEmail = "owner@example.com" });
        var admin = server.Client(globalKey: created.AdminApiKey);
        var project = await admin.Projects.CreateAsync(new CreateProjectRequest { DisplayName = "First customer" });

        Assert.Equal(name, created.Name);
        Assert.Null(created.DisabledAt);
        Assert.DoesNotContain(created.AdminApiKey, created.ToString(), StringComparison.Ordinal);
        Assert.Equal(created.Id, project.PlatformId);

        var disabled = await operatorClient.Platforms.DisableAsync(created.Id);
        var disabledAgain = await operatorClient.Platforms.DisableAsync(created.Id);
        var refused = await Assert.ThrowsAsync<PlugboardApiException>(() => admin.Projects.GetAsync(project.Id));

        Assert.NotNull(disabled.DisabledAt);
        Assert.Equal(disabled.DisabledAt, disabledAgain.DisabledAt);
        Assert.Equal(disabled.DisabledAt, (await operatorClient.Platforms.GetAsync(created.Id)).DisabledAt);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        var enabled = await operatorClient.Platforms.EnableAsync(created.Id);

        Assert.Null(enabled.DisabledAt);
        Assert.Equal(project.Id, (await admin.Projects.GetAsync(project.Id)).Id);
    }

    [Fact]
    public async Task ListAllAsync_ThreeNewPlatforms_AllFoundAcrossPages()
    {
        var server = await servers.SqliteAsync();
        var operatorClient = server.Client(globalKey: PlugboardServer.OperatorKey);
        var prefix = "listed-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await operatorClient.Platforms.CreateAsync(new CreatePlatformRequest { Name = $"{prefix}-{i}" })).Id);
        }

        var firstPage = await operatorClient.Platforms.ListAsync(new PlatformQuery { Limit = 2 });
        var all = await operatorClient.Platforms.ListAllAsync(new PlatformQuery { Limit = 2 }).ToListAsync();

        Assert.Equal(2, firstPage.Data.Count);
        Assert.NotNull(firstPage.Next);
        Assert.Equal(all.Count, all.Select(p => p.Id).Distinct().Count());
        Assert.Equal(ids.Order(), all.Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Id).Order());
    }

    [Fact]
    public async Task GetAsync_PlatformKeyOrUnknownId_RefusedOrNotFound()
    {
        var server = await servers.SqliteAsync();

        var withPlatformKey = await Assert.ThrowsAsync<PlugboardApiException>(() => server.Client().Platforms.ListAsync());
        var unknown = await Assert.ThrowsAsync<PlugboardApiException>(() =>
            server.Client(globalKey: PlugboardServer.OperatorKey).Platforms.GetAsync("no-such-platform"));

        Assert.Equal(HttpStatusCode.Unauthorized, withPlatformKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("ENTITY_NOT_FOUND", unknown.Code);
    }

    [Fact]
    public async Task UpdateAsync_AllowedOrigins_OperatorAtCreateAndTheOwnPlatformKeyLater()
    {
        var server = await servers.SqliteAsync();
        var operatorClient = server.Client().WithKey(PlugboardServer.OperatorKey);

        var created = await operatorClient.Platforms.CreateAsync(new CreatePlatformRequest
        {
            Name = "Origins " + Guid.NewGuid().ToString("N")[..8],
            AllowedOrigins = ["HTTPS://App.Example.com/"],
        });
        var other = await operatorClient.Platforms.CreateAsync(new CreatePlatformRequest { Name = "Other " + Guid.NewGuid().ToString("N")[..8] });
        var admin = server.Client(globalKey: created.AdminApiKey);

        Assert.Equal(["https://app.example.com"], created.AllowedOrigins);
        Assert.Equal(["https://app.example.com"], (await operatorClient.Platforms.GetAsync(created.Id)).AllowedOrigins);
        var updated = await admin.Platforms.UpdateAsync(created.Id, new UpdatePlatformRequest { AllowedOrigins = ["https://app.example.com", "http://127.0.0.1:5080"] });
        Assert.Equal(["https://app.example.com", "http://127.0.0.1:5080"], updated.AllowedOrigins);
        Assert.Equal(created.Name, updated.Name);

        var foreign = await Assert.ThrowsAsync<PlugboardApiException>(() =>
            admin.Platforms.UpdateAsync(other.Id, new UpdatePlatformRequest { AllowedOrigins = ["https://evil.example"] }));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var invalid = await Assert.ThrowsAsync<PlugboardApiException>(() =>
            operatorClient.Platforms.UpdateAsync(created.Id, new UpdatePlatformRequest { AllowedOrigins = ["https://app.example.com/path"] }));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Empty((await operatorClient.Platforms.GetAsync(other.Id)).AllowedOrigins ?? []);
    }
}
