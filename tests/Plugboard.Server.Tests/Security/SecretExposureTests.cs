using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Security;

/// Distinctive canaries go into every secret field of every connection type; then every route is
/// exercised, and the canaries must appear nowhere but encrypted: not in a response, a log line, a
/// database column or the database files.
public abstract class SecretExposureTests(AppFixture fixture)
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TestApp _app = fixture.App;
    private readonly DatabaseEngine _engine = fixture.Engine;
    private HttpClient Admin => _app.Client();

    /// What one run put where: the canaries, and the api keys created on the way (never to be stored or logged).
    private sealed record Exercise(IReadOnlyList<string> Canaries, IReadOnlyList<string> ApiKeys, string ProjectId);

    [Fact]
    public async Task EveryRoute_CanariesInEverySecretField_AppearInNoResponseBodyNorLogLine()
    {
        var run = await ExerciseEveryRouteAsync();

        var bodies = _app.ResponseBodies.ToArray();
        Assert.NotEmpty(bodies);
        foreach (var canary in run.Canaries)
        {
            foreach (var form in Forms(canary))
            {
                Assert.DoesNotContain(bodies, b => b.Contains(form, StringComparison.Ordinal));
            }
        }
        Assert.DoesNotContain(bodies, b => b.Contains(TestApp.AdminKey, StringComparison.Ordinal));

        var lines = _app.Logs.Lines.ToArray();
        Assert.NotEmpty(lines);
        foreach (var secret in run.Canaries.Concat(run.ApiKeys).Append(TestApp.AdminKey))
        {
            foreach (var form in Forms(secret))
            {
                var leak = lines.FirstOrDefault(l => l.Contains(form, StringComparison.Ordinal));
                Assert.True(leak is null, $"a log line holds a secret: {leak}");
            }
        }
    }

    [Fact]
    public async Task Storage_CanariesInEverySecretField_AreStoredOnlyAsV1Ciphertext()
    {
        var run = await ExerciseEveryRouteAsync();
        var secrets = run.Canaries.Concat(run.ApiKeys).Append(TestApp.AdminKey).ToList();

        // Through EF: every row of the tables a connection touches, serialized.
        var (values, serialized) = await _app.WithDbAsync(async db =>
        {
            var connections = await db.AppConnections.AsNoTracking().Include(c => c.Projects).ToListAsync();
            var text = new StringBuilder()
                .Append(JsonSerializer.Serialize(connections, Relaxed))
                .Append(JsonSerializer.Serialize(await db.AuditEvents.AsNoTracking().ToListAsync(), Relaxed))
                .Append(JsonSerializer.Serialize(await db.Projects.AsNoTracking().ToListAsync(), Relaxed))
                .Append(JsonSerializer.Serialize(await db.ApiKeys.AsNoTracking().ToListAsync(), Relaxed))
                .Append(JsonSerializer.Serialize(await db.Users.AsNoTracking().ToListAsync(), Relaxed))
                .Append(JsonSerializer.Serialize(await db.Platforms.AsNoTracking().ToListAsync(), Relaxed))
                .ToString();
            return (connections.Select(c => c.Value).ToList(), text);
        });
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.StartsWith("v1:", v, StringComparison.Ordinal));
        AssertAbsent(secrets, serialized, "the EF rows");

        // Raw: every column of every table the model maps, read as text by the provider.
        foreach (var (where, text) in await ReadEveryColumnAsync())
        {
            AssertAbsent(secrets, text, where);
        }

        if (_engine == DatabaseEngine.Sqlite)
        {
            // The bytes on disk, the write-ahead log included: nothing was ever written in the clear.
            var files = Directory.GetFiles(_app.Storage.DataDir, "*", SearchOption.AllDirectories);
            Assert.Contains(files, f => Path.GetFileName(f) == "plugboard.db");
            foreach (var file in files)
            {
                byte[] bytes;
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                using (var memory = new MemoryStream())
                {
                    await stream.CopyToAsync(memory);
                    bytes = memory.ToArray();
                }
                foreach (var secret in secrets)
                {
                    foreach (var form in Forms(secret))
                    {
                        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(form)) < 0, $"{file} holds {form}");
                        Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(form)) < 0, $"{file} holds {form} as UTF-16");
                    }
                }
            }
        }
        else
        {
            await using var connection = new NpgsqlConnection(_app.Storage.Database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT value, coalesce(metadata, '') FROM app_connections", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                Assert.StartsWith("v1:", reader.GetString(0), StringComparison.Ordinal);
                AssertAbsent(secrets, reader.GetString(0) + "\n" + reader.GetString(1), "app_connections (raw)");
            }
            Assert.True(rows > 0);
        }
    }

    [Fact]
    public async Task ConnectionResponses_ForEveryType_HaveNoValueNorSecretProperty()
    {
        var projectId = await Admin.CreateProjectAsync();
        foreach (var (type, value) in ValuesOfEveryType("s3cr3t"))
        {
            (await Admin.ApiPostAsync("/api/v1/app-connections", Connection(projectId, "dto_" + type, type, value))).AssertStatus(HttpStatusCode.Created);
        }
        var globalId = (await Admin.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("g"), [projectId], "s3cr3t")))
            .AssertStatus(HttpStatusCode.Created).Str("id");

        var list = (await Admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=100")).AssertStatus(HttpStatusCode.OK);
        var items = list.Body.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(ValuesOfEveryType("x").Count() + 1, items.Count);
        var singles = new List<JsonElement>();
        foreach (var item in items)
        {
            singles.Add((await Admin.ApiGetAsync($"/api/v1/app-connections/{item.GetProperty("id").GetString()}")).AssertStatus(HttpStatusCode.OK).Body);
        }
        singles.Add((await Admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).AssertStatus(HttpStatusCode.OK).Body);
        singles.AddRange((await Admin.ApiGetAsync("/api/v1/global-connections?limit=100")).AssertStatus(HttpStatusCode.OK).Body.GetProperty("data").EnumerateArray());

        foreach (var item in items.Concat(singles))
        {
            Assert.False(item.TryGetProperty("value", out _), $"a connection response has a value: {item}");
            AssertNoSecretProperty(item, "$");
        }
        Assert.DoesNotContain("s3cr3t", list.Raw, StringComparison.Ordinal);
    }

    /// Creates connections of every type with canaries in every secret field, then calls every route
    /// it can, successful and failing, with the canaries in the requests.
    private async Task<Exercise> ExerciseEveryRouteAsync()
    {
        var canaries = new List<string>();
        string Canary()
        {
            var canary = "CANARY-" + Guid.NewGuid().ToString("N");
            canaries.Add(canary);
            return canary;
        }

        var admin = Admin;
        var projectId = await admin.CreateProjectAsync();
        var otherProjectId = await admin.CreateProjectAsync();
        var ids = new List<string>();
        async Task<string> Upsert(object body, HttpStatusCode expected = HttpStatusCode.Created)
        {
            var id = (await admin.ApiPostAsync("/api/v1/app-connections", body)).AssertStatus(expected).Str("id");
            ids.Add(id);
            return id;
        }

        // Every type, every secret field.
        var secretText = await Upsert(Connection(projectId, "c_secret", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = Canary() }));
        await Upsert(Connection(projectId, "c_basic", "BASIC_AUTH", new { type = "BASIC_AUTH", username = Canary(), password = Canary() }));
        await Upsert(Connection(projectId, "c_custom", "CUSTOM_AUTH", new { type = "CUSTOM_AUTH", props = new { api_key = Canary(), base_url = "https://api.example.com", tenant_secret = Canary() } }));
        var oauth = await Upsert(Connection(projectId, "c_oauth", "OAUTH2", new
        {
            type = "OAUTH2", client_id = "client-id", client_secret = Canary(), access_token = Canary(), refresh_token = Canary(),
            token_type = "Bearer", expires_in = 3600, claimed_at = 1_700_000_000_000L, scope = "read", token_url = "https://oauth.example.com/token",
            redirect_url = "https://app.example.com/cb", grant_type = "AUTHORIZATION_CODE", data = new { id_token = Canary() },
        }));
        await Upsert(Connection(projectId, "c_cloud", "CLOUD_OAUTH2", new { type = "CLOUD_OAUTH2", client_id = "c", access_token = Canary(), refresh_token = Canary(), token_url = "https://t.example.com" }));
        await Upsert(Connection(projectId, "c_platform", "PLATFORM_OAUTH2", new { type = "PLATFORM_OAUTH2", client_id = "c", access_token = Canary(), refresh_token = Canary(), redirect_url = "https://app/cb", token_url = "https://t.example.com" }));
        var doomed = await Upsert(Connection(projectId, "c_doomed", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = Canary() }));

        // Re-upserts: new credentials for existing connections.
        await Upsert(Connection(projectId, "c_secret", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = Canary() }), HttpStatusCode.OK);
        await Upsert(Connection(projectId, "c_basic", "BASIC_AUTH", new { type = "BASIC_AUTH", username = Canary(), password = Canary() }), HttpStatusCode.OK);

        // A global connection, created, re-upserted and updated.
        var globalExternalId = Api.Unique("g_canary");
        var globalId = (await admin.ApiPostAsync("/api/v1/global-connections", Api.Global(globalExternalId, [projectId], Canary()))).AssertStatus(HttpStatusCode.Created).Str("id");
        (await admin.ApiPostAsync("/api/v1/global-connections", Api.Global(globalExternalId, [projectId, otherProjectId], Canary()))).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "Basic global", pieceName = "@activepieces/piece-http", type = "BASIC_AUTH",
            value = new { type = "BASIC_AUTH", username = Canary(), password = Canary() }, projectIds = new[] { projectId },
        })).AssertStatus(HttpStatusCode.Created);
        (await admin.ApiPostAsync($"/api/v1/global-connections/{globalId}", new { displayName = "Renamed global", metadata = new { note = "n" }, projectIds = new[] { projectId } }))
            .AssertStatus(HttpStatusCode.OK);

        // Reads of every kind.
        string[] queries =
        [
            "", "&pieceName=%40activepieces%2Fpiece-example", "&displayName=conn", "&status=ACTIVE", "&status=ACTIVE,ERROR",
            "&scope=PROJECT", "&scope=PLATFORM", "&limit=1", "&limit=100",
        ];
        foreach (var query in queries)
        {
            (await admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}{query}")).AssertStatus(HttpStatusCode.OK);
        }
        string? cursor = null;
        do
        {
            var page = (await admin.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK);
            cursor = page.Body.GetProperty("next").GetString();
        }
        while (cursor is not null);
        foreach (var id in ids.Distinct().Append(globalId))
        {
            (await admin.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.OK);
        }
        (await admin.ApiGetAsync($"/api/v1/app-connections/owners?projectId={projectId}")).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiGetAsync("/api/v1/global-connections?limit=100")).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiPostAsync($"/api/v1/app-connections/{secretText}", new { displayName = "Renamed", metadata = new { team = "ops" } })).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiPostAsync($"/api/v1/app-connections/{oauth}", new { metadata = new { rotated = true } })).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiPostAsync($"/api/v1/projects/{projectId}", new { displayName = "Renamed project", metadata = new { plan = "pro" } })).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiGetAsync("/api/v1/projects?limit=100")).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiGetAsync($"/api/v1/projects/{projectId}")).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiDeleteAsync($"/api/v1/app-connections/{doomed}")).AssertStatus(HttpStatusCode.NoContent);

        // A project key reads the same connections.
        var keyResponse = (await admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "canary project key", projectId })).AssertStatus(HttpStatusCode.Created);
        var apiKeys = new List<string> { keyResponse.Str("value") };
        var projectClient = _app.Client(apiKeys[0]);
        (await projectClient.ApiGetAsync("/api/v1/app-connections?limit=100")).AssertStatus(HttpStatusCode.OK);
        (await projectClient.ApiGetAsync($"/api/v1/app-connections/{oauth}")).AssertStatus(HttpStatusCode.OK);
        (await projectClient.ApiGetAsync($"/api/v1/app-connections/{globalId}")).AssertStatus(HttpStatusCode.OK);
        (await projectClient.ApiPostAsync("/api/v1/app-connections", Connection(null, "c_by_key", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = Canary() })))
            .AssertStatus(HttpStatusCode.Created);
        (await projectClient.ApiPostAsync("/api/v1/app-connections", Connection(otherProjectId, "c_denied", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = Canary() })))
            .AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await projectClient.ApiPostAsync("/api/v1/global-connections", Api.Global(Api.Unique("g"), [projectId], Canary())))
            .AssertError(HttpStatusCode.Forbidden, "AUTHORIZATION");
        var platformKey = (await admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "canary platform key" })).AssertStatus(HttpStatusCode.Created);
        apiKeys.Add(platformKey.Str("value"));
        (await admin.ApiGetAsync("/api/v1/api-keys?limit=100")).AssertStatus(HttpStatusCode.OK);

        // Failed requests that carry canaries.
        async Task Rejected(object body, string field)
        {
            var response = (await admin.ApiPostAsync("/api/v1/app-connections", body)).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
            Assert.Equal(field, response.Body.GetProperty("params").GetProperty("field").GetString());
        }
        await Rejected(Connection(projectId, "bad_basic", "BASIC_AUTH", new { type = "BASIC_AUTH", username = Canary() }), "value.password");
        await Rejected(Connection(projectId, "bad_basic2", "BASIC_AUTH", new { type = "BASIC_AUTH", username = Canary(), password = 5 }), "value.password");
        await Rejected(Connection(projectId, "bad_mismatch", "SECRET_TEXT", new { type = "BASIC_AUTH", username = Canary(), password = Canary() }), "value.type");
        await Rejected(Connection(projectId, "bad_mismatch2", "BASIC_AUTH", new { type = "SECRET_TEXT", secret_text = Canary() }), "value.type");
        await Rejected(Connection(projectId, "bad_props", "CUSTOM_AUTH", new { type = "CUSTOM_AUTH", props = Canary() }), "value.props");
        await Rejected(Connection(projectId, "bad_oauth", "OAUTH2", new { type = "OAUTH2", refresh_token = Canary(), client_secret = Canary() }), "value.code");
        await Rejected(Connection(projectId, "bad_oauth2", "OAUTH2", new { type = "OAUTH2", access_token = Canary(), expires_in = Canary() }), "value.expires_in");
        await Rejected(Connection(projectId, "bad_oauth3", "OAUTH2", new { type = "OAUTH2", access_token = Canary(), grant_type = Canary() }), "value.grant_type");
        await Rejected(Connection(projectId, "bad_oauth4", "OAUTH2", new { type = "OAUTH2", access_token = Canary(), authorization_method = Canary() }), "value.authorization_method");
        await Rejected(Connection(projectId, "bad_long", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = Canary() + new string('x', 70_000) }), "value.secret_text");
        await Rejected(new
        {
            projectId, externalId = "bad_version", displayName = "x", pieceName = "p", pieceVersion = "latest", type = "SECRET_TEXT",
            value = new { type = "SECRET_TEXT", secret_text = Canary() },
        }, "pieceVersion");
        (await admin.ApiPostAsync("/api/v1/app-connections/" + secretText, new { displayName = "", metadata = new { } }))
            .AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        (await admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "bad global", pieceName = "p", type = "BASIC_AUTH", value = new { type = "BASIC_AUTH", username = Canary() }, projectIds = new[] { projectId },
        })).AssertError(HttpStatusCode.BadRequest, "VALIDATION");

        // Bodies that do not bind: wrong JSON types, malformed JSON, with a canary next to them.
        var wrongType = $$$"""{"projectId":"{{{projectId}}}","externalId":"bad_json","displayName":5,"pieceName":"p","type":"SECRET_TEXT","value":{"type":"SECRET_TEXT","secret_text":"{{{Canary()}}}"}}""";
        (await admin.ApiPostRawAsync("/api/v1/app-connections", wrongType)).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        var wrongTypeAfter = $$$"""{"projectId":"{{{projectId}}}","value":{"type":"SECRET_TEXT","secret_text":"{{{Canary()}}}"},"externalId":["bad_json"]}""";
        (await admin.ApiPostRawAsync("/api/v1/app-connections", wrongTypeAfter)).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        var malformed = $$$"""{"projectId":"{{{projectId}}}","externalId":"bad_json","type":"SECRET_TEXT","value":{"type":"SECRET_TEXT","secret_text":"{{{Canary()}}}" """;
        (await admin.ApiPostRawAsync("/api/v1/app-connections", malformed)).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        var unquoted = $$$"""{"projectId":"{{{projectId}}}","value":{"type":"SECRET_TEXT","secret_text":{{{Canary()}}}}}""";
        (await admin.ApiPostRawAsync("/api/v1/app-connections", unquoted)).AssertError(HttpStatusCode.BadRequest, "VALIDATION");
        var badGlobal = $$$"""{"displayName":["x"],"value":{"type":"SECRET_TEXT","secret_text":"{{{Canary()}}}"}}""";
        (await admin.ApiPostRawAsync("/api/v1/global-connections", badGlobal)).AssertError(HttpStatusCode.BadRequest, "VALIDATION");

        // The audit trail of all of it.
        (await admin.ApiGetAsync($"/api/v1/audit-events?projectId={projectId}&limit=100")).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiGetAsync($"/api/v1/audit-events?entityId={globalId}")).AssertStatus(HttpStatusCode.OK);
        cursor = null;
        do
        {
            var page = (await admin.ApiGetAsync("/api/v1/audit-events?limit=100" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")))
                .AssertStatus(HttpStatusCode.OK);
            cursor = page.Body.GetProperty("next").GetString();
        }
        while (cursor is not null);

        return new Exercise(canaries, apiKeys, projectId);
    }

    /// Every stored column of every table, read raw through the provider: rows as "table.column=value".
    private Task<List<(string Where, string Text)>> ReadEveryColumnAsync() => _app.WithDbAsync(async db =>
    {
        var result = new List<(string, string)>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Append("__EFMigrationsHistory").ToList();
            foreach (var table in tables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await command.ExecuteReaderAsync();
                var text = new StringBuilder();
                while (await reader.ReadAsync())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                        text.Append(reader.GetName(i)).Append('=').Append(value is byte[] blob ? Encoding.UTF8.GetString(blob) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                    }
                }
                result.Add((table, text.ToString()));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return result;
    });

    private static object Connection(string? projectId, string externalId, string type, object value) => new
    {
        projectId,
        externalId,
        displayName = "conn " + externalId,
        pieceName = "@activepieces/piece-example",
        pieceVersion = "1.0.0",
        type,
        value,
        metadata = new { environment = "test" },
    };

    private static IEnumerable<(string Type, object Value)> ValuesOfEveryType(string secret) =>
    [
        ("SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = secret }),
        ("BASIC_AUTH", new { type = "BASIC_AUTH", username = secret, password = secret }),
        ("CUSTOM_AUTH", new { type = "CUSTOM_AUTH", props = new { api_key = secret } }),
        ("NO_AUTH", new { type = "NO_AUTH" }),
        ("OAUTH2", new { type = "OAUTH2", client_secret = secret, access_token = secret, refresh_token = secret }),
        ("CLOUD_OAUTH2", new { type = "CLOUD_OAUTH2", access_token = secret, refresh_token = secret }),
        ("PLATFORM_OAUTH2", new { type = "PLATFORM_OAUTH2", access_token = secret, refresh_token = secret }),
    ];

    private static readonly string[] SecretWords = ["value", "secret", "password", "token", "key", "credential", "hash", "props"];

    private static void AssertNoSecretProperty(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    // metadata is the caller's own free-form, non-secret object.
                    if (path == "$" && property.Name == "metadata")
                    {
                        continue;
                    }
                    Assert.False(SecretWords.Any(w => property.Name.Contains(w, StringComparison.OrdinalIgnoreCase)),
                        $"{path}.{property.Name} looks like a secret property");
                    AssertNoSecretProperty(property.Value, $"{path}.{property.Name}");
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertNoSecretProperty(item, path + "[]");
                }
                break;
        }
    }

    private static void AssertAbsent(IEnumerable<string> secrets, string text, string where)
    {
        foreach (var secret in secrets)
        {
            foreach (var form in Forms(secret))
            {
                Assert.False(text.Contains(form, StringComparison.Ordinal), $"{where} holds {form}");
            }
        }
    }

    /// The secret itself, and the parts of its base64 encoding that appear whatever its offset in a
    /// longer encoded text (0, 1 or 2 bytes into a 3-byte group).
    private static IEnumerable<string> Forms(string secret)
    {
        yield return secret;
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var shift = 0; shift < 3; shift++)
        {
            var encoded = Convert.ToBase64String([.. new byte[shift], .. bytes]);
            var start = shift == 0 ? 0 : 4;
            var stable = encoded[start..^4];
            yield return stable;
            yield return stable.Replace('+', '-').Replace('/', '_');
        }
    }
}

public sealed class SecretExposureSqliteTests(SqliteFixture fixture) : SecretExposureTests(fixture), IClassFixture<SqliteFixture>;

public sealed class SecretExposurePostgresTests(PostgresFixture fixture) : SecretExposureTests(fixture), IClassFixture<PostgresFixture>;
