using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth.Outbound;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Webhooks;

/// Delivers the outbox: every replica runs one; the lease on each delivery makes one of them its sender. A 2xx is
/// delivered; anything else is retried, doubling from FirstRetry up to MaxBackoff, until GiveUpAfter has passed since
/// the event, then failed. At least once: a replica that dies after sending but before recording leaves the delivery
/// claimable when its lease lapses, and the receiver sees the same webhook-id again.
public sealed partial class WebhookWorker(
    IServiceScopeFactory scopes, OutboundHttp outbound, WebhookOptions options, OutboxSignal outbox, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<WebhookWorker> logger) : PeriodicWorker(lifetime, time)
{
    private const int MaxErrorLength = 300;
    private readonly string _owner = "wh_" + Ids.New();
    private DateTimeOffset _lastExpiringScan = DateTimeOffset.MinValue;

    protected override TimeSpan Interval => options.WorkerInterval;

    protected override bool Enabled => options.WorkerEnabled;

    protected override async Task TickAsync(CancellationToken stoppingToken)
    {
        // The expiry scan looks a day ahead: once a minute is plenty.
        if (Time.GetUtcNow() - _lastExpiringScan >= TimeSpan.FromMinutes(1))
        {
            _lastExpiringScan = Time.GetUtcNow();
            await ExpiringScan.RunAsync(scopes, options, Time, stoppingToken);
        }
        while (!stoppingToken.IsCancellationRequested && await RunOnceAsync(stoppingToken) >= options.WorkerBatchSize)
        {
        }
    }

    /// Deliveries this replica commits are sent at once; the poll finds the other replicas' and the retries.
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        outbox.Committed += WakeUp;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        outbox.Committed -= WakeUp;
        return base.StopAsync(cancellationToken);
    }

    protected override void TickFailed(Exception e) => Log.ScanFailed(logger, e.GetType().Name);

    /// One pass: the due, unleased deliveries, oldest due first, each sent by whoever claims it. Returns how many it sent.
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<string> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
            var now = Time.UtcNow();
            due = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
                .OrderBy(d => d.NextAttemptAt)
                .Select(d => d.Id)
                .Take(options.WorkerBatchSize)
                .ToListAsync(ct);
        }
        // Replicas scanning at once see the same rows: each takes them in its own order, so they meet less on leases.
        Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(due));
        var sent = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.WorkerParallelism, CancellationToken = ct }, async (id, token) =>
        {
            try
            {
                if (await DeliverAsync(id, token))
                {
                    Interlocked.Increment(ref sent);
                }
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                Log.DeliveryFailed(logger, id, e.GetType().Name);
            }
        });
        return sent;
    }

    private async Task<bool> DeliverAsync(string id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        if (!await WebhookWrites.TryClaimAsync(db, id, _owner, Time.UtcNow(), options.LeaseDuration, ct))
        {
            return false;
        }
        var delivery = await db.WebhookDeliveries.AsNoTracking().FirstAsync(d => d.Id == id, ct);
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == delivery.EndpointId, ct);
        var (status, error) = endpoint is null
            ? ((int?)null, "the endpoint was deleted")
            : await SendAsync(delivery, endpoint, protector, ct);
        var now = Time.UtcNow();
        var succeeded = status is >= 200 and < 300;
        var attempt = new WebhookAttempt
        {
            Id = Ids.New(),
            DeliveryId = id,
            PlatformId = delivery.PlatformId,
            AttemptedAt = now,
            HttpStatus = status,
            Error = succeeded ? null : Truncate(error ?? $"the receiver answered {status}"),
            Succeeded = succeeded,
        };
        var backoff = options.FirstRetry * Math.Pow(2, Math.Min(delivery.AttemptCount, 20));
        var retryAt = now + (backoff < options.MaxBackoff ? backoff : options.MaxBackoff);
        var (next, completed) = succeeded ? (WebhookDeliveryStatus.Delivered, now)
            : endpoint is null || retryAt > delivery.Created + options.GiveUpAfter ? (WebhookDeliveryStatus.Failed, now)
            : (WebhookDeliveryStatus.Pending, (DateTime?)null);
        await WebhookWrites.RecordAsync(db, delivery, _owner, attempt, next, next == WebhookDeliveryStatus.Pending ? retryAt : now, completed, ct);
        if (succeeded)
        {
            Log.Delivered(logger, id, delivery.EventType);
        }
        else
        {
            Log.AttemptFailed(logger, id, status ?? 0, next == WebhookDeliveryStatus.Failed);
        }
        return true;
    }

    /// The receiver's status, or null and why there was none. The body is the stored payload, byte for byte as signed.
    private async Task<(int? Status, string? Error)> SendAsync(WebhookDelivery delivery, WebhookEndpoint endpoint, SecretProtector protector, CancellationToken ct)
    {
        string secret;
        try
        {
            secret = protector.Unprotect(endpoint.Secret, WebhookSigning.Context(endpoint));
        }
        catch (SecretDecryptionException)
        {
            return (null, "the endpoint's signing secret cannot be decrypted with the configured keys");
        }
        var timestamp = Time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSigning.Sign(secret, delivery.Id, timestamp, delivery.Payload));
        try
        {
            using var response = await outbound.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return ((int)response.StatusCode, null);
        }
        catch (OutboundRefusedException e)
        {
            return (null, $"refused by the outbound guard: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, "the receiver did not answer in time");
        }
        catch (HttpRequestException e)
        {
            // The inner exception may be the guard's refusal, wrapped by the connect callback.
            return (null, e.InnerException is OutboundRefusedException refused
                ? $"refused by the outbound guard: {refused.Message}"
                : $"the request failed ({e.HttpRequestError})");
        }
    }

    private static string Truncate(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];

    private static partial class Log
    {
        [LoggerMessage(EventId = 3801, Level = LogLevel.Error, Message = "The webhook delivery scan failed ({ExceptionType})")]
        public static partial void ScanFailed(ILogger logger, string exceptionType);

        [LoggerMessage(EventId = 3802, Level = LogLevel.Error, Message = "Delivering webhook {DeliveryId} failed ({ExceptionType})")]
        public static partial void DeliveryFailed(ILogger logger, string deliveryId, string exceptionType);

        [LoggerMessage(EventId = 3803, Level = LogLevel.Debug, Message = "Delivered webhook {DeliveryId} ({EventType})")]
        public static partial void Delivered(ILogger logger, string deliveryId, string eventType);

        [LoggerMessage(EventId = 3804, Level = LogLevel.Warning, Message = "Webhook {DeliveryId} attempt failed (HTTP {Status}); given up: {GivenUp}")]
        public static partial void AttemptFailed(ILogger logger, string deliveryId, int status, bool givenUp);
    }
}
