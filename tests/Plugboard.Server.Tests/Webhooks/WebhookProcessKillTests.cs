using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Plugboard.Server.Data;
using Plugboard.Server.Outbox;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Startup;

namespace Plugboard.Server.Tests.Webhooks;

/// Issue 17 with a real process killed, not a cancelled pass: server A is killed (SIGKILL, no shutdown) with a delivery's
/// request out and no answer in. Server B, started on the same database, sends that delivery again with the same
/// webhook-id once A's lease lapses, sends the events A never got to once each, and does not resend what A had
/// delivered: at least once, and nothing beyond it.
public abstract class WebhookProcessKillTests(DatabaseEngine engine)
{
    private const string Hook = "killed";
    private const int EventsAfterTheKilledOne = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["PLUGBOARD_OUTBOUND_ALLOWED_HOSTS"] = "127.0.0.1",
        ["PLUGBOARD_WEBHOOKS_INTERVAL_SECONDS"] = "0.2",
        // The shortest lease the options allow: how long B must wait before taking over what A was sending.
        ["PLUGBOARD_WEBHOOKS_LEASE_SECONDS"] = "6",
        ["PLUGBOARD_RATE_LIMITS"] = "false",
    };

    [Fact]
    public async Task SenderKilledMidDelivery_NextServerSendsTheSameIdAgainAndEveryOtherEventOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var replicas = await Replicas.CreateAsync(engine);
        var key = TestKey.New().Base64;
        var a = await replicas.StartAsync("A", key, Settings);
        var apiA = replicas.Client(a);
        var hook = (await apiA.ApiPostAsync("/api/v1/webhooks", new { url = receiver.Url(Hook), events = new[] { WebhookEvents.Created } }))
            .AssertStatus(HttpStatusCode.Created);
        var (hookId, secret) = (hook.Str("id"), hook.Str("secret"));
        var projectId = await apiA.CreateProjectAsync();

        var deliveredByA = await CreateConnectionAsync(apiA, projectId, "before");
        await EventuallyAsync(async () => (await DeliveriesAsync(apiA, hookId)).Any(d => d.Status == "DELIVERED"),
            "A delivers and records the first event", () => a.OutputTail());

        receiver.Hanging[Hook] = true;
        var interrupted = await CreateConnectionAsync(apiA, projectId, "interrupted");
        await EventuallyAsync(() => Task.FromResult(ConnectionIds(receiver).Contains(interrupted)),
            "A sends the second event", () => a.OutputTail());
        // Only that request hangs; whatever is sent from now on is answered. A's pass waits on it, so the events written
        // now are left for B.
        receiver.Hanging.TryRemove(Hook, out _);
        var writtenWhileInFlight = new List<string>();
        for (var i = 0; i < EventsAfterTheKilledOne; i++)
        {
            writtenWhileInFlight.Add(await CreateConnectionAsync(apiA, projectId, $"after-{i}"));
        }
        var atTheKill = await DeliveriesAsync(apiA, hookId);
        var interruptedId = ReceivedFor(receiver, interrupted).Single().Id;
        Assert.Equal(("PENDING", 0), atTheKill.Where(d => d.Id == interruptedId).Select(d => (d.Status, d.AttemptCount)).Single());

        // Process.Kill(entireProcessTree: true): no shutdown, so A records nothing about the request it has out.
        await replicas.StopAsync(a);
        var logOfA = string.Join('\n', a.Log.LastLines(40));

        var b = await replicas.StartAsync("B", key, Settings);
        var apiB = replicas.Client(b);
        var expected = new[] { deliveredByA, interrupted }.Concat(writtenWhileInFlight).ToList();
        IReadOnlyList<Delivery> seen = [];
        await EventuallyAsync(async () => (seen = await DeliveriesAsync(apiB, hookId)).Count == expected.Count && seen.All(d => d.Status == "DELIVERED"),
            "B delivers every event", () => $"deliveries: {string.Join(", ", seen)}\n--- A (killed):\n{logOfA}\n{b.OutputTail()}");

        var received = receiver.At(Hook);
        Assert.All(received, r => Assert.True(r.IsSignedWith(secret), $"signature of {r.Id}"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), ConnectionIds(receiver).Distinct().Order(StringComparer.Ordinal));
        // The killed request was never answered, so A could not record it: B must send it again, under the same id.
        var twice = ReceivedFor(receiver, interrupted);
        Assert.Equal(2, twice.Count);
        Assert.Equal(interruptedId, Assert.Single(twice.Select(r => r.Id).Distinct()));
        Assert.All(expected.Where(c => c != interrupted), c => Assert.Single(ReceivedFor(receiver, c)));

        var final = await DeliveriesAsync(apiB, hookId);
        Assert.Equal(received.Select(r => r.Id).Distinct().Order(StringComparer.Ordinal), final.Select(d => d.Id).Order(StringComparer.Ordinal));
        // A's killed attempt left no trace; the one recorded is B's, and it succeeded.
        Assert.All(final, d => Assert.Equal((1, 1), (d.AttemptCount, d.SucceededAttempts)));
    }

    private sealed record Delivery(string Id, string Status, int AttemptCount, int SucceededAttempts);

    private static async Task<string> CreateConnectionAsync(HttpClient api, string projectId, string label) =>
        (await api.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, Api.Unique("slack"), $"xoxb-kill-{label}")))
            .AssertStatus(HttpStatusCode.Created).Str("id");

    private static async Task<IReadOnlyList<Delivery>> DeliveriesAsync(HttpClient api, string hookId)
    {
        var page = (await api.ApiGetAsync($"/api/v1/webhooks/{hookId}/deliveries?limit=100")).AssertStatus(HttpStatusCode.OK).Body;
        return [.. page.GetProperty("data").EnumerateArray().Select(d => new Delivery(
            d.GetProperty("id").GetString()!,
            d.GetProperty("status").GetString()!,
            d.GetProperty("attemptCount").GetInt32(),
            d.GetProperty("attempts").EnumerateArray().Count(t => t.GetProperty("succeeded").GetBoolean())))];
    }

    private static string ConnectionId(ReceivedWebhook r) =>
        JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("connectionId").GetString()!;

    private static List<string> ConnectionIds(WebhookReceiver receiver) => [.. receiver.At(Hook).Select(ConnectionId)];

    private static List<ReceivedWebhook> ReceivedFor(WebhookReceiver receiver, string connectionId) =>
        [.. receiver.At(Hook).Where(r => ConnectionId(r) == connectionId)];

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what, Func<string> diagnostics)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < Patience, $"{what}: not within {Patience.TotalSeconds} s\n{diagnostics()}");
            await Task.Delay(100);
        }
    }
}

public sealed class WebhookProcessKillSqliteTests() : WebhookProcessKillTests(DatabaseEngine.Sqlite);

public sealed class WebhookProcessKillPostgresTests() : WebhookProcessKillTests(DatabaseEngine.Postgres);
