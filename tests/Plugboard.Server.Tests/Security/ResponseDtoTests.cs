using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Embedding;
using Plugboard.Server.Engine;
using Plugboard.Server.OAuth;
using Plugboard.Server.Pieces;
using Plugboard.Server.Mcp;
using Plugboard.Server.Platform;
using Plugboard.Server.Sync;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Webhooks;

namespace Plugboard.Server.Tests.Security;

/// No type that goes out in a response can hold secret material (house style 4). Reflection over the
/// DTOs, and over what the running server's endpoints declare they return.
public abstract class ResponseDtoTests(AppFixture fixture)
{
    private static readonly string[] SecretWords = ["value", "secret", "password", "token", "key", "credential", "hash", "cipher", "plain", "props"];

    /// Explicitly allowed: the last four characters of an API key, and the key itself in the one
    /// response that creates it (shown once, Cache-Control: no-store).
    private static readonly HashSet<(Type, string)> Allowed =
    [
        (typeof(ApiKeyDto), nameof(ApiKeyDto.TruncatedValue)),
        (typeof(CreatedApiKeyDto), nameof(CreatedApiKeyDto.TruncatedValue)),
        (typeof(CreatedApiKeyDto), nameof(CreatedApiKeyDto.Value)),
        // Creating a platform hands its first admin key to the operator, once (Cache-Control: no-store).
        (typeof(CreatedPlatformDto), nameof(CreatedPlatformDto.AdminApiKey)),
        // The provider catalogue is public data: its token endpoint, extra form fields, placeholder defaults and lifetime.
        (typeof(OAuthProvider), nameof(OAuthProvider.TokenUrl)),
        (typeof(OAuthProvider), nameof(OAuthProvider.TokenParams)),
        (typeof(OAuthProvider), nameof(OAuthProvider.DefaultProps)),
        (typeof(OAuthProvider), nameof(OAuthProvider.DefaultTokenLifetimeSeconds)),
        // Piece metadata describes which props a connection needs and where tokens come from; it holds no value.
        (typeof(PieceAuthDefinition), nameof(PieceAuthDefinition.Props)),
        (typeof(PieceAuthDefinition), nameof(PieceAuthDefinition.TokenUrl)),
        (typeof(PieceOperation), nameof(PieceOperation.Props)),
        // The engine read is the one response meant to hand a connection's value out (engine tokens only).
        (typeof(WorkerConnectionDto), nameof(WorkerConnectionDto.Value)),
        // An engine token is handed out once, to the job runner that asked for it (Cache-Control: no-store).
        (typeof(EngineTokenDto), nameof(EngineTokenDto.Token)),
        // A signing key's public half is public; a generated private half is shown once, at creation.
        (typeof(SigningKeyDto), nameof(SigningKeyDto.PublicKey)),
        (typeof(CreatedSigningKeyDto), nameof(CreatedSigningKeyDto.PublicKey)),
        (typeof(CreatedSigningKeyDto), nameof(CreatedSigningKeyDto.PrivateKey)),
        // A definition names its stable key, whose credentials it uses, the names of its global values (never the values)
        // and whether a test credential is set (never the credential).
        (typeof(ConnectionDefinitionDto), nameof(ConnectionDefinitionDto.StableKey)),
        (typeof(ConnectionDefinitionDto), nameof(ConnectionDefinitionDto.Credentials)),
        (typeof(ConnectionDefinitionDto), nameof(ConnectionDefinitionDto.GlobalValueKeys)),
        (typeof(ConnectionDefinitionDto), nameof(ConnectionDefinitionDto.HasTestValue)),
        // An MCP server's token is shown by its creation and rotation only (Cache-Control: no-store).
        (typeof(CreatedMcpServerDto), nameof(CreatedMcpServerDto.Token)),
        // A sync bundle names each item by its stable key; its secrets travel only sealed under the caller's passphrase
        // (AES-256-GCM, the key never stored), which is what the export is for.
        (typeof(SyncItem), nameof(SyncItem.Key)),
        (typeof(SyncItem), nameof(SyncItem.Secrets)),
        (typeof(SealedSecrets), nameof(SealedSecrets.Ciphertext)),
        // An import's report names items by kind and stable key, and which of them still need their secrets.
        (typeof(SyncChange), nameof(SyncChange.Key)),
        (typeof(SyncReport), nameof(SyncReport.NeedsSecrets)),
        // A webhook endpoint's signing secret is shown by its creation only (Cache-Control: no-store).
        (typeof(CreatedWebhookDto), nameof(CreatedWebhookDto.Secret)),
        // The session token is the answer of the exchange, handed to the embedded front end (Cache-Control: no-store).
        (typeof(ManagedAuthnResponse), nameof(ManagedAuthnResponse.Token)),
    ];

