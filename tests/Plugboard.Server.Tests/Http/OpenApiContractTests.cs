using System.Net;
using System.Text.Json;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Http;

/// What a client generator reads from the OpenAPI document: operation names, the credentials each route takes,
/// the error statuses it can really answer, enums, and the connection value union. The document does not
/// depend on the storage engine: SQLite only.
public sealed class OpenApiContractTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private static readonly string[] ConnectionTypes = ["SECRET_TEXT", "BASIC_AUTH", "CUSTOM_AUTH", "OAUTH2", "CLOUD_OAUTH2", "PLATFORM_OAUTH2", "NO_AUTH"];

    [Fact]
    public async Task GetDocument_EveryOperation_HasUniqueOperationIdAndSummary()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, method, operation) in Operations(await DocumentAsync()))
        {
            Assert.True(operation.TryGetProperty("summary", out var summary) && summary.GetString() is { Length: > 0 }, $"{method} {path} has no summary");
            Assert.True(operation.TryGetProperty("operationId", out var id) && id.GetString() is { Length: > 0 }, $"{method} {path} has no operationId");
            Assert.True(ids.Add(id.GetString()!), $"operationId {id} is used twice");
            Assert.Matches("^[A-Z][A-Za-z0-9]+$", id.GetString()!);
        }
    }

    [Fact]
    public async Task GetDocument_Tags_AllHaveDescriptions()
    {
        var tags = (await DocumentAsync()).GetProperty("tags").EnumerateArray().ToList();
        Assert.NotEmpty(tags);
        Assert.All(tags, t => Assert.False(string.IsNullOrEmpty(t.GetProperty("description").GetString()), $"tag {t} has no description"));
    }

    [Fact]
    public async Task GetDocument_SecuritySchemes_AreBearerPerCredential()
    {
        var schemes = (await DocumentAsync()).GetProperty("components").GetProperty("securitySchemes");
        foreach (var name in new[] { "platformApiKey", "projectApiKey", "sessionToken", "engineToken", "operatorKey" })
        {
            var scheme = schemes.GetProperty(name);
            Assert.Equal("http", scheme.GetProperty("type").GetString());
            Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
            Assert.False(string.IsNullOrEmpty(scheme.GetProperty("description").GetString()));
        }
    }

    [Theory]
    [InlineData("post", "/api/v1/managed-authn/external-token", new string[0])]
    [InlineData("get", "/api/v1/projects", new[] { "platformApiKey", "projectApiKey", "sessionToken" })]
    [InlineData("post", "/api/v1/projects", new[] { "platformApiKey" })]
    [InlineData("post", "/api/v1/app-connections", new[] { "platformApiKey", "projectApiKey", "sessionToken" })]
    [InlineData("get", "/api/v1/global-connections", new[] { "platformApiKey" })]
    [InlineData("get", "/api/v1/pieces", new[] { "platformApiKey", "projectApiKey" })]
    [InlineData("get", "/api/v1/platforms", new[] { "operatorKey" })]
    [InlineData("get", "/api/v1/worker/project", new[] { "engineToken" })]
    public async Task GetDocument_OperationSecurity_MatchesRouteAuth(string method, string path, string[] schemes)
    {
        var security = Operation(await DocumentAsync(), path, method).GetProperty("security");
        var alternatives = security.EnumerateArray().Select(r => r.EnumerateObject().Single().Name).ToList();
        Assert.Equal(schemes, alternatives);
    }

    [Theory]
    [InlineData("get", "/api/v1/projects", "200,400,401,429")]
    [InlineData("get", "/api/v1/projects/{id}", "200,401,404,429")]
    [InlineData("post", "/api/v1/projects", "201,400,401,403,409,413,415,429")]
    [InlineData("delete", "/api/v1/projects/{id}", "204,401,403,404,429")]
    [InlineData("post", "/api/v1/app-connections", "200,201,400,401,403,404,409,413,415,429")]
    [InlineData("post", "/api/v1/app-connections/{id}/refresh", "200,400,401,403,404,409,429")]
    [InlineData("get", "/api/v1/pieces", "200,401,403,429")]
    [InlineData("get", "/api/v1/platforms/{id}", "200,401,403,404,429")]
    [InlineData("post", "/api/v1/managed-authn/external-token", "200,400,401,409,413,415,429")]
    [InlineData("get", "/api/v1/worker/app-connections/{externalId}", "200,401,404,429")]
    public async Task GetDocument_Responses_AreExactlyWhatTheRouteAnswers(string method, string path, string statuses)
    {
        var responses = Operation(await DocumentAsync(), path, method).GetProperty("responses");
        Assert.Equal(statuses, string.Join(',', responses.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task GetDocument_ProxyOperations_DescribeTheUpstreamHeaderOnTheirAnswer()
    {
        var proxied = Operations(await DocumentAsync()).Where(o => o.Path.Contains("/proxy/", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, proxied.Count); // five methods, two routes
        Assert.All(proxied, o => Assert.Equal("string", o.Operation.GetProperty("responses").GetProperty("200").GetProperty("headers")
            .GetProperty("Plugboard-Upstream").GetProperty("schema").GetProperty("type").GetString()));
    }

    [Fact]
    public async Task GetDocument_ConnectionValue_IsOneOfDiscriminatedByType()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var request in new[] { "UpsertConnectionRequest", "UpsertGlobalConnectionRequest" })
        {
            var properties = schemas.GetProperty(request).GetProperty("properties");
            Assert.Equal("#/components/schemas/ConnectionValue", properties.GetProperty("value").GetProperty("$ref").GetString());
            Assert.Equal(ConnectionTypes.Order(), Strings(properties.GetProperty("type").GetProperty("enum")).Order());
        }
        var union = schemas.GetProperty("ConnectionValue");
        Assert.Equal("type", union.GetProperty("discriminator").GetProperty("propertyName").GetString());
        var mapping = union.GetProperty("discriminator").GetProperty("mapping");
        Assert.Equal(ConnectionTypes.Order(), mapping.EnumerateObject().Select(m => m.Name).Order());
        Assert.Equal(ConnectionTypes.Length, union.GetProperty("oneOf").GetArrayLength());
        foreach (var type in mapping.EnumerateObject())
        {
            var branch = schemas.GetProperty(type.Value.GetString()!["#/components/schemas/".Length..]);
            Assert.Equal(new[] { type.Name }, Strings(branch.GetProperty("properties").GetProperty("type").GetProperty("enum")));
            Assert.Contains("type", Strings(branch.GetProperty("required")));
        }
        Assert.Contains("secret_text", Strings(schemas.GetProperty("SecretTextValue").GetProperty("required")));
        Assert.Equal(new[] { "type", "username", "password" }, Strings(schemas.GetProperty("BasicAuthValue").GetProperty("required")));
        Assert.Contains("props", Strings(schemas.GetProperty("CustomAuthValue").GetProperty("required")));
        Assert.True(schemas.GetProperty("OAuth2Value").GetProperty("properties").TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task GetDocument_EnumsAndMetadata_AreTyped()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        foreach (var (name, values) in new (string, string[])[]
                 {
                     ("ConnectionType", ConnectionTypes), ("ConnectionStatus", ["ACTIVE", "MISSING", "ERROR"]),
                     ("ConnectionScope", ["PROJECT", "PLATFORM"]), ("FlowStatus", ["ENABLED", "DISABLED"]), ("ProjectRole", ["VIEWER", "EDITOR", "ADMIN"]),
                 })
        {
            Assert.Equal("string", schemas.GetProperty(name).GetProperty("type").GetString());
            Assert.Equal(values.Order(), Strings(schemas.GetProperty(name).GetProperty("enum")).Order());
        }
        Assert.Equal(new[] { "ENABLED", "DISABLED" }, Strings(schemas.GetProperty("CreateFlowRequest").GetProperty("properties").GetProperty("status").GetProperty("enum")));
        Assert.Equal(new[] { "VIEWER", "EDITOR", "ADMIN" }, Strings(schemas.GetProperty("SetMemberRequest").GetProperty("properties").GetProperty("role").GetProperty("enum")));
        foreach (var owner in new[] { "ConnectionDto", "ProjectDto", "CreateProjectRequest", "UpsertConnectionRequest" })
        {
            var metadata = schemas.GetProperty(owner).GetProperty("properties").GetProperty("metadata");
            Assert.Equal(new[] { "null", "object" }, Strings(metadata.GetProperty("type")).Order());
        }
    }

    [Fact]
    public async Task GetDocument_QueryParameters_AreTyped()
    {
        var document = await DocumentAsync();
        var parameters = Operation(document, "/api/v1/app-connections", "get").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));
        Assert.Equal("integer", parameters["limit"].GetProperty("type").GetString());
        Assert.Equal(1, parameters["limit"].GetProperty("minimum").GetInt32());
        Assert.Equal(100, parameters["limit"].GetProperty("maximum").GetInt32());
        Assert.Equal(new[] { "ACTIVE", "MISSING", "ERROR" }, Strings(parameters["status"].GetProperty("items").GetProperty("enum")));
        Assert.Equal(new[] { "PROJECT", "PLATFORM" }, Strings(parameters["scope"].GetProperty("enum")));
        var flowStatus = Operation(document, "/api/v1/flows", "get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "status").GetProperty("schema");
        Assert.Equal(new[] { "ENABLED", "DISABLED" }, Strings(flowStatus.GetProperty("enum")));
    }

    private async Task<JsonElement> DocumentAsync() =>
        (await fixture.App.Client(null).ApiGetAsync("/openapi/v1.json")).AssertStatus(HttpStatusCode.OK).Body;

    private static JsonElement Operation(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete").Select(o => (p.Name, o.Name, o.Value)));

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
