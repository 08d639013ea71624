using System.Net;
using System.Text.Json.Nodes;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Errors;

/// Each kind of error the server answers, as the SDK hands it over.
public sealed class ErrorMappingTests(Servers servers)
{
    [Fact]
    public async Task MissingEntity_404EntityNotFound()
    {
        var client = (await servers.SqliteAsync()).Client();

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() => client.AppConnections.GetAsync("conn_doesnotexist000000000"));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(PlugboardErrorCodes.EntityNotFound, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public async Task InvalidField_400ValidationNamingTheField_AndNoSecretInTheException()
    {
        var server = await servers.SqliteAsync();
        var project = await server.NewProjectAsync();
        const string secret = "xoxb-do-not-print-me-0123456789";

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() => server.Client().AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id,
            ExternalId = new string('x', 2000),
            DisplayName = "Too long an externalId",
            PieceName = "@activepieces/piece-slack",
            Value = new SecretTextValue(secret),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(PlugboardErrorCodes.Validation, error.Code);
        Assert.Contains(error.Params.Values, v => v.ToString().Contains("externalId", StringComparison.Ordinal));
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKey_401Authentication()
    {
        var client = (await servers.SqliteAsync()).Client().WithKey("sk-unknown0000000000000000000000000000000000");

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() => client.Projects.ListAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(PlugboardErrorCodes.Authentication, error.Code);
    }

    [Fact]
    public async Task ProjectKeyOnAPlatformRoute_403Authorization()
    {
        var server = await servers.SqliteAsync();
        var project = await server.NewProjectAsync();
        var client = server.Client().WithKey(await server.CreateProjectKeyAsync(project.Id));

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() => client.GlobalConnections.ListAsync());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(PlugboardErrorCodes.Authorization, error.Code);
    }

    [Fact]
    public async Task DuplicateProjectExternalId_409()
    {
        var server = await servers.SqliteAsync();
        var project = await server.NewProjectAsync();

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() =>
            server.Client().Projects.CreateAsync(new CreateProjectRequest { DisplayName = "Twin", ExternalId = project.ExternalId }));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal(PlugboardErrorCodes.ProjectExternalIdAlreadyExists, error.Code);
    }

    [Fact]
    public async Task BodyOverTheLimit_413PayloadTooLarge()
    {
        var server = await servers.SqliteAsync();
        var project = await server.NewProjectAsync();

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() => server.Client().Projects.UpdateAsync(project.Id, new UpdateProjectRequest
        {
            Metadata = new JsonObject { ["blob"] = new string('a', 2 * 1024 * 1024) },
        }));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, error.StatusCode);
        Assert.Equal(PlugboardErrorCodes.PayloadTooLarge, error.Code);
    }

    [Fact]
    public async Task OverTheRateLimit_429TooManyRequests()
    {
        await using var server = await PlugboardServer.StartAsync(postgres: false, new Dictionary<string, string>
        {
            ["PLUGBOARD_RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE"] = "3",
        });
        var client = server.Client(options: o => o.MaxRetryAttempts = 0);

        var error = await Assert.ThrowsAsync<PlugboardApiException>(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await client.Projects.ListAsync();
            }
        });

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(PlugboardErrorCodes.TooManyRequests, error.Code);
    }
}
