using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Plugboard.Client;
using Plugboard.Console.Tests.Infrastructure;

namespace Plugboard.Console.Tests;

/// Every console page and form, reached by following the console's own links from a signed-in session, fed what an
/// attacker or a broken client sends: never a 500, a missing or wrong antiforgery token is a 400, and a refusal writes
/// nothing (each write of the API records an audit event, so a refusal must leave the audit trail as it was). Each test
/// runs on a platform of its own, so other tests' writes do not show in its audit trail.
public sealed partial class HostileInputTests(ConsoleFixture fixture)
{
    /// Form values, already form-encoded: some cannot be written as a .NET string at all (a lone surrogate, bad UTF-8).
    private static readonly (string Name, string Encoded)[] HostileValues =
    [
        ("10 KB", Encode(new string('x', 10 * 1024))),
        ("control characters", Encode("a\u0001b\u001bc\u007f\r\nd")),
        ("NUL", "a%00b"),
        ("lone high surrogate", "%ED%A0%80x"),
        ("lone low surrogate", "x%ED%B0%80"),
        ("invalid UTF-8", "%C3%28%FF%FE"),
        ("%u escape", "%uD800%uDFFF"),
        ("path traversal", Encode("../../../etc/passwd")),
        ("unicode", Encode("名前 ünïcødé 🚀 \u202Egnp.exe")),
        ("markup", Encode(Markup)),
        ("JSON", Encode("""{"__proto__":{"admin":true},"a":[1,2""")),
        ("whitespace", Encode("   \t ")),
        ("empty", ""),
    ];

    /// Path segments put where an id belongs, already URL-encoded.
    private static readonly string[] HostileIds =
    [
        "nosuchid0000000000000", "..%2F..%2Fetc%2Fpasswd", "%2E%2E%2F%2E%2E", "%252F..", Encode("名前🚀"), "%00", "a%00b", "%ED%A0%80",
        new string('a', 300), "a%20b", "%3Cscript%3E", "con", "-1",
    ];

    private const string Markup = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>";

