using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Http;

/// The OpenAPI document is exact: every real route is in it, errors are problem+json, and no
/// connection schema has a place for a secret value.
public abstract partial class OpenApiTests(AppFixture fixture)
{
    private const string DocumentPath = "/openapi/v1.json";
    private static readonly string[] SecretWords = ["value", "secret", "password", "token", "credential", "hash"];

    /// The provider catalogue is public data, not a secret: its token endpoint, extra form fields and lifetime.
    private static readonly string[] CatalogueFields = ["tokenUrl", "tokenParams", "defaultTokenLifetimeSeconds"];
    /// Piece metadata describes auth (which props a connection needs, the provider's token URL), never holds it.
    private static readonly string[] PieceMetadataFields = ["tokenUrl", "props"];
    // Whose credentials a definition uses, the names of its global values and whether it has a test credential: no value.
    private static readonly string[] DefinitionFields = ["credentials", "globalValueKeys", "hasTestValue"];
    // A sync bundle's sealed secrets (AES-256-GCM under the caller's passphrase) and an import's list of items needing them.
    private static readonly string[] SyncFields = ["secrets", "ciphertext", "needsSecrets"];
    /// The one route meant to hand a secret out: the engine read, with an engine token.
    private const string EngineReadPath = "/api/v1/worker/app-connections/{externalId}";

    private readonly TestApp _app = fixture.App;

    [Fact]
    public async Task GetDocument_Anonymous_Is200OpenApiJson()
    {
        var response = (await Api.SendAsync(_app.Client(null), HttpMethod.Get, DocumentPath, null)).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("application/json", response.ContentType);
        Assert.StartsWith("3.", response.Body.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, response.Body.GetProperty("paths").ValueKind);
        Assert.Equal(JsonValueKind.Object, response.Body.GetProperty("components").GetProperty("schemas").ValueKind);
    }

    [Fact]
    public async Task GetDocument_ContractRoutes_AreAllListed()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");

