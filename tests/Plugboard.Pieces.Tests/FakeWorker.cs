using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Plugboard.Pieces.Tests;

/// The server's worker API as a real Kestrel server on a loopback port: connections by key with the status and
/// body a test sets, the token's project, and a log of every request (raw target and Authorization header).
public sealed class FakeWorker : IAsyncDisposable
{
    public const string Token = "eyJ-fake-engine-token";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _connections = new(StringComparer.Ordinal);

    private FakeWorker(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Target, string? Authorization)> Requests { get; } = new();

    public JsonObject Project { get; set; } = new() { ["id"] = "proj_1", ["externalId"] = "org_1", ["displayName"] = "Org 1" };

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FakeWorker> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var worker = new FakeWorker(app);
        app.Run(worker.HandleAsync);
        await app.StartAsync();
        worker.BaseAddress = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        return worker;
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress };

    /// An ACTIVE (or other status) connection in the worker route's shape, with this value.
    public void Connection(string key, JsonObject value, string status = "ACTIVE") =>
        Reply(key, 200, new JsonObject
        {
            ["id"] = "conn_" + key,
            ["externalId"] = key,
            ["type"] = value["type"]?.DeepClone(),
            ["status"] = status,
            ["statusReason"] = status == "ERROR" ? "refresh failed" : null,
            ["value"] = value,
        }.ToJsonString());

    public void Reply(string key, int status, string body) => _connections[key] = (status, body);

    public int CountRequests(string pathPrefix) => Requests.Count(r => r.Target.StartsWith(pathPrefix, StringComparison.Ordinal));

    /// A loopback port nothing listens on: connecting to it is refused.
    public static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private async Task HandleAsync(HttpContext http)
    {
        var target = http.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var authorization = http.Request.Headers.Authorization.ToString();
        Requests.Enqueue((target, authorization));
        if (authorization != "Bearer " + Token)
        {
            await WriteAsync(http, 401, """{"statusCode":401,"code":"AUTHENTICATION","params":{"message":"bad token"}}""");
            return;
        }
        const string connectionsPrefix = "/api/v1/worker/app-connections/";
        var path = target.Split('?')[0];
        if (path == "/api/v1/worker/project")
        {
            await WriteAsync(http, 200, Project.ToJsonString());
        }
        else if (path.StartsWith(connectionsPrefix, StringComparison.Ordinal)
            && _connections.TryGetValue(Uri.UnescapeDataString(path[connectionsPrefix.Length..]), out var reply))
        {
            await WriteAsync(http, reply.Status, reply.Body);
        }
        else
        {
            await WriteAsync(http, 404, """{"statusCode":404,"code":"ENTITY_NOT_FOUND","params":{"message":"not found"}}""");
        }
    }

    private static Task WriteAsync(HttpContext http, int status, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = status >= 400 ? "application/problem+json" : "application/json";
        return http.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
