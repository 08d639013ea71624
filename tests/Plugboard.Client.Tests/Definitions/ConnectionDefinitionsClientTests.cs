using System.Net;
using System.Text.Json.Nodes;
using Plugboard.Client.Tests.Infrastructure;

namespace Plugboard.Client.Tests.Definitions;

public sealed class ConnectionDefinitionsClientTests(Servers servers)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static UpsertConnectionDefinitionRequest CustomerDefinition(string stableKey, string pieceName, JsonObject? globals = null) => new()
    {
        StableKey = stableKey,
        DisplayName = "Acme CRM",
        PieceName = pieceName,
        Type = ConnectionType.CustomAuth,
        Credentials = DefinitionCredentials.Customer,
        GlobalValues = globals,
    };

    [Fact]
    public async Task UpsertGetUpdateListDelete_RoundTripThroughTheServer()
    {
        var client = (await servers.SqliteAsync()).Client();
        var piece = $"@{Unique("sdk")}/piece-crm";
        var key = Unique("crm");

        var created = await client.ConnectionDefinitions.UpsertAsync(CustomerDefinition(key, piece,
            new JsonObject { ["props"] = new JsonObject { ["base_url"] = "https://crm.example.com", ["partner_secret"] = "canary-partner" } }));
        var again = await client.ConnectionDefinitions.UpsertAsync(CustomerDefinition(key, piece,
            new JsonObject { ["props"] = new JsonObject { ["base_url"] = "https://crm.example.com", ["partner_secret"] = "canary-partner" } }) with { Embedded = true });

        Assert.Equal((key, DefinitionCredentials.Customer, CredentialSupplier.Customer), (created.StableKey, created.Credentials, created.SuppliedBy));
        Assert.Equal(["props.base_url", "props.partner_secret"], created.GlobalValueKeys);
        Assert.Equal(ConnectionType.CustomAuth, created.Type);
        Assert.False(created.Embedded);
        Assert.Equal(created.Id, again.Id);
        Assert.True(again.Embedded);
        Assert.Equal(created.Id, (await client.ConnectionDefinitions.GetAsync(key)).Id);
        Assert.Equal(key, (await client.ConnectionDefinitions.GetAsync(created.Id)).StableKey);

        var updated = await client.ConnectionDefinitions.UpdateAsync(created.Id, new UpdateConnectionDefinitionRequest
        {
            DisplayName = "Acme CRM v2",
            GlobalValues = new JsonObject { ["props"] = new JsonObject { ["partner_secret"] = null } },
            ProxyBaseUrl = "https://api.crm.example.com",
        });
        Assert.Equal(("Acme CRM v2", "https://api.crm.example.com"), (updated.DisplayName, updated.ProxyBaseUrl));
        Assert.Equal(["props.base_url"], updated.GlobalValueKeys);
        Assert.True(updated.Embedded);

        await client.ConnectionDefinitions.UpsertAsync(CustomerDefinition(Unique("crm"), piece));
        await client.ConnectionDefinitions.UpsertAsync(CustomerDefinition(Unique("crm"), piece));
        var query = new ConnectionDefinitionQuery { PieceName = piece, Limit = 2 };
        var firstPage = await client.ConnectionDefinitions.ListAsync(query);
        var all = await client.ConnectionDefinitions.ListAllAsync(query).ToListAsync();
        Assert.NotNull(firstPage.Next);
        Assert.Equal(3, all.Select(d => d.Id).Distinct().Count());
        Assert.Contains(all, d => d.Id == created.Id && d.DisplayName == "Acme CRM v2");

        await client.ConnectionDefinitions.DeleteAsync(key);
        var gone = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ConnectionDefinitions.GetAsync(created.Id));
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (gone.StatusCode, gone.Code));
        var deletedTwice = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ConnectionDefinitions.DeleteAsync(key));
        Assert.Equal(HttpStatusCode.NotFound, deletedTwice.StatusCode);
    }

    [Fact]
    public async Task SetTestValue_ThenRemove_HasTestValueFollowsAndAFixedFieldIs400()
    {
        var client = (await servers.SqliteAsync()).Client();
        var key = Unique("test");
        await client.ConnectionDefinitions.UpsertAsync(CustomerDefinition(key, $"@{Unique("sdk")}/piece-crm",
            new JsonObject { ["props"] = new JsonObject { ["base_url"] = "https://crm.example.com" } }));

        var set = await client.ConnectionDefinitions.SetTestValueAsync(key, new DefinitionTestValueRequest
        {
            Value = new CustomAuthValue(new JsonObject { ["api_key"] = "test-key" }),
        });
        var removed = await client.ConnectionDefinitions.RemoveTestValueAsync(key);
        var fixedField = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ConnectionDefinitions.SetTestValueAsync(key, new DefinitionTestValueRequest
        {
            Value = new CustomAuthValue(new JsonObject { ["base_url"] = "https://evil.example.com", ["api_key"] = "k" }),
        }));
        var unknown = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ConnectionDefinitions.RemoveTestValueAsync(Unique("none")));

        Assert.True(set.HasTestValue);
        Assert.False(removed.HasTestValue);
        Assert.False((await client.ConnectionDefinitions.GetAsync(key)).HasTestValue);
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION"), (fixedField.StatusCode, fixedField.Code));
        Assert.Equal("value.props.base_url", fixedField.Params["field"].GetString());
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (unknown.StatusCode, unknown.Code));
    }

    [Fact]
    public async Task Delete_DefinitionWithAConnection_Is400UnlessCascadeWhichDeletesTheConnection()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var key = Unique("del");
        var piece = $"@{Unique("sdk")}/piece-crm";
        await client.ConnectionDefinitions.UpsertAsync(CustomerDefinition(key, piece));
        var connection = await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id,
            ExternalId = key,
            DisplayName = "Acme CRM",
            PieceName = piece,
            Definition = key,
            Value = new CustomAuthValue(new JsonObject { ["api_key"] = "customer-key" }),
        });

        var refused = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ConnectionDefinitions.DeleteAsync(key));
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION"), (refused.StatusCode, refused.Code));
        Assert.Equal(key, (await client.AppConnections.GetAsync(connection.Id)).Definition);

        await client.ConnectionDefinitions.DeleteAsync(key, cascade: true);

        var connectionGone = await Assert.ThrowsAsync<PlugboardApiException>(() => client.AppConnections.GetAsync(connection.Id));
        Assert.Equal(HttpStatusCode.NotFound, connectionGone.StatusCode);
        var definitionGone = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ConnectionDefinitions.GetAsync(key));
        Assert.Equal((HttpStatusCode.NotFound, "ENTITY_NOT_FOUND"), (definitionGone.StatusCode, definitionGone.Code));
    }

    [Fact]
    public async Task OrganizationDefinition_NarrowedToAProject_IsOneGlobalConnectionAndItsValueIsChecked()
    {
        var server = await servers.SqliteAsync();
        var client = server.Client();
        var project = await server.NewProjectAsync();
        var key = Unique("org");
        // Narrowed to this test's project: other tests' projects must not see a global connection they did not make.
        var request = new UpsertConnectionDefinitionRequest
        {
            StableKey = key,
            DisplayName = "Acme org",
            PieceName = $"@{Unique("sdk")}/piece-crm",
            Type = ConnectionType.CustomAuth,
            Credentials = DefinitionCredentials.Organization,
            GlobalValues = new JsonObject { ["props"] = new JsonObject { ["base_url"] = "https://org.example.com" } },
            Value = new CustomAuthValue(new JsonObject { ["api_key"] = "canary-org-key" }),
            ProjectIds = [project.Id],
        };

        var created = await client.ConnectionDefinitions.UpsertAsync(request);
        var global = Assert.Single((await client.GlobalConnections.ListAsync(new GlobalConnectionQuery { Definition = key })).Data);
        var updated = await client.ConnectionDefinitions.UpdateAsync(key, new UpdateConnectionDefinitionRequest
        {
            Value = new CustomAuthValue(new JsonObject { ["api_key"] = "canary-org-key-2" }),
        });
        var fixedField = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ConnectionDefinitions.UpdateAsync(key, new UpdateConnectionDefinitionRequest
        {
            Value = new CustomAuthValue(new JsonObject { ["base_url"] = "https://evil.example.com" }),
        }));

        Assert.Equal((DefinitionCredentials.Organization, (CredentialSupplier?)null), (created.Credentials, created.SuppliedBy));
        Assert.Equal((key, CredentialSupplier.Organization), (global.ExternalId, global.SuppliedBy));
        Assert.Equal([project.Id], global.ProjectIds);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION"), (fixedField.StatusCode, fixedField.Code));
        Assert.DoesNotContain("canary", request.ToString(), StringComparison.Ordinal);
        await client.ConnectionDefinitions.DeleteAsync(key, cascade: true);
    }

    [Theory]
    [InlineData("Upper-Case", "stableKey")]
    [InlineData("-dash", "stableKey")]
    public async Task Upsert_BadStableKey_Is400ValidationNamingIt(string stableKey, string field)
    {
        var client = (await servers.SqliteAsync()).Client();

        var error = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ConnectionDefinitions.UpsertAsync(CustomerDefinition(stableKey, "@acme/piece-crm")));

        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION"), (error.StatusCode, error.Code));
        Assert.Equal(field, error.Params["field"].GetString());
    }

    [Fact]
    public async Task Upsert_ValueOnACustomerDefinitionOrAGlobalValueTheTypeLacks_Is400Validation()
    {
        var client = (await servers.SqliteAsync()).Client();

        var value = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ConnectionDefinitions.UpsertAsync(
            CustomerDefinition(Unique("bad"), "@acme/piece-crm") with { Value = new CustomAuthValue(new JsonObject { ["api_key"] = "x" }) }));
        var globals = await Assert.ThrowsAsync<PlugboardApiException>(() => client.ConnectionDefinitions.UpsertAsync(
            CustomerDefinition(Unique("bad"), "@acme/piece-crm", new JsonObject { ["api_key"] = "canary-global" })));

        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION", "value"), (value.StatusCode, value.Code, value.Params["field"].GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION", "globalValues.api_key"), (globals.StatusCode, globals.Code, globals.Params["field"].GetString()));
        Assert.DoesNotContain("canary", globals.Message, StringComparison.Ordinal);
    }
}
