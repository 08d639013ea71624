using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Tests.Embedding;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Mcp;
using Plugboard.Server.Tests.Startup;

namespace Plugboard.Server.Tests.Http;

/// PLUGBOARD_RATE_LIMIT*: each test starts a server of its own with the limits it needs. The limiter sits
/// in front of authentication and storage, so these run on SQLite only. A bucket of N per minute refills
/// one request every 60/N s, so with N = 5 nothing comes back during a test; requests "from" an address
/// are sent through the test server with that remote address.
public sealed class RateLimitTests : IAsyncLifetime
{
    private const string ExchangePath = "/api/v1/managed-authn/external-token";
    private readonly List<IAsyncDisposable> _owned = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }

    [Fact]
    public async Task ApiKey_OverItsLimit_Is429TooManyRequestsWithRetryAfterInTheErrorBody()
    {
        var app = await StartAsync((RateLimitOptions.PerCredentialVariable, "5"));
        var admin = app.Client();

        for (var i = 0; i < 5; i++)
        {
            (await admin.ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
        }
        using var rejected = await admin.GetAsync(new Uri("/api/v1/projects", UriKind.Relative));
        var response = await ReadAsync(rejected);

        response.AssertError(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
        Assert.Equal("TOO_MANY_REQUESTS", response.Str("title"));
        Assert.Equal("https://plugboard.dev/errors/too-many-requests", response.Str("type"));
        Assert.Equal(response.Body.GetProperty("params").GetProperty("message").GetString(), response.Str("detail"));
        // 5 per minute: the next request is allowed 12 s later.
        Assert.Equal(TimeSpan.FromSeconds(12), rejected.Headers.RetryAfter?.Delta);
        Assert.Equal("12", Assert.Single(rejected.Headers.GetValues("Retry-After")));
    }

    [Fact]
    public async Task ApiKey_AnotherKeysLimitSpent_HasItsOwnBudget()
    {
        var app = await StartAsync((RateLimitOptions.PerCredentialVariable, "5"));
        var admin = app.Client();
        var second = app.Client((await admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "second" })).AssertStatus(HttpStatusCode.Created).Str("value"));

        await SpendAsync(() => admin.ApiGetAsync("/api/v1/projects"));

        for (var i = 0; i < 5; i++)
        {
            (await second.ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
        }
        (await second.ApiGetAsync("/api/v1/projects")).AssertError(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
        (await admin.ApiGetAsync("/api/v1/projects")).AssertError(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
    }

    [Fact]
    public async Task Anonymous_OverTheAddressLimit_Is429ForThatAddressOnly()
    {
        var app = await StartAsync((RateLimitOptions.PerIpVariable, "5"));

        for (var i = 0; i < 5; i++)
        {
            (await SendFromAsync(app, "203.0.113.7", HttpMethods.Get, "/openapi/v1.json")).AssertStatus(HttpStatusCode.OK);
        }
        var rejected = await SendFromAsync(app, "203.0.113.7", HttpMethods.Get, "/openapi/v1.json");
        rejected.Response.AssertError(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
        Assert.Equal("12", rejected.RetryAfter);
        // Unknown routes and the IPv4-mapped form of the address count against the same budget.
        (await SendFromAsync(app, "203.0.113.7", HttpMethods.Get, "/api/v1/no-such-route")).AssertStatus(HttpStatusCode.TooManyRequests);
        (await SendFromAsync(app, "::ffff:203.0.113.7", HttpMethods.Get, "/openapi/v1.json")).AssertStatus(HttpStatusCode.TooManyRequests);

        (await SendFromAsync(app, "203.0.113.8", HttpMethods.Get, "/openapi/v1.json")).AssertStatus(HttpStatusCode.OK);
        // A credential is not limited by its address's anonymous budget.
        (await SendFromAsync(app, "203.0.113.7", HttpMethods.Get, "/api/v1/projects", TestApp.AdminKey)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Anonymous_IPv6_CountsPerSlash64()
    {
        var app = await StartAsync((RateLimitOptions.PerIpVariable, "5"));

        for (var i = 1; i <= 5; i++)
        {
            (await SendFromAsync(app, $"2001:db8:1:2::{i}", HttpMethods.Get, "/openapi/v1.json")).AssertStatus(HttpStatusCode.OK);
        }

        (await SendFromAsync(app, "2001:db8:1:2:ffff::9", HttpMethods.Get, "/openapi/v1.json")).AssertStatus(HttpStatusCode.TooManyRequests);
        (await SendFromAsync(app, "2001:db8:1:3::1", HttpMethods.Get, "/openapi/v1.json")).AssertStatus(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_OverEveryLimit_IsNeverLimited(string path)
    {
        var app = await StartAsync((RateLimitOptions.PerIpVariable, "1"), (RateLimitOptions.PerCredentialVariable, "1"));

        for (var i = 0; i < 20; i++)
        {
            (await SendFromAsync(app, "203.0.113.7", HttpMethods.Get, path)).AssertStatus(HttpStatusCode.OK);
            (await SendFromAsync(app, "203.0.113.7", HttpMethods.Get, path, TestApp.AdminKey)).AssertStatus(HttpStatusCode.OK);
        }
    }

    /// Strict by default: TestApp lifts the exchange's limit for every other test, so this one puts the defaults back.
    [Fact]
    public async Task TokenExchange_DefaultLimits_FiveAtOnceThen429PerAddress()
    {
        var app = await StartAsync((RateLimitOptions.TokenExchangeVariable, ""), (RateLimitOptions.TokenExchangeBurstVariable, ""));
        var body = """{"externalAccessToken":"not-a-signed-token"}""";

        for (var i = 0; i < 5; i++)
        {
            // The limiter counts attempts, whatever the exchange answers them.
            var answered = await SendFromAsync(app, "198.51.100.1", HttpMethods.Post, ExchangePath, json: body);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, answered.Response.Status);
        }
        var rejected = await SendFromAsync(app, "198.51.100.1", HttpMethods.Post, ExchangePath, json: body);

        rejected.Response.AssertError(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
        Assert.Equal("6", rejected.RetryAfter); // 10 per minute
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await SendFromAsync(app, "198.51.100.2", HttpMethods.Post, ExchangePath, json: body)).Response.Status);
        // Only the exchange is this strict: the address's other anonymous requests still go through.
        (await SendFromAsync(app, "198.51.100.1", HttpMethods.Get, "/openapi/v1.json")).AssertStatus(HttpStatusCode.OK);
    }

    /// An office signing in at 9:00 from one address while someone there keeps presenting refused tokens.
    [Fact]
    public async Task TokenExchange_DefaultLimits_FiftyValidFromOneAddressPassWhileItsRefusedOnesAre429()
    {
        var app = await StartAsync((RateLimitOptions.TokenExchangeVariable, ""), (RateLimitOptions.TokenExchangeBurstVariable, ""),
            (RateLimitOptions.TokenExchangeValidVariable, ""));
        using var saas = await Saas.RegisterAsync(app.Client(), TimeProvider.System);
        var office = "198.51.100.20";
        var org = Api.Unique("org");
        var refusedBody = """{"externalAccessToken":"not-a-signed-token"}""";
        var refused = new List<HttpStatusCode>();

        for (var i = 0; i < 50; i++)
        {
            var token = saas.Mint(Saas.Claims($"user_{i}", org));
            (await SendFromAsync(app, office, HttpMethods.Post, ExchangePath, json: $$"""{"externalAccessToken":"{{token}}"}""")).AssertStatus(HttpStatusCode.OK);
            if (i < 25)
            {
                refused.Add((await SendFromAsync(app, office, HttpMethods.Post, ExchangePath, json: refusedBody)).Response.Status);
            }
        }

        // The strict budget: five refusals answered at once, then 429s (the next refusal is allowed 6 s later).
        Assert.All(refused.Take(5), status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.All(refused.Skip(5), status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
        Assert.Equal(20, refused.Count(s => s == HttpStatusCode.TooManyRequests));
        (await SendFromAsync(app, office, HttpMethods.Post, ExchangePath, json: refusedBody)).AssertError(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
    }

    [Fact]
    public async Task TokenExchange_ValidLimitSet_Is429OverItPerSigningKeyFromAnyAddress()
    {
        var app = await StartAsync((RateLimitOptions.TokenExchangeValidVariable, "3"));
        using var first = await Saas.RegisterAsync(app.Client(), TimeProvider.System);
        using var second = await Saas.RegisterAsync(app.Client(), TimeProvider.System);
        string Body(Saas saas) => $$"""{"externalAccessToken":"{{saas.Mint(Saas.Claims(Api.Unique("user"), Api.Unique("org")))}}"}""";

        for (var i = 0; i < 3; i++)
        {
            (await SendFromAsync(app, $"203.0.113.{i + 1}", HttpMethods.Post, ExchangePath, json: Body(first))).AssertStatus(HttpStatusCode.OK);
        }
        var rejected = await SendFromAsync(app, "203.0.113.50", HttpMethods.Post, ExchangePath, json: Body(first));

        rejected.AssertError(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
        Assert.Equal("20", rejected.RetryAfter); // 3 per minute
        (await SendFromAsync(app, "203.0.113.50", HttpMethods.Post, ExchangePath, json: Body(second))).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task MadeUpCredentials_OverTheAddressLimit_Are429FromThatAddressOnly()
    {
        var app = await StartAsync((RateLimitOptions.PerIpVariable, "5"));

        // Each made-up key would be a partition of its own; the failures count against the address instead.
        for (var i = 0; i < 5; i++)
        {
            (await SendFromAsync(app, "192.0.2.10", HttpMethods.Get, "/api/v1/projects", $"sk-madeUp{i}{Guid.NewGuid():N}"))
                .AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        }
        var rejected = await SendFromAsync(app, "192.0.2.10", HttpMethods.Get, "/api/v1/projects", $"sk-madeUp{Guid.NewGuid():N}");
        rejected.Response.AssertError(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
        Assert.Equal("12", rejected.RetryAfter);
        (await SendFromAsync(app, "192.0.2.10", HttpMethods.Get, "/api/v1/projects", TestApp.AdminKey)).AssertStatus(HttpStatusCode.TooManyRequests);

        (await SendFromAsync(app, "192.0.2.11", HttpMethods.Get, "/api/v1/projects", TestApp.AdminKey)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task WorkerRoutes_EngineTokenByDefault_AreNotLimited()
    {
        var app = await StartAsync((RateLimitOptions.PerCredentialVariable, "5"), (RateLimitOptions.PerIpVariable, "5"));
        var admin = app.Client();
        var engine = app.Client(await admin.EngineTokenAsync(await admin.CreateProjectAsync()));

        for (var i = 0; i < 50; i++)
        {
            (await engine.ApiGetAsync("/api/v1/worker/project")).AssertStatus(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task WorkerRoutes_EngineTokenLimitSet_Is429OverItPerToken()
    {
        var app = await StartAsync((RateLimitOptions.PerEngineTokenVariable, "5"));
        var admin = app.Client();
        var projectId = await admin.CreateProjectAsync();
        var first = app.Client(await admin.EngineTokenAsync(projectId));
        var second = app.Client(await admin.EngineTokenAsync(projectId));

        await SpendAsync(() => first.ApiGetAsync("/api/v1/worker/project"));

        (await second.ApiGetAsync("/api/v1/worker/project")).AssertStatus(HttpStatusCode.OK);
        // The engine token's budget is the worker routes': the platform key's own is untouched.
        (await admin.ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Mcp_McpTokenLimitSet_Is429OverItPerTokenInTheContractBody()
    {
        var app = await StartAsync((RateLimitOptions.PerMcpTokenVariable, "5"));
        var admin = app.Client();
        var projectId = await admin.CreateProjectAsync();
        async Task<HttpClient> AgentAsync() => app.Client((await admin.ApiPostAsync("/api/v1/mcp-servers", new { name = "agent", projectId }))
            .AssertStatus(HttpStatusCode.Created).Str("token"));
        var (first, second) = (await AgentAsync(), await AgentAsync());

        var refused = await SpendAsync(() => first.RawListToolsAsync());

        refused.AssertError(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");
        (await second.RawListToolsAsync()).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
    }

    /// The buckets refill on the app's TimeProvider: 120 per minute is one request back every half second, so
    /// moving the clock by the Retry-After it is given (rounded up to a second) lets the next request through.
    [Fact]
    public async Task ApiKey_AfterRetryAfter_IsAllowedAgain()
    {
        var clock = TestClock.StartingNow();
        var app = await StartAsync(clock, (RateLimitOptions.PerCredentialVariable, "120"));
        var admin = app.Client();

        using var rejected = await SpendAsync(() => admin.GetAsync(new Uri("/api/v1/projects", UriKind.Relative)), limit: 400);
        var retryAfter = rejected.Headers.RetryAfter?.Delta;
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
        // However long the requests took, nothing comes back while the clock stands still.
        (await admin.ApiGetAsync("/api/v1/projects")).AssertError(HttpStatusCode.TooManyRequests, "TOO_MANY_REQUESTS");

        clock.Advance(retryAfter!.Value);

        (await admin.ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RateLimitsOff_FarOverEveryLimit_NothingIs429()
    {
        var app = await StartAsync(
            (RateLimitOptions.EnabledVariable, "off"), (RateLimitOptions.PerCredentialVariable, "1"), (RateLimitOptions.PerIpVariable, "1"),
            (RateLimitOptions.TokenExchangeVariable, "1"), (RateLimitOptions.TokenExchangeBurstVariable, "1"));
        var admin = app.Client();

        for (var i = 0; i < 10; i++)
        {
            (await admin.ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
            (await SendFromAsync(app, "203.0.113.7", HttpMethods.Get, "/openapi/v1.json")).AssertStatus(HttpStatusCode.OK);
            (await SendFromAsync(app, "203.0.113.7", HttpMethods.Get, "/api/v1/projects", $"sk-madeUp{Guid.NewGuid():N}")).AssertStatus(HttpStatusCode.Unauthorized);
            Assert.NotEqual(HttpStatusCode.TooManyRequests,
                (await SendFromAsync(app, "203.0.113.7", HttpMethods.Post, ExchangePath, json: """{"externalAccessToken":"x"}""")).Response.Status);
        }
    }

    public static TheoryData<string, string> InvalidSettings => new()
    {
        { RateLimitOptions.EnabledVariable, "sometimes" },
        { RateLimitOptions.PerCredentialVariable, "-1" },
        { RateLimitOptions.PerCredentialVariable, "lots" },
        { RateLimitOptions.PerEngineTokenVariable, "1.5" },
        { RateLimitOptions.PerIpVariable, "2000000" },
        { RateLimitOptions.TokenExchangeVariable, " 10 min" },
        { RateLimitOptions.TokenExchangeBurstVariable, "0" },
        { RateLimitOptions.TokenExchangeValidVariable, "many" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Start_InvalidSetting_FailsNamingTheVariable(string variable, string value)
    {
        await using var storage = await TestStorage.CreateAsync(DatabaseEngine.Sqlite);

        await Restarts.FailsToStartAsync(storage, new Dictionary<string, string?> { [variable] = value }, variable);
    }

    [Fact]
    public async Task RejectedRequests_Logs_NeverHoldTheCredentialNorItsHash()
    {
        // Every log line there is: the rejections are logged at Debug, the framework's limiter and authentication below it.
        var app = await StartAsync(
            (RateLimitOptions.PerCredentialVariable, "2"), (RateLimitOptions.PerIpVariable, "2"),
            ("Logging:LogLevel:Default", "Trace"), ("Logging:LogLevel:Microsoft.AspNetCore", "Trace"));
        var admin = app.Client();
        var key = (await admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "logged?" })).AssertStatus(HttpStatusCode.Created).Str("value");
        var madeUp = $"sk-madeUpButSecret{Guid.NewGuid():N}";

        await SpendAsync(() => app.Client(key).ApiGetAsync("/api/v1/projects"));
        await SpendAsync(() => admin.ApiGetAsync("/api/v1/projects"));
        await SpendAsync(async () => (await SendFromAsync(app, "192.0.2.1", HttpMethods.Get, "/api/v1/projects", madeUp)).Response);

        Assert.Contains(app.Logs.Lines, line => line.Contains("Rate limited", StringComparison.Ordinal));
        var hashes = new[] { key, TestApp.AdminKey, madeUp }.Select(HashOf).ToList();
        foreach (var secret in new[] { key, TestApp.AdminKey, madeUp, key[3..], madeUp[3..] }.Concat(hashes))
        {
            Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task OpenApi_EveryApiOperationReturningTheErrorBody_Documents429AsProblemJson()
    {
        var app = await StartAsync();

        var document = (await app.Client(null).ApiGetAsync("/openapi/v1.json")).AssertStatus(HttpStatusCode.OK).Body;

        var projects = document.GetProperty("paths").GetProperty("/api/v1/projects").GetProperty("get").GetProperty("responses");
        Assert.True(projects.GetProperty("429").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    [Fact]
    public void CredentialHash_SameToken_IsOneKeyOfSixteenBytesAndNotTheToken()
    {
        static string Hash(string header)
        {
            var http = new DefaultHttpContext();
            http.Request.Headers.Authorization = header;
            return RateLimitKeys.CredentialHash(http.Request);
        }

        var token = TestApp.AdminKey;

        Assert.Equal(Hash($"Bearer {token}"), Hash($"bearer   {token} "));
        Assert.Equal(32, Hash($"Bearer {token}").Length);
        Assert.Equal(HashOf(token), Hash($"Bearer {token}"));
        Assert.NotEqual(Hash($"Bearer {token}"), Hash($"Bearer {token}x"));
        Assert.Equal(HashOf(new string('t', 5000)), Hash($"Bearer {new string('t', 5000)}"));
        Assert.DoesNotContain(token, Hash($"Bearer {token}"), StringComparison.Ordinal);
    }

    private Task<TestApp> StartAsync(params (string Key, string Value)[] settings) => StartAsync(time: null, settings);

    private async Task<TestApp> StartAsync(TimeProvider? time, params (string Key, string Value)[] settings)
    {
        var storage = await TestStorage.CreateAsync(DatabaseEngine.Sqlite);
        _owned.Add(storage);
        var app = new TestApp(storage, settings.ToDictionary(s => s.Key, s => (string?)s.Value), time);
        _owned.Add(app);
        _ = app.Services;
        return app;
    }

    /// Sends until the first 429 (at most `limit` requests) and returns it.
    private static async Task<T> SpendAsync<T>(Func<Task<T>> send, int limit = 20) where T : class
    {
        for (var i = 0; i < limit; i++)
        {
            var response = await send();
            var status = response switch
            {
                ApiResponse api => api.Status,
                HttpResponseMessage http => http.StatusCode,
                _ => throw new InvalidOperationException(),
            };
            if (status == HttpStatusCode.TooManyRequests)
            {
                return response;
            }
            (response as IDisposable)?.Dispose();
        }
        throw new Xunit.Sdk.XunitException($"no 429 within {limit} requests");
    }

    /// A request through the in-memory server as if from the given remote address.
    private static async Task<(ApiResponse Response, string? RetryAfter)> SendFromAsync(
        TestApp app, string address, string method, string path, string? bearer = null, string? json = null)
    {
        var http = await app.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
            c.Request.Method = method;
            c.Request.Path = path;
            if (bearer is not null)
            {
                c.Request.Headers.Authorization = $"Bearer {bearer}";
            }
            if (json is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(json);
                c.Request.ContentType = "application/json";
                c.Request.ContentLength = bytes.Length;
                c.Request.Body = new MemoryStream(bytes);
                // The test server decides "this request has a body" from a request message; here there is none.
                c.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
            }
        });
        using var reader = new StreamReader(http.Response.Body);
        var raw = await reader.ReadToEndAsync();
        var mediaType = http.Response.ContentType is { } type ? MediaTypeHeaderValue.Parse(type).MediaType : null;
        return (new ApiResponse((HttpStatusCode)http.Response.StatusCode, raw, mediaType), http.Response.Headers.RetryAfter.ToString() is { Length: > 0 } after ? after : null);
    }

    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private static async Task<ApiResponse> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);

    private static string HashOf(string token) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(token))[..16]);
}

internal static class RateLimitTestExtensions
{
    public static (ApiResponse Response, string? RetryAfter) AssertStatus(this (ApiResponse Response, string? RetryAfter) sent, HttpStatusCode status)
    {
        sent.Response.AssertStatus(status);
        return sent;
    }

    public static (ApiResponse Response, string? RetryAfter) AssertError(this (ApiResponse Response, string? RetryAfter) sent, HttpStatusCode status, string code)
    {
        sent.Response.AssertError(status, code);
        return sent;
    }
}
