using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Plugboard.Server.Data;
using Plugboard.Server.Outbox;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;

namespace Plugboard.Server.Tests.Webhooks;

/// Two server processes on one database, both running the delivery worker on its real clock: every event is
/// delivered, signed, by one of them (the lease), and soon; the delivery lag is written to the test output.
public sealed class WebhookReplicaTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task TwoReplicas_DeliverEveryEventOnceSignedWithinSeconds(DatabaseEngine engine)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var replicas = await Replicas.CreateAsync(engine);
        var key = TestKey.New().Base64;
        var settings = Settings(intervalSeconds: 1);
        var a = replicas.Client(await replicas.StartAsync("A", key, settings));
        var b = replicas.Client(await replicas.StartAsync("B", key, settings));
        var hook = (await a.ApiPostAsync("/api/v1/webhooks", new { url = receiver.Url("replicas"), events = new[] { WebhookEvents.Created } }))
            .AssertStatus(HttpStatusCode.Created);
        var secret = hook.Str("secret");
        var projectId = await a.CreateProjectAsync();

        const int events = 30;
        var answeredAt = new Dictionary<string, DateTime>();
        for (var i = 0; i < events; i++)
        {
            var response = await (i % 2 == 0 ? a : b).ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, Api.Unique("slack"), $"xoxb-replica-{i}"));
            answeredAt[response.AssertStatus(HttpStatusCode.Created).Str("id")] = DateTime.UtcNow;
        }
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && ConnectionIds(receiver).Distinct().Count() < events)
        {
            await Task.Delay(100);
        }

        var received = receiver.At("replicas");
        Assert.True(received.Count == events, $"{received.Count} requests for {events} events\n{replicas.Diagnostics()}");
        Assert.Equal(answeredAt.Keys.Order(StringComparer.Ordinal), ConnectionIds(receiver).Order(StringComparer.Ordinal));
        Assert.Equal(events, received.Select(r => r.Id).Distinct().Count());
        Assert.All(received, r => Assert.True(r.IsSignedWith(secret)));
        Assert.All(received, r => Assert.DoesNotContain("xoxb-replica", r.Body));
        var lags = received.Select(r => (r.ReceivedAt - answeredAt[ConnectionId(r)]).TotalMilliseconds).Order().ToList();
        output.WriteLine($"{engine}: delivery lag over {events} events, 1 s worker interval: p50 {lags[lags.Count / 2]:F0} ms, " +
            $"p99 {lags[(int)Math.Ceiling(lags.Count * 0.99) - 1]:F0} ms, max {lags[^1]:F0} ms");
    }

    /// The worker polls only every ten minutes here: what the server commits is sent because the commit wakes it. The
    /// first tick of a new server falls at a random point of its first interval, so one event could be sent by it by
    /// chance; three in a row, each within seconds, cannot.
    [Theory]
    [InlineData(DatabaseEngine.Sqlite)]
    [InlineData(DatabaseEngine.Postgres)]
    public async Task LongPollInterval_WhatTheServerCommitsIsSentAtOnce(DatabaseEngine engine)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var replicas = await Replicas.CreateAsync(engine);
        var settings = Settings(intervalSeconds: 600);
        var a = replicas.Client(await replicas.StartAsync("A", TestKey.New().Base64, settings));
        (await a.ApiPostAsync("/api/v1/webhooks", new { url = receiver.Url("woken"), events = new[] { WebhookEvents.Created, WebhookEvents.Deleted } }))
            .AssertStatus(HttpStatusCode.Created);
        var projectId = await a.CreateProjectAsync();

        var lags = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await a.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, Api.Unique("slack"), $"xoxb-woken-{i}")))
                .AssertStatus(HttpStatusCode.Created).Str("id");
            lags.Add(await LagAsync(receiver, "woken", id, WebhookEvents.Created, replicas));
            (await a.ApiDeleteAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.NoContent);
            lags.Add(await LagAsync(receiver, "woken", id, WebhookEvents.Deleted, replicas));
        }
        output.WriteLine($"{engine}: delivery lag on the writing server, 600 s poll interval: {string.Join(", ", lags.Select(l => $"{l:F0} ms"))}");
    }

    private static async Task<double> LagAsync(WebhookReceiver receiver, string path, string connectionId, string type, Replicas replicas)
    {
        var clock = Stopwatch.StartNew();
        while (!receiver.At(path).Any(r => ConnectionId(r) == connectionId && r.Body.Contains($"\"{type}\"", StringComparison.Ordinal)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{type} of {connectionId} not sent within 30 s\n{replicas.Diagnostics()}");
            await Task.Delay(20);
        }
        return clock.Elapsed.TotalMilliseconds;
    }

    private static Dictionary<string, string> Settings(int intervalSeconds) => new()
    {
        ["PLUGBOARD_OUTBOUND_ALLOWED_HOSTS"] = "127.0.0.1",
        ["PLUGBOARD_WEBHOOKS_INTERVAL_SECONDS"] = intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PLUGBOARD_RATE_LIMITS"] = "false",
    };

    private static string ConnectionId(ReceivedWebhook r) =>
        JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("connectionId").GetString()!;

    private static IEnumerable<string> ConnectionIds(WebhookReceiver receiver) => receiver.At("replicas").Select(ConnectionId);
}