        (string Path, string[] Methods)[] expected =
        [
            ("/api/v1/app-connections", ["get", "post"]),
            ("/api/v1/app-connections/{id}", ["get", "post", "delete"]),
            ("/api/v1/app-connections/owners", ["get"]),
            ("/api/v1/global-connections", ["get", "post"]),
            ("/api/v1/global-connections/{id}", ["get", "post", "delete"]),
            ("/api/v1/projects", ["get", "post"]),
            ("/api/v1/projects/{id}", ["get", "post", "delete"]),
            ("/api/v1/api-keys", ["get", "post"]),
            ("/api/v1/api-keys/{id}", ["delete"]),
            ("/api/v1/audit-events", ["get"]),
        ];
        foreach (var (path, methods) in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is not in the document");
            foreach (var method in methods)
            {
                Assert.True(item.TryGetProperty(method, out _), $"{method.ToUpperInvariant()} {path} is not in the document");
            }
        }
    }

    [Fact]
    public async Task GetDocument_EveryServedApiEndpoint_IsListedAndNothingElse()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var real = RealApiOperations();
        Assert.True(real.Count >= 20, $"only {real.Count} /api endpoints found");

        foreach (var (path, method) in real)
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _),
                $"{method.ToUpperInvariant()} {path} is served but missing from the OpenAPI document");
        }
        var documented = paths.EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Where(o => IsHttpMethod(o.Name)).Select(o => (p.Name, o.Name)))
            .ToList();
        foreach (var operation in documented)
        {
            Assert.True(real.Contains(operation), $"{operation.Item2.ToUpperInvariant()} {operation.Item1} is documented but not served");
        }
    }

    [Fact]
    public async Task GetDocument_Upsert201_ReferencesTheConnectionSchema()
    {
        var document = await DocumentAsync();

        foreach (var path in new[] { "/api/v1/app-connections", "/api/v1/global-connections" })
        {
            var responses = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("responses");
            foreach (var status in new[] { "201", "200" })
            {
                var schema = Resolve(document, responses.GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema"));
                var properties = schema.GetProperty("properties");
                foreach (var name in new[] { "id", "externalId", "displayName", "type", "pieceName", "projectIds", "platformId", "scope", "status", "created", "updated" })
                {
                    Assert.True(properties.TryGetProperty(name, out _), $"POST {path} {status}: the schema has no {name}");
                }
                Assert.False(properties.TryGetProperty("value", out _), $"POST {path} {status}: the schema has a value");
            }
        }

        var list = document.GetProperty("paths").GetProperty("/api/v1/app-connections").GetProperty("get").GetProperty("responses")
            .GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var page = Resolve(document, list).GetProperty("properties");
        Assert.True(page.TryGetProperty("next", out _));
        Assert.True(page.TryGetProperty("previous", out _));
        var item = Resolve(document, page.GetProperty("data").GetProperty("items"));
        Assert.True(item.GetProperty("properties").TryGetProperty("externalId", out _));
    }

    [Fact]
    public async Task GetDocument_EveryApiOperation_DocumentsErrorsAsProblemJson()
    {
        var document = await DocumentAsync();
        var operations = 0;

        foreach (var (path, method, operation) in ApiOperations(document))
        {
            operations++;
            var responses = operation.GetProperty("responses");
            // The rate limiter sees every request; a credential can be refused wherever one is needed.
            var required = operation.GetProperty("security").GetArrayLength() > 0 ? new[] { "401", "429" } : ["429"];
            foreach (var status in required)
            {
                Assert.True(responses.TryGetProperty(status, out _), $"{method.ToUpperInvariant()} {path} does not document {status}");
            }
            foreach (var response in responses.EnumerateObject().Where(r => r.Name.StartsWith('4') || r.Name.StartsWith('5')))
            {
                var content = response.Value.GetProperty("content");
                Assert.True(content.TryGetProperty("application/problem+json", out var problem),
                    $"{method.ToUpperInvariant()} {path} {response.Name} is not application/problem+json: {content}");
                Assert.All(content.EnumerateObject(), c => Assert.Equal("application/problem+json", c.Name));
                var properties = Resolve(document, problem.GetProperty("schema")).GetProperty("properties");
                foreach (var name in new[] { "statusCode", "code", "params", "type", "title", "status", "detail" })
                {
                    Assert.True(properties.TryGetProperty(name, out _), $"{method.ToUpperInvariant()} {path} {response.Name}: the error schema has no {name}");
                }
            }
        }
        Assert.True(operations >= 20);
    }

    [Fact]
    public async Task GetDocument_SuccessResponseSchemas_HaveNoSecretProperty()
    {
        var document = await DocumentAsync();
        var connection = document.GetProperty("components").GetProperty("schemas").GetProperty("ConnectionDto");
        Assert.False(connection.GetProperty("properties").TryGetProperty("value", out _));

        foreach (var (path, method, operation) in ApiOperations(document))
        {
            // Creating an API key, an engine token, a signing key or a webhook endpoint, and the session exchange, are
            // the responses that show a credential, once.
            if (path is "/api/v1/api-keys" or "/api/v1/engine-tokens" or "/api/v1/signing-keys" or "/api/v1/managed-authn/external-token"
                    or "/api/v1/mcp-servers" or "/api/v1/mcp-servers/{id}/rotate" or "/api/v1/webhooks" && method == "post")
            {
                continue;
            }
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')))
            {
                if (!response.Value.TryGetProperty("content", out var content))
                {
                    continue;
                }
                foreach (var media in content.EnumerateObject())
                {
                    foreach (var name in PropertyNames(document, media.Value.GetProperty("schema"), []))
                    {
                        Assert.False(
                            SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)) && name != "truncatedValue" &&
                                !(path == "/api/v1/oauth-providers" && CatalogueFields.Contains(name)) &&
                                !(path.StartsWith("/api/v1/pieces", StringComparison.Ordinal) && PieceMetadataFields.Contains(name)) &&
                                !(path == "/api/v1/signing-keys" && name == "publicKey") &&
                                !(path.StartsWith("/api/v1/connection-definitions", StringComparison.Ordinal) && DefinitionFields.Contains(name)) &&
                                !(path.StartsWith("/api/v1/sync/", StringComparison.Ordinal) && SyncFields.Contains(name)) &&
                                path != EngineReadPath,
                            $"{method.ToUpperInvariant()} {path} {response.Name}: the response schema has a property {name}");
                    }
                }
            }
        }
    }

    private async Task<JsonElement> DocumentAsync() =>
        (await _app.Client(null).ApiGetAsync(DocumentPath)).AssertStatus(HttpStatusCode.OK).Body;

    /// (path, method) of every endpoint the app really serves under /api/, as the document spells them.
    private HashSet<(string Path, string Method)> RealApiOperations()
    {
        var result = new HashSet<(string, string)>();
        foreach (var endpoint in _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            if (!pattern.StartsWith("/api/", StringComparison.Ordinal))
            {
                continue;
            }
            var path = RouteConstraint().Replace(pattern.TrimEnd('/'), "{$1}");
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            Assert.True(methods.Count > 0, $"{pattern} answers any method");
            foreach (var method in methods)
            {
                result.Add((path, method.ToLowerInvariant()));
            }
        }
        return result;
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> ApiOperations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject().Where(o => IsHttpMethod(o.Name)).Select(o => (p.Name, o.Name, o.Value)));

    private static bool IsHttpMethod(string name) => name is "get" or "post" or "put" or "patch" or "delete" or "head" or "options" or "trace";

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!;
            Assert.StartsWith("#/components/schemas/", name, StringComparison.Ordinal);
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name["#/components/schemas/".Length..]);
        }
        return schema;
    }

    /// Every property name anywhere in the schema, following references, items, and *Of branches.
    private static IEnumerable<string> PropertyNames(JsonElement document, JsonElement schema, HashSet<string> seen)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            if (seen.Add(reference.GetString()!))
            {
                foreach (var name in PropertyNames(document, Resolve(document, schema), seen))
                {
                    yield return name;
                }
            }
            yield break;
        }
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                yield return property.Name;
                foreach (var name in PropertyNames(document, property.Value, seen))
                {
                    yield return name;
                }
            }
        }
        foreach (var key in new[] { "items", "additionalProperties" })
        {
            if (schema.TryGetProperty(key, out var nested))
            {
                foreach (var name in PropertyNames(document, nested, seen))
                {
                    yield return name;
                }
            }
        }
        foreach (var key in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(key, out var branches))
            {
                foreach (var branch in branches.EnumerateArray())
                {
                    foreach (var name in PropertyNames(document, branch, seen))
                    {
                        yield return name;
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteConstraint();
}

public sealed class OpenApiSqliteTests(SqliteFixture fixture) : OpenApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class OpenApiPostgresTests(PostgresFixture fixture) : OpenApiTests(fixture), IClassFixture<PostgresFixture>;
