using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth.Outbound;
using Plugboard.Server.Proxy;

namespace Plugboard.Server.Mcp;

/// What `/mcp` answers for one server: its tools (the configured ones and the locked `list_connections`) and their calls.
/// A tool call goes through the proxy, so the credential is added server-side and never appears in a tool's input or
/// output; whatever goes wrong upstream or with the connection is a tool error (`isError: true`) the agent can read.
public sealed class McpToolCalls(PlugboardDb db, ProxyForwarder forwarder, ProxyOptions options)
{
    private static readonly JsonElement ListConnectionsSchema = JsonSerializer.SerializeToElement(new { type = "object", properties = new { } });

    private static readonly JsonElement ApiCallSchema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "method": { "type": "string", "enum": ["GET", "POST", "PUT", "PATCH", "DELETE"], "description": "The HTTP method." },
            "path": { "type": "string", "description": "The path under the API's base URL, e.g. /v1/users/me." },
            "query": {
              "type": "object",
              "additionalProperties": { "type": ["string", "number", "boolean"] },
              "description": "Query parameters, by name."
            },
            "body": { "description": "The JSON body, for POST, PUT and PATCH." }
          },
          "required": ["method", "path"],
          "additionalProperties": false
        }
        """).RootElement.Clone();

    public async ValueTask<ListToolsResult> ListAsync(McpCaller caller, CancellationToken ct)
    {
        var tools = new List<Tool>
        {
            new()
            {
                Name = McpTools.ListConnections,
                Description = "Lists this project's connections (externalId, name, app, type, status); never a credential.",
                InputSchema = ListConnectionsSchema,
                Annotations = new ToolAnnotations { ReadOnlyHint = true },
            },
        };
        tools.AddRange((await ToolsOfAsync(caller, ct)).Select(t => new Tool
        {
            Name = t.ToolName!,
            Description =
                $"{t.PieceMetadata!.ActionDisplayName ?? "Custom API call"} on {t.PieceMetadata.PieceName} with the connection '{t.PieceMetadata.ConnectionExternalId}': " +
                "an HTTP request to its API, authenticated by Plugboard. Returns the status and the body.",
            InputSchema = ApiCallSchema,
        }));
        return new ListToolsResult { Tools = tools };
    }

    public async ValueTask<CallToolResult> CallAsync(McpCaller caller, CallToolRequestParams? call, CancellationToken ct)
    {
        var name = call?.Name;
        if (name == McpTools.ListConnections)
        {
            return await ListConnectionsAsync(caller, ct);
        }
        var tool = (await ToolsOfAsync(caller, ct)).FirstOrDefault(t => t.ToolName == name)
            ?? throw new McpProtocolException($"Unknown tool: '{name}'.", McpErrorCode.InvalidParams);
        if (!ApiCall.Parse(call!.Arguments).TryGetValue(out var request, out var invalid))
        {
            return Failed(invalid);
        }
        var body = request.Body is { } json ? Encoding.UTF8.GetBytes(json.GetRawText()) : [];
        var proxied = new ProxyCall(caller.PlatformId, caller.ProjectId, tool.PieceMetadata!.ConnectionExternalId!, EmbeddedOnly: false,
            McpCaller.ActorType, caller.ServerId, request.Path, request.Query);
        var sent = await forwarder.SendAsync(proxied,
            new ProxyRequest(request.Method, body, body.Length > 0 ? "application/json" : null, [KeyValuePair.Create("Accept", new[] { "application/json" })]), ct);
        if (!sent.TryGetValue(out var response, out var refused))
        {
            return Failed(refused);
        }
        using (response)
        {
            string text;
            try
            {
                // A tool's output is one string: the cap cannot go past what a string holds.
                text = await OutboundHttp.ReadCappedAsync(response, (int)Math.Min(options.MaxResponseBytes, int.MaxValue), ct);
            }
            catch (OutboundRefusedException)
            {
                return Failed(ApiError.Http(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamUnavailable,
                    $"The connection's API answered more than {options.MaxResponseBytes} bytes (PLUGBOARD_PROXY_MAX_RESPONSE_BYTES)."));
            }
            var status = (int)response.StatusCode;
            return new CallToolResult
            {
                Content = [new TextContentBlock { Text = $"HTTP {status}\n\n{text}" }],
                StructuredContent = JsonSerializer.SerializeToElement(new { status, body = AsJson(text) }),
                IsError = status >= 400,
            };
        }
    }

    private async Task<CallToolResult> ListConnectionsAsync(McpCaller caller, CancellationToken ct)
    {
        var rows = await db.VisibleIn(caller.PlatformId, caller.ProjectId).AsNoTracking()
            .Where(c => c.Status != ConnectionStatus.Missing)
            .Select(c => new { c.ExternalId, c.DisplayName, c.PieceName, c.Type, c.Status, c.Scope })
            .ToListAsync(ct);
        // A project connection shadows a global one of the same externalId, as it does for the engine and the proxy.
        var connections = rows.GroupBy(c => c.ExternalId)
            .Select(g => g.OrderBy(c => c.Scope == ConnectionScope.Project ? 0 : 1).First())
            .OrderBy(c => c.ExternalId, StringComparer.Ordinal)
            .Select(c => new
            {
                c.ExternalId,
                c.DisplayName,
                c.PieceName,
                Type = WireEnum<ConnectionType>.Name(c.Type),
                Status = WireEnum<ConnectionStatus>.Name(c.Status),
                Scope = WireEnum<ConnectionScope>.Name(c.Scope),
            })
            .ToList();
        var json = JsonSerializer.SerializeToElement(new { connections }, JsonDefaults.Options);
        return new CallToolResult { Content = [new TextContentBlock { Text = json.GetRawText() }], StructuredContent = json };
    }

    private async Task<IReadOnlyList<McpToolDto>> ToolsOfAsync(McpCaller caller, CancellationToken ct)
    {
        var tools = await db.McpServers.AsNoTracking().Where(s => s.Id == caller.ServerId).Select(s => s.Tools).FirstOrDefaultAsync(ct);
        return tools is null ? [] : McpTools.Read(tools);
    }

    private static object AsJson(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static CallToolResult Failed(ApiError error) =>
        new() { Content = [new TextContentBlock { Text = $"{error.Code}: {error.Detail}" }], IsError = true };

    /// A `custom_api_call`'s arguments, checked: `{method, path, query?, body?}`. A query string in the path is moved to the query.
    private sealed record ApiCall(string Method, string Path, QueryString Query, JsonElement? Body)
    {
        public static Outcome<ApiCall> Parse(IDictionary<string, JsonElement>? arguments)
        {
            arguments ??= new Dictionary<string, JsonElement>();
            if (arguments.Keys.FirstOrDefault(k => k is not ("method" or "path" or "query" or "body")) is { } unknown)
            {
                return ApiError.Validation($"Unknown argument '{unknown}': give method, path, query and body.", unknown);
            }
            if (!arguments.TryGetValue("method", out var m) || m.ValueKind != JsonValueKind.String || !ProxyApi.Methods.Contains(m.GetString()!.ToUpperInvariant()))
            {
                return ApiError.Validation($"method must be one of {string.Join(", ", ProxyApi.Methods)}.", "method");
            }
            if (!arguments.TryGetValue("path", out var p) || p.ValueKind != JsonValueKind.String)
            {
                return ApiError.Validation("path must be a string: the path under the API's base URL, e.g. /v1/users/me.", "path");
            }
            var (path, inline) = SplitQuery(p.GetString()!);
            var query = new List<KeyValuePair<string, string?>>(inline);
            if (arguments.TryGetValue("query", out var q) && q.ValueKind != JsonValueKind.Null)
            {
                if (q.ValueKind != JsonValueKind.Object)
                {
                    return ApiError.Validation("query must be an object of parameter names to strings, numbers or booleans.", "query");
                }
                foreach (var parameter in q.EnumerateObject())
                {
                    if (parameter.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null)
                    {
                        return ApiError.Validation($"query.{parameter.Name} must be a string, a number or a boolean.", $"query.{parameter.Name}");
                    }
                    query.Add(KeyValuePair.Create(parameter.Name, (string?)(parameter.Value.ValueKind == JsonValueKind.String ? parameter.Value.GetString() : parameter.Value.GetRawText())));
                }
            }
            JsonElement? body = arguments.TryGetValue("body", out var b) && b.ValueKind != JsonValueKind.Null ? b : null;
            var method = m.GetString()!.ToUpperInvariant();
            if (body is not null && method is "GET" or "DELETE")
            {
                return ApiError.Validation($"A {method} request has no body: leave body out.", "body");
            }
            return new ApiCall(method, path, query.Count == 0 ? QueryString.Empty : QueryString.Create(query), body);
        }

        private static (string Path, IEnumerable<KeyValuePair<string, string?>> Query) SplitQuery(string path)
        {
            var mark = path.IndexOf('?', StringComparison.Ordinal);
            if (mark < 0)
            {
                return (path, []);
            }
            var parsed = QueryHelpers.ParseQuery(path[mark..]);
            return (path[..mark], parsed.SelectMany(kv => kv.Value.Select(v => KeyValuePair.Create(kv.Key, v))));
        }
    }
}