    [Fact]
    public async Task Forms_HostileValues_NeverA500AndARefusalWritesNothing()
    {
        var tenant = await TenantAsync();
        using var console = await ConsoleHttp.SignedInAsync(tenant.Server, tenant.Key);
        var forms = (await CrawlAsync(console)).SelectMany(p => p.Forms).ToList();
        Assert.Contains(forms, f => f.Handler == "create-project");
        Assert.Contains(forms, f => f.Handler == "edit-mcp-server");
        Assert.Contains(forms, f => f.Handler == "add-connection");
        var failures = new List<string>();
        var handled = new List<string>();

        foreach (var form in forms.Where(f => f.Post && f.HasUserFields && !f.Url.Contains("/sign-out", StringComparison.Ordinal)))
        {
            foreach (var (name, value) in HostileValues)
            {
                var before = await tenant.NewestEventAsync();
                using var response = await console.PostAsync(form.Url, form.Body(await console.TokenAsync(), _ => value));
                var body = await response.Content.ReadAsStringAsync();
                var where = $"{form.Handler} at {form.Url} with {name}";
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{where}: {(int)response.StatusCode}");
                    continue;
                }
                if (body.Contains("<script>alert(1)", StringComparison.Ordinal))
                {
                    failures.Add($"{where}: the markup came back unescaped");
                }
                if (Refused(response, body) && await tenant.NewestEventAsync() != before)
                {
                    failures.Add($"{where}: refused, yet something was written");
                }
                if (response.StatusCode != HttpStatusCode.BadRequest)
                {
                    handled.Add($"{form.Handler} {name}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        // The posts reached the pages (not all stopped before them): a plain unicode name creates a project.
        Assert.Contains("create-project unicode", handled);
        await console.AssertStillSignedInAsync();
    }

    [Fact]
    public async Task Forms_MissingOrWrongAntiforgeryToken_Are400AndWriteNothing()
    {
        var tenant = await TenantAsync();
        using var console = await ConsoleHttp.SignedInAsync(tenant.Server, tenant.Key);
        using var other = await ConsoleHttp.SignedInAsync(tenant.Server, tenant.Key);
        var forms = (await CrawlAsync(console)).SelectMany(p => p.Forms).Where(f => f.Post).ToList();
        Assert.Contains(forms, f => f.Url.EndsWith("/delete", StringComparison.Ordinal));
        var othersToken = await other.TokenAsync();
        var failures = new List<string>();
        var before = await tenant.NewestEventAsync();

        foreach (var form in forms)
        {
            foreach (var (name, token) in new (string, string?)[] { ("no token", null), ("another session's token", othersToken), ("a made-up token", "CfDJ8" + new string('A', 100)) })
            {
                // Valid values, so only the token is wrong: a delete or rotate would go through if the token were not checked.
                using var response = await console.PostAsync(form.Url, form.Body(token, field => Encode(field.Value)));
                if (response.StatusCode != HttpStatusCode.BadRequest)
                {
                    failures.Add($"{form.Handler} at {form.Url} with {name}: {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await tenant.NewestEventAsync());
        // The same post with this session's own token goes through: the refusals above were the token's.
        var create = forms.First(f => f.Handler == "create-api-key");
        using (var valid = await console.PostAsync(create.Url, create.Body(await console.TokenAsync(), _ => "with-a-token")))
        {
            Assert.NotEqual(HttpStatusCode.BadRequest, valid.StatusCode);
        }
        Assert.NotEqual(before, await tenant.NewestEventAsync());
        await console.AssertStillSignedInAsync();
    }

    [Fact]
    public async Task Routes_HostileIdsAndQueries_NeverA500AndWriteNothing()
    {
        var tenant = await TenantAsync();
        using var console = await ConsoleHttp.SignedInAsync(tenant.Server, tenant.Key);
        var pages = await CrawlAsync(console);
        var withIds = pages.Select(p => p.Url).Where(u => IdSegment().IsMatch(u)).Distinct().ToList();
        Assert.Contains(withIds, u => u.Contains("/mcp-servers/", StringComparison.Ordinal));
        var failures = new List<string>();
        var before = await tenant.NewestEventAsync();

        foreach (var url in withIds)
        {
            var forms = pages.First(p => p.Url == url).Forms.Where(f => f.Post).ToList();
            foreach (var id in HostileIds)
            {
                var hostile = IdSegment().Replace(url, "/" + id);
                using (var get = await console.GetAsync(hostile))
                {
                    if ((int)get.StatusCode >= 500)
                    {
                        failures.Add($"GET {hostile}: {(int)get.StatusCode}");
                    }
                }
                foreach (var form in forms)
                {
                    using var post = await console.PostAsync(hostile, form.Body(await console.TokenAsync(), field => Encode(field.Value)));
                    if ((int)post.StatusCode >= 500)
                    {
                        failures.Add($"POST {form.Handler} to {hostile}: {(int)post.StatusCode}");
                    }
                }
            }
        }

        // Query strings: every GET form's fields, and the paging cursor, with each hostile value.
        foreach (var form in pages.SelectMany(p => p.Forms).Where(f => !f.Post).DistinctBy(f => f.Url))
        {
            foreach (var (name, value) in HostileValues)
            {
                var query = string.Join("&", form.Fields.Select(f => $"{Encode(f.Name)}={value}").Append($"cursor={value}"));
                using var response = await console.GetAsync(form.Url.Split('?')[0] + "?" + query);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"GET {form.Url} with {name} in its query: {(int)response.StatusCode}");
                }
                else if ((await response.Content.ReadAsStringAsync()).Contains("<script>alert(1)", StringComparison.Ordinal))
                {
                    failures.Add($"GET {form.Url} with {name} in its query: the markup came back unescaped");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await tenant.NewestEventAsync());
        await console.AssertStillSignedInAsync();
    }

    [Fact]
    public async Task SignInAndPlatforms_HostileValues_NeverA500()
    {
        var server = await fixture.SqliteAsync();
        var failures = new List<string>();
        using (var anonymous = new ConsoleHttp(server))
        {
            foreach (var (name, value) in HostileValues)
            {
                using var response = await anonymous.PostAsync("/console/sign-in", $"_handler=sign-in&__RequestVerificationToken={Encode(await anonymous.TokenAsync("/console/sign-in"))}&key={value}");
                if ((int)response.StatusCode >= 500 || anonymous.Cookies.GetCookies(server.BaseAddress).Any(c => c.Name == "plugboard_console"))
                {
                    failures.Add($"sign-in with {name}: {(int)response.StatusCode}");
                }
            }
        }

        // The operator's pages: the create form with every value, the platform routes with every id.
        using var console = await ConsoleHttp.SignedInAsync(server, ConsoleServer.OperatorKey);
        var pages = await CrawlAsync(console, "/console/platforms");
        var create = pages.SelectMany(p => p.Forms).Single(f => f.Handler == "create-platform");
        foreach (var (name, value) in HostileValues.Where(v => v.Name != "unicode"))
        {
            using var response = await console.PostAsync(create.Url, create.Body(await console.TokenAsync(), _ => value));
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"create-platform with {name}: {(int)response.StatusCode}");
            }
        }
        foreach (var id in HostileIds)
        {
            foreach (var path in new[] { $"/console/platforms/{id}/disable", $"/console/platforms/{id}/enable" })
            {
                using var get = await console.GetAsync(path);
                using var post = await console.PostAsync(path, $"_handler=platform-state&__RequestVerificationToken={Encode(await console.TokenAsync())}");
                if ((int)get.StatusCode >= 500 || (int)post.StatusCode >= 500)
                {
                    failures.Add($"{path}: GET {(int)get.StatusCode}, POST {(int)post.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static bool Refused(HttpResponseMessage response, string body) =>
        response.StatusCode == HttpStatusCode.BadRequest || (response.StatusCode == HttpStatusCode.OK && body.Contains("role=\"alert\"", StringComparison.Ordinal));

    /// A platform of its own, with one of each thing the console shows: a project, its connection, an MCP server with
    /// a tool, an API key, a global connection.
    private async Task<Tenant> TenantAsync()
    {
        var server = await fixture.SqliteAsync();
        var ct = TestContext.Current.CancellationToken;
        var created = await server.Api.WithKey(ConsoleServer.OperatorKey).Platforms
            .CreateAsync(new CreatePlatformRequest { Name = "Hostile " + Guid.NewGuid().ToString("N")[..8] }, ct);
        var api = server.Api.WithKey(created.AdminApiKey);
        await api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = "@hostile/piece-vault", Version = "1.0.0", DisplayName = "Vault", Auth = [new PieceAuthDefinition { Type = "SECRET_TEXT", DisplayName = "Vault token" }],
        }, ct);
        await api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = "@hostile/piece-gelato", Version = "1.0.0", DisplayName = "Gelato", Auth = [new PieceAuthDefinition
            {
                Type = "CUSTOM_AUTH", DisplayName = "Gelato API", Required = true,
                Props = new Dictionary<string, PieceProp>
                {
                    ["api_key"] = new() { DisplayName = "API key", Type = "SECRET_TEXT", Required = true, Pattern = "^gel_" },
                    ["region"] = new() { DisplayName = "Region", Type = "STATIC_DROPDOWN", Options = ["eu", "us"] },
                    ["sandbox"] = new() { DisplayName = "Sandbox", Type = "CHECKBOX" },
                    ["limit"] = new() { DisplayName = "Limit", Type = "NUMBER" },
                },
            }],
        }, ct);
        // OAuth2: its Connect form (names, client id and secret) gets the same posts.
        await api.Pieces.RegisterAsync(new PieceMetadata
        {
            Name = "@hostile/piece-crm", Version = "1.0.0", DisplayName = "CRM", Auth = [new PieceAuthDefinition
            {
                Type = "OAUTH2", DisplayName = "CRM", AuthUrl = "https://crm.example/authorize", TokenUrl = "https://crm.example/token",
            }],
        }, ct);
        var project = await api.Projects.CreateAsync(new CreateProjectRequest { DisplayName = "Target", ExternalId = "target" }, ct);
        await api.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
        {
            ProjectId = project.Id, ExternalId = "slack-main", DisplayName = "Slack", PieceName = "@activepieces/piece-slack", Value = new SecretTextValue("xoxb-hostile"),
        }, ct);
        await api.GlobalConnections.UpsertAsync(new UpsertGlobalConnectionRequest
        {
            ExternalId = "shared", DisplayName = "Shared", PieceName = "@activepieces/piece-gelato",
            Value = new CustomAuthValue(new JsonObject { ["api_key"] = "gelato-hostile" }), ProjectIds = [project.Id],
        }, ct);
        var mcp = await api.McpServers.CreateAsync(new CreateMcpServerRequest { Name = "Agent", ProjectId = project.Id }, ct);
        await api.McpServers.UpdateAsync(mcp.Id, new UpdateMcpServerRequest
        {
            Tools = [McpTool.Piece("slack_call", new McpPieceTool("@activepieces/piece-slack", null, "custom_api_call", null, "slack-main"))],
        }, ct);
        await api.ApiKeys.CreateAsync(new CreateApiKeyRequest { DisplayName = "Backend" }, ct);
        return new Tenant(server, created.AdminApiKey, api);
    }

    private sealed record Tenant(ConsoleServer Server, string Key, PlugboardClient Api)
    {
        public async Task<string?> NewestEventAsync() =>
            (await Api.AuditEvents.ListAsync(new AuditEventQuery { Limit = 1 }, cancellationToken: TestContext.Current.CancellationToken)).Data.FirstOrDefault()?.Id;
    }

    private sealed record Field(string Name, string Value, string Type, IReadOnlyList<string> Options);

    private sealed record Form(string Url, bool Post, string? Handler, IReadOnlyList<Field> Fields)
    {
        public const string TokenName = "__RequestVerificationToken";

        public bool HasUserFields => Fields.Any(f => f.Type is not ("hidden" or "submit" or "button"));

        /// The form as posted: its `_handler`, the token (left out when null), every other field's value from
        /// <paramref name="value"/> (already form-encoded).
        public string Body(string? token, Func<Field, string> value) =>
            string.Join("&", Fields.Where(f => f.Name is not ("_handler" or TokenName)).Select(f => $"{Encode(f.Name)}={value(f)}")
                .Prepend(token is null ? null : $"{TokenName}={Encode(token)}")
                .Prepend(Handler is null ? null : $"_handler={Encode(Handler)}")
                .OfType<string>());
    }

    private sealed record Crawled(string Url, IReadOnlyList<Form> Forms);

    /// Every console page reachable from <paramref name="start"/> by its links, with its forms. Links with a query are
    /// followed too (a piece chosen for a new connection), except paging, the audit log's filters and sign-out.
    private static async Task<List<Crawled>> CrawlAsync(ConsoleHttp console, string start = "/console/projects")
    {
        var pages = new List<Crawled>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var url) && pages.Count < 150)
        {
            using var response = await console.GetAsync(url);
            Assert.True((int)response.StatusCode < 500, $"GET {url}: {(int)response.StatusCode}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                continue;
            }
            var html = await response.Content.ReadAsStringAsync();
            var forms = FormsOf(url, html);
            pages.Add(new Crawled(url, forms));
            // A GET form's choices are links too (the piece picked for a new connection).
            var choices = forms.Where(f => !f.Post).SelectMany(f => f.Fields.SelectMany(field => field.Options.Take(6)
                .Select(option => $"{f.Url.Split('?')[0]}?{Encode(field.Name)}={Encode(option)}")));
            foreach (var href in Link().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Concat(choices))
            {
                var path = href.Split('?')[0];
                if (path.StartsWith("/console/", StringComparison.Ordinal) && !path.Contains("sign-out", StringComparison.Ordinal)
                    && !href.Contains("cursor=", StringComparison.Ordinal) && seen.Add(path.StartsWith("/console/audit-log", StringComparison.Ordinal) ? path : href))
                {
                    queue.Enqueue(path.StartsWith("/console/audit-log", StringComparison.Ordinal) ? path : href);
                }
            }
        }
        return pages;
    }

    private static List<Form> FormsOf(string url, string html) =>
    [
        .. FormTag().Matches(html).Select(m =>
        {
            var attributes = m.Groups[1].Value;
            var post = Attribute(attributes, "method")?.Equals("post", StringComparison.OrdinalIgnoreCase) == true;
            var action = Attribute(attributes, "action") is { Length: > 0 } a ? a : url;
            var fields = FieldTag().Matches(m.Groups[2].Value)
                .Select(f => (Name: Attribute(f.Groups[2].Value, "name"), Value: Attribute(f.Groups[2].Value, "value") ?? "",
                    Type: f.Groups[1].Value == "input" ? Attribute(f.Groups[2].Value, "type") ?? "text" : f.Groups[1].Value,
                    Options: f.Groups[1].Value == "select" ? OptionsOf(m.Groups[2].Value, f.Index) : []))
                .Where(f => f.Name is not null)
                .Select(f => new Field(f.Name!, f.Value, f.Type, f.Options))
                .ToList();
            return new Form(action, post, fields.FirstOrDefault(f => f.Name == "_handler")?.Value, fields);
        }),
    ];

    /// The option values of the select that starts at <paramref name="start"/>.
    private static List<string> OptionsOf(string html, int start)
    {
        var end = html.IndexOf("</select>", start, StringComparison.Ordinal);
        return [.. OptionTag().Matches(html[start..(end < 0 ? html.Length : end)]).Select(o => WebUtility.HtmlDecode(o.Groups[1].Value))];
    }

    private static string? Attribute(string attributes, string name) =>
        Regex.Match(attributes, @"(?:^|\s)" + name + @"=""([^""]*)""") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    private static string Encode(string value) => Uri.EscapeDataString(value);

    [GeneratedRegex("""<form\b([^>]*)>(.*?)</form>""", RegexOptions.Singleline)]
    private static partial Regex FormTag();

    [GeneratedRegex(@"<option\b[^>]*\bvalue=""([^""]*)""")]
    private static partial Regex OptionTag();

    [GeneratedRegex("""<(input|select|textarea)\b([^>]*)>""")]
    private static partial Regex FieldTag();

    [GeneratedRegex(@"<a\b[^>]*\bhref=""([^""]+)""")]
    private static partial Regex Link();

    /// A path segment holding an id the server issued (21 letters and digits).
    [GeneratedRegex("/[A-Za-z0-9]{21}(?=/|\\?|$)")]
    private static partial Regex IdSegment();

    /// The console as a browser without JavaScript: its cookies, no redirects followed, forms posted as typed.
    private sealed class ConsoleHttp : IDisposable
    {
        private readonly HttpClient _http;

        public ConsoleHttp(ConsoleServer server)
        {
            _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress };
        }

        public CookieContainer Cookies { get; } = new();

        /// A page of this session that has a form (the operator has only the platforms pages).
        public string TokenPage { get; private set; } = "/console/api-keys";

        public static async Task<ConsoleHttp> SignedInAsync(ConsoleServer server, string key)
        {
            var console = new ConsoleHttp(server);
            using var response = await console.PostAsync("/console/sign-in",
                $"_handler=sign-in&{Form.TokenName}={Encode(await console.TokenAsync("/console/sign-in"))}&key={Encode(key)}");
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, $"sign-in: {(int)response.StatusCode}");
            if (response.Headers.Location?.OriginalString.EndsWith("/console/platforms", StringComparison.Ordinal) == true)
            {
                console.TokenPage = "/console/platforms";
            }
            return console;
        }

        public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url, TestContext.Current.CancellationToken);

        public Task<HttpResponseMessage> PostAsync(string url, string body) =>
            _http.PostAsync(url, new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"), TestContext.Current.CancellationToken);

        /// An antiforgery token of this session, read from a page's form as a browser would.
        public async Task<string> TokenAsync(string? page = null)
        {
            page ??= TokenPage;
            var html = await _http.GetStringAsync(page, TestContext.Current.CancellationToken);
            var token = Regex.Match(html, @"name=""" + Form.TokenName + @""" value=""([^""]+)""");
            Assert.True(token.Success, $"{page} has no antiforgery token");
            return WebUtility.HtmlDecode(token.Groups[1].Value);
        }

        public async Task AssertStillSignedInAsync()
        {
            using var response = await GetAsync(TokenPage);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        public void Dispose() => _http.Dispose();
    }
}