    [Theory]
    [InlineData(typeof(ConnectionDto))]
    [InlineData(typeof(OwnerDto))]
    [InlineData(typeof(ProjectDto))]
    [InlineData(typeof(ApiKeyDto))]
    [InlineData(typeof(AuditEventDto))]
    [InlineData(typeof(OAuthAppDto))]
    [InlineData(typeof(AuthorizationUrlResponse))]
    [InlineData(typeof(PlatformDto))]
    public void ResponseDto_Properties_HoldNothingSecret(Type dto)
    {
        var problems = SecretProperties(dto, allowCreatedKey: false);
        Assert.True(problems.Count == 0, string.Join("; ", problems));
    }

    [Fact]
    public void ConnectionDto_Reflected_HasNoValueProperty()
    {
        Assert.Null(typeof(ConnectionDto).GetProperty("Value", BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase));
        Assert.NotNull(typeof(AppConnection).GetProperty(nameof(AppConnection.Value)));
    }

    [Fact]
    public void EveryApiEndpoint_SuccessResponseTypes_HoldNothingSecret()
    {
        var endpoints = fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(endpoints);

        var checkedTypes = new List<Type>();
        foreach (var endpoint in endpoints)
        {
            foreach (var produces in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Where(p => p.StatusCode is >= 200 and < 300 && p.Type is not null))
            {
                checkedTypes.Add(produces.Type!);
                var problems = SecretProperties(produces.Type!, allowCreatedKey: true);
                Assert.True(problems.Count == 0, $"{endpoint.DisplayName} {produces.StatusCode}: {string.Join("; ", problems)}");
            }
        }
        Assert.Contains(typeof(ConnectionDto), checkedTypes.SelectMany(Reachable));
        Assert.Contains(typeof(ProjectDto), checkedTypes.SelectMany(Reachable));
        Assert.Contains(typeof(AuditEventDto), checkedTypes.SelectMany(Reachable));
    }

    /// "Type.Property" for every property reachable from `root` whose name sounds secret, or whose
    /// type is an entity (an entity can carry ciphertext or hashes straight into a response).
    private List<string> SecretProperties(Type root, bool allowCreatedKey)
    {
        var entityTypes = fixture.App.WithDb(db => db.Model.GetEntityTypes().Select(e => e.ClrType).ToHashSet());
        var problems = new List<string>();
        foreach (var type in Reachable(root))
        {
            if (entityTypes.Contains(type))
            {
                problems.Add($"{type.Name} is a database entity");
                continue;
            }
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var allowed = Allowed.Contains((type, property.Name)) && (allowCreatedKey || (type != typeof(CreatedApiKeyDto) && type != typeof(CreatedPlatformDto)));
                if (!allowed && SecretWords.Any(w => property.Name.Contains(w, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add($"{type.Name}.{property.Name}");
                }
            }
        }
        return problems;
    }

    /// The type and every server type reachable through its public properties and generic arguments.
    private static IEnumerable<Type> Reachable(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }
            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Push(argument);
            }
            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
            }
            if (type.Assembly != typeof(ConnectionDto).Assembly || type.IsEnum)
            {
                continue;
            }
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                pending.Push(property.PropertyType);
            }
        }
        return seen.Where(t => t.Assembly == typeof(ConnectionDto).Assembly && !t.IsEnum);
    }
}

public sealed class ResponseDtoSqliteTests(SqliteFixture fixture) : ResponseDtoTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ResponseDtoPostgresTests(PostgresFixture fixture) : ResponseDtoTests(fixture), IClassFixture<PostgresFixture>;
